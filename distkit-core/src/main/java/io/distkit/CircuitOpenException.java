package io.distkit;

import java.time.Duration;

/**
 * The circuit breaker in front of Redis is open: the call was not sent. Thrown at once, without waiting for the
 * Redis deadline.
 *
 * @since 0.1.0
 */
public class CircuitOpenException extends DistkitBackendException {

	private static final long serialVersionUID = 1L;

	private final Duration retryAfter;

	public CircuitOpenException(Duration retryAfter) {
		super("Redis circuit breaker is open after repeated connection failures or timeouts; call not attempted (retry after "
				+ retryAfter.toMillis() + " ms)");
		this.retryAfter = retryAfter;
	}

	/** How long until the breaker lets a probe call through. */
	public Duration getRetryAfter() {
		return this.retryAfter;
	}

}
