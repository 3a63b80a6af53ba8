package io.distkit.spring.boot.aop;

import org.jspecify.annotations.Nullable;

import io.distkit.ratelimit.RateLimitExceededException;

/**
 * A call a limit did not admit: the annotation that rejected it and the exception to throw, or to hand to the
 * annotation's fallback method.
 *
 * @param operation the rejecting annotation
 * @param exception the rejection
 */
record Rejection(RateLimitedOperation operation, RateLimitExceededException exception) {

	/**
	 * The rejected call's result: what the fallback method returns, else the exception thrown.
	 * @param target the target object
	 * @param arguments the call's arguments
	 * @return the fallback's result
	 * @throws Throwable the rejection, or what the fallback threw
	 */
	@Nullable Object fallback(Object target, @Nullable Object[] arguments) throws Throwable {
		FallbackMethod fallback = this.operation.fallback();
		if (fallback == null) {
			throw this.exception;
		}
		return fallback.invoke(target, arguments, this.exception);
	}

}
