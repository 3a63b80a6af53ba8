package io.distkit.spring.boot.web;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import io.distkit.ratelimit.RateLimitBackendUnavailableException;
import io.distkit.ratelimit.RateLimitExceededException;

/**
 * The answer to a rate-limit failure, whatever the web stack: {@code 429} for a rejection, with {@code Retry-After}
 * (unless waiting will not help) and the rate-limit fields of every applied limit; {@code 503} with
 * {@code Retry-After} = the circuit breaker's open period for a {@code fail-closed} failure.
 *
 * @param status the status
 * @param headers the header fields
 * @param body the problem
 */
record RateLimitResponse(HttpStatus status, HttpHeaders headers, ProblemDetail body) {

	/**
	 * The answer to {@code failure}.
	 * @param failure what the request failed with
	 * @param applied the request's applied limits, if distkit's filter handled it
	 * @param style the header style
	 * @param problems the problem factory
	 * @return the answer, or {@code null} when {@code failure} is not a rate-limit failure
	 */
	static @Nullable RateLimitResponse of(Throwable failure, @Nullable AppliedLimits applied,
			RateLimitHeaderStyle style, RateLimitProblemFactory problems) {
		if (failure instanceof RateLimitExceededException rejection) {
			return quotaExceeded(rejection, applied, style, problems);
		}
		if (failure instanceof RateLimitBackendUnavailableException unavailable) {
			HttpHeaders headers = new HttpHeaders();
			headers.set(HttpHeaders.RETRY_AFTER,
					Long.toString(Math.max(1, AppliedLimit.seconds(unavailable.getRetryAfter()))));
			return new RateLimitResponse(HttpStatus.SERVICE_UNAVAILABLE, headers,
					problems.backendUnavailable(unavailable));
		}
		return null;
	}

	private static RateLimitResponse quotaExceeded(RateLimitExceededException rejection,
			@Nullable AppliedLimits applied, RateLimitHeaderStyle style, RateLimitProblemFactory problems) {
		List<AppliedLimit> limits = new ArrayList<>((applied != null) ? applied.list() : List.of());
		AppliedLimit rejecting = null;
		for (AppliedLimit limit : limits) {
			if (limit.name().equals(rejection.getLimitName()) && !limit.isAdmitted()) {
				rejecting = limit;
			}
		}
		if (rejecting == null) {
			// Thrown outside a request distkit's filter saw: all there is to say comes from the exception.
			limits.removeIf((limit) -> limit.name().equals(rejection.getLimitName()));
			rejecting = new AppliedLimit(rejection.getLimit(), -1, rejection.getDecision(), 0,
					rejection.getRetryAfter());
			limits.add(rejecting);
		}
		HttpHeaders headers = new HttpHeaders();
		if (!rejecting.costExceedsCapacity()) {
			long retryAfter = Math.max(rejecting.resetSeconds(), AppliedLimit.seconds(rejection.getRetryAfter()));
			headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter)));
		}
		RateLimitHeaders.rejected(limits, rejecting, style).forEach(headers::set);
		return new RateLimitResponse(HttpStatus.TOO_MANY_REQUESTS, headers,
				problems.quotaExceeded(rejection, List.copyOf(limits)));
	}

}
