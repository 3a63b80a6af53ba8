package io.distkit.spring.boot.aop;

import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

/**
 * How the interceptors treat one kind of return type: when a call is decided or counted, and on which thread the
 * work that may touch Redis runs.
 */
interface ReturnTypeAdapter {

	/**
	 * Whether this strategy handles methods declaring {@code returnType}.
	 * @param returnType the declared return type
	 * @return whether it does
	 */
	boolean supports(Class<?> returnType);

	/**
	 * Rate-limits one call.
	 * @param invocation the call
	 * @param method the method's limits
	 * @return the call's result, or the fallback's
	 * @throws Throwable what the method or fallback threw, or the rejection
	 */
	@Nullable Object limit(MethodInvocation invocation, RateLimitedMethod method) throws Throwable;

	/**
	 * Counts one call.
	 * @param invocation the call
	 * @param method the method's counts
	 * @return the call's result
	 * @throws Throwable what the method threw (or a counting failure, when they propagate)
	 */
	@Nullable Object count(MethodInvocation invocation, CountedMethod method) throws Throwable;

}
