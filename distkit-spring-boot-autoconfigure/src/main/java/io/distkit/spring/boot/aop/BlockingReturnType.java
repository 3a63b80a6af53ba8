package io.distkit.spring.boot.aop;

import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import io.distkit.spring.boot.web.AppliedLimits;

/**
 * Any return type without a strategy of its own: the call is decided before the method runs and counted when it
 * returns or throws, on the calling thread.
 */
final class BlockingReturnType implements ReturnTypeAdapter {

	static final BlockingReturnType INSTANCE = new BlockingReturnType();

	private BlockingReturnType() {
	}

	@Override
	public boolean supports(Class<?> returnType) {
		return true;
	}

	@Override
	public @Nullable Object limit(MethodInvocation invocation, RateLimitedMethod method) throws Throwable {
		Object target = invocation.getThis();
		Rejection rejection = method.acquire(target, invocation.getArguments(), method.collectCallerVariables(),
				AppliedLimits.current());
		return (rejection != null) ? rejection.fallback(target, invocation.getArguments()) : invocation.proceed();
	}

	@Override
	public @Nullable Object count(MethodInvocation invocation, CountedMethod method) throws Throwable {
		PreparedCounts counts = method.prepare(invocation.getArguments(), method.collectCallerVariables());
		Object result;
		try {
			result = invocation.proceed();
		}
		catch (Throwable ex) {
			RuntimeException countingFailure = counts.record(ex);
			if (countingFailure != null) {
				ex.addSuppressed(countingFailure);
			}
			throw ex;
		}
		RuntimeException countingFailure = counts.record(null);
		if (countingFailure != null) {
			throw countingFailure;
		}
		return result;
	}

}
