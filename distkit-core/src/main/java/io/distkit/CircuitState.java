package io.distkit;

/**
 * States of the circuit breaker in front of Redis.
 *
 * @since 0.1.0
 */
public enum CircuitState {

	/** Calls go to Redis. */
	CLOSED,

	/** Calls fail at once with {@link CircuitOpenException}. */
	OPEN,

	/** The open period is over and one probe call is in flight; other calls still fail at once. */
	HALF_OPEN

}
