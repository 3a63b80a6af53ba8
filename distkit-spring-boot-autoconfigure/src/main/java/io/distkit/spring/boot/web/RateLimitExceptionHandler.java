package io.distkit.spring.boot.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

import io.distkit.ratelimit.RateLimitBackendUnavailableException;
import io.distkit.ratelimit.RateLimitExceededException;

/**
 * Answers rate-limit failures in Spring MVC: {@link RateLimitExceededException} with {@code 429} and
 * {@link RateLimitBackendUnavailableException} with {@code 503}, an RFC 9457 problem body from the
 * {@link RateLimitProblemFactory}, {@code Retry-After} and the rate-limit fields of the request's
 * {@link AppliedLimits}. It has the lowest precedence among {@code @ControllerAdvice} beans: the application's own
 * {@code @ExceptionHandler} for these exceptions (or for {@code Exception}) runs instead; replace the body through a
 * {@link RateLimitProblemFactory} bean rather than a handler, so that the status and header fields stay standard.
 *
 * @since 0.1.0
 */
@ControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public final class RateLimitExceptionHandler {

	private final RateLimitProblemFactory problems;

	private final RateLimitHeaderStyle style;

	/**
	 * Creates the handler.
	 * @param problems the problem factory
	 * @param style which legacy fields rejected responses carry too
	 */
	public RateLimitExceptionHandler(RateLimitProblemFactory problems, RateLimitHeaderStyle style) {
		this.problems = problems;
		this.style = style;
	}

	/**
	 * Answers a rejection with {@code 429}.
	 * @param rejection the rejection
	 * @param request the request
	 * @return the answer
	 */
	@ExceptionHandler(RateLimitExceededException.class)
	public ResponseEntity<ProblemDetail> quotaExceeded(RateLimitExceededException rejection,
			HttpServletRequest request) {
		return answer(rejection, request);
	}

	/**
	 * Answers a {@code fail-closed} backend failure with {@code 503}.
	 * @param failure the failure
	 * @param request the request
	 * @return the answer
	 */
	@ExceptionHandler(RateLimitBackendUnavailableException.class)
	public ResponseEntity<ProblemDetail> backendUnavailable(RateLimitBackendUnavailableException failure,
			HttpServletRequest request) {
		return answer(failure, request);
	}

	private ResponseEntity<ProblemDetail> answer(RuntimeException failure, HttpServletRequest request) {
		AppliedLimits applied = (request.getAttribute(AppliedLimits.ATTRIBUTE) instanceof AppliedLimits limits)
				? limits : null;
		RateLimitResponse response = RateLimitResponse.of(failure, applied, this.style, this.problems);
		if (response == null) {
			throw failure;
		}
		return ResponseEntity.status(response.status()).headers(response.headers()).body(response.body());
	}

}
