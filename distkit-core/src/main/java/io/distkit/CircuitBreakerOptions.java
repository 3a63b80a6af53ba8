package io.distkit;

import java.time.Duration;

/**
 * When the circuit breaker in front of Redis opens and for how long. After {@code failureThreshold} consecutive
 * connection failures or timeouts the breaker opens: for {@code openFor} every call fails at once with
 * {@link CircuitOpenException}; then one probe call is let through, and its success closes the breaker. Its failure
 * opens the breaker again for {@code openFor} counted from when the probe was sent, so one probe goes out per open
 * period even when probes time out: once Redis answers again, calls succeed within {@code openFor}. A script's
 * error reply (such as a counter overflow) is an answer, not a failure, and does not count.
 *
 * @param failureThreshold consecutive failures that open the breaker, at least 1
 * @param openFor how long the breaker stays open before a probe, positive
 * @since 0.1.0
 */
public record CircuitBreakerOptions(int failureThreshold, Duration openFor) {

	/** The default threshold: 5 consecutive failures. */
	public static final int DEFAULT_FAILURE_THRESHOLD = 5;

	/** The default open period: 5 seconds. */
	public static final Duration DEFAULT_OPEN_FOR = Duration.ofSeconds(5);

	/**
	 * Validates the options.
	 * @throws InvalidOptionException if the threshold is below 1 or the period is not positive
	 */
	public CircuitBreakerOptions {
		if (failureThreshold < 1) {
			throw new InvalidOptionException("failureThreshold", failureThreshold, "must be at least 1");
		}
		if (openFor == null || openFor.isNegative() || openFor.isZero()) {
			throw new InvalidOptionException("openFor", openFor, "must be positive");
		}
	}

	/** 5 failures, open for 5 seconds. */
	public static CircuitBreakerOptions defaults() {
		return new CircuitBreakerOptions(DEFAULT_FAILURE_THRESHOLD, DEFAULT_OPEN_FOR);
	}

}
