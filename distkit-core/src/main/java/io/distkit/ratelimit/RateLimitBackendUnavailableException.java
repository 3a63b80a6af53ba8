package io.distkit.ratelimit;

import java.time.Duration;

import io.distkit.DistkitBackendException;

/**
 * A rate-limit decision needed Redis, Redis failed, and the policy is {@link BackendFailurePolicy#FAIL_CLOSED}. The
 * web layer answers 503 with {@code Retry-After} = {@link #getRetryAfter()}.
 *
 * @since 0.1.0
 */
public class RateLimitBackendUnavailableException extends DistkitBackendException {

	private static final long serialVersionUID = 1L;

	private final String limitName;

	private final Duration retryAfter;

	public RateLimitBackendUnavailableException(String limitName, Duration retryAfter, DistkitBackendException cause) {
		super("Rate limit '" + limitName + "' cannot decide: Redis is unavailable (" + cause.getMessage() + ")", cause);
		this.limitName = limitName;
		this.retryAfter = retryAfter;
	}

	public String getLimitName() {
		return this.limitName;
	}

	/** When to try again: the circuit breaker's open period. */
	public Duration getRetryAfter() {
		return this.retryAfter;
	}

}
