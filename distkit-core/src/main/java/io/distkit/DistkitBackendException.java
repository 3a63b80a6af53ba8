package io.distkit;

/**
 * Redis failed, did not answer within the deadline, rejected a script for a reason other than a counter rule, or the
 * circuit breaker is open and the call was not attempted.
 *
 * <p>A call that timed out may still have run on the server: under faults a strict total lies between the
 * acknowledged and the attempted increments.
 *
 * @since 0.1.0
 */
public class DistkitBackendException extends DistkitException {

	private static final long serialVersionUID = 1L;

	public DistkitBackendException(String message) {
		super(message);
	}

	public DistkitBackendException(String message, Throwable cause) {
		super(message, cause);
	}

}
