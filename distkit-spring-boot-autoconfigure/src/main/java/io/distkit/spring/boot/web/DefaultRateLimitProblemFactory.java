package io.distkit.spring.boot.web;

import java.net.URI;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimitBackendUnavailableException;
import io.distkit.ratelimit.RateLimitExceededException;

/**
 * The problem bodies of the IANA HTTP problem types that draft-ietf-httpapi-ratelimit-headers registers:
 *
 * <pre>
 * {
 *   "type": "https://iana.org/assignments/http-problem-types#quota-exceeded",
 *   "title": "Request cannot be satisfied as assigned quota has been exceeded",
 *   "status": 429,
 *   "detail": "Rate limit 'api' exceeded (100 per 60 s); retry after 12 s",
 *   "instance": "/orders",
 *   "violated-policies": ["api"]
 * }
 * </pre>
 *
 * A cost larger than the capacity has the detail {@value #COST_EXCEEDS_CAPACITY}. A {@code fail-closed} failure has
 * the type {@code ...#temporary-reduced-capacity}, status 503 and the same {@code violated-policies} member. Spring
 * fills in {@code instance} with the request's path. Thread-safe; extend it to change a body.
 *
 * @since 0.1.0
 */
public class DefaultRateLimitProblemFactory implements RateLimitProblemFactory {

	/** The problem type of a request over its quota. */
	public static final URI QUOTA_EXCEEDED = URI
		.create("https://iana.org/assignments/http-problem-types#quota-exceeded");

	/** The problem type of a request refused because the server's capacity is temporarily reduced. */
	public static final URI TEMPORARY_REDUCED_CAPACITY = URI
		.create("https://iana.org/assignments/http-problem-types#temporary-reduced-capacity");

	/** The extension member listing the names of the limits that refused the request. */
	public static final String VIOLATED_POLICIES = "violated-policies";

	/** The detail of a request that asked for more units than the limit's capacity. */
	public static final String COST_EXCEEDS_CAPACITY = "cost exceeds capacity";

	@Override
	public ProblemDetail quotaExceeded(RateLimitExceededException exception, List<AppliedLimit> applied) {
		RateLimit limit = exception.getLimit();
		AppliedLimit rejecting = null;
		for (AppliedLimit entry : applied) {
			if (entry.name().equals(limit.name()) && !entry.isAdmitted()) {
				rejecting = entry;
			}
		}
		String detail;
		if (rejecting != null && rejecting.costExceedsCapacity()) {
			detail = COST_EXCEEDS_CAPACITY;
		}
		else {
			detail = "Rate limit '" + limit.name() + "' exceeded (" + limit.capacity() + " per "
					+ AppliedLimit.seconds(limit.window()) + " s)"
					+ ((rejecting != null) ? "; retry after " + rejecting.resetSeconds() + " s" : "");
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, detail);
		problem.setType(QUOTA_EXCEEDED);
		problem.setTitle("Request cannot be satisfied as assigned quota has been exceeded");
		problem.setProperty(VIOLATED_POLICIES, List.of(limit.name()));
		return problem;
	}

	@Override
	public ProblemDetail backendUnavailable(RateLimitBackendUnavailableException exception) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"Rate limit '" + exception.getLimitName() + "' cannot decide while its backend is unavailable; retry "
						+ "after " + AppliedLimit.seconds(exception.getRetryAfter()) + " s");
		problem.setType(TEMPORARY_REDUCED_CAPACITY);
		problem.setTitle("Request cannot be satisfied due to temporarily reduced capacity");
		problem.setProperty(VIOLATED_POLICIES, List.of(exception.getLimitName()));
		return problem;
	}

}
