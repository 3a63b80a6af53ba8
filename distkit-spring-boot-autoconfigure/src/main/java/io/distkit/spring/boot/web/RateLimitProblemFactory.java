package io.distkit.spring.boot.web;

import java.util.List;

import org.springframework.http.ProblemDetail;

import io.distkit.ratelimit.RateLimitBackendUnavailableException;
import io.distkit.ratelimit.RateLimitExceededException;

/**
 * Creates the RFC 9457 problem bodies of distkit's rate-limit responses, in Spring MVC and WebFlux alike. Define a
 * bean of this type to replace {@link DefaultRateLimitProblemFactory} (extending it to change one body is the easy
 * way). The status and the header fields ({@code Retry-After}, {@code RateLimit-Policy}, {@code RateLimit}) are set by
 * distkit whatever the body says. Implementations are thread-safe.
 *
 * @since 0.1.0
 */
public interface RateLimitProblemFactory {

	/**
	 * The body of a {@code 429 Too Many Requests} answer.
	 * @param exception the rejection
	 * @param applied the limits applied to the request, in order, the rejecting one included
	 * @return the problem
	 */
	ProblemDetail quotaExceeded(RateLimitExceededException exception, List<AppliedLimit> applied);

	/**
	 * The body of a {@code 503 Service Unavailable} answer: a decision needed Redis, Redis failed and the failure
	 * policy is {@code fail-closed}.
	 * @param exception the failure
	 * @return the problem
	 */
	ProblemDetail backendUnavailable(RateLimitBackendUnavailableException exception);

}
