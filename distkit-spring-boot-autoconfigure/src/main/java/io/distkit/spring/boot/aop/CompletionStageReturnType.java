package io.distkit.spring.boot.aop;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import io.distkit.spring.boot.web.AppliedLimits;

/**
 * Methods declaring {@link CompletionStage} or {@link CompletableFuture}. A call is decided when the method is
 * called, but off the calling thread: the caller variables are read on the calling thread, then the decision runs on
 * {@code executor} (Reactor's {@code boundedElastic} when Reactor is present, else the calling thread) and the method
 * is called there once admitted; the caller gets a future at once. A call is counted when its future completes, a
 * count that touches Redis running on {@code executor}. The returned future completes after the count.
 */
final class CompletionStageReturnType implements ReturnTypeAdapter {

	private final Executor executor;

	CompletionStageReturnType(Executor executor) {
		this.executor = executor;
	}

	@Override
	public boolean supports(Class<?> returnType) {
		return returnType == CompletionStage.class || returnType == CompletableFuture.class;
	}

	@Override
	public Object limit(MethodInvocation invocation, RateLimitedMethod method) {
		Object target = invocation.getThis();
		@Nullable Object[] arguments = invocation.getArguments();
		Map<String, @Nullable Object> callerVariables = method.collectCallerVariables();
		AppliedLimits applied = AppliedLimits.current();
		CompletableFuture<@Nullable Rejection> decision = new CompletableFuture<>();
		this.executor.execute(() -> {
			try {
				decision.complete(method.acquire(target, arguments, callerVariables, applied));
			}
			catch (Throwable ex) {
				decision.completeExceptionally(ex);
			}
		});
		return decision.thenCompose((rejection) -> stage(() -> (rejection != null)
				? rejection.fallback(target, arguments) : invocation.proceed()));
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
		if (result == null) {
			RuntimeException countingFailure = counts.record(null);
			if (countingFailure != null) {
				throw countingFailure;
			}
			return null;
		}
		CompletableFuture<@Nullable Object> counted = new CompletableFuture<>();
		((CompletionStage<?>) result).whenComplete((value, failure) -> {
			Runnable count = () -> complete(counted, counts, value, failure);
			if (counts.touchesRedis()) {
				try {
					this.executor.execute(count);
				}
				catch (RuntimeException ex) {
					counted.completeExceptionally(ex);
				}
			}
			else {
				count.run();
			}
		});
		return counted;
	}

	private static void complete(CompletableFuture<@Nullable Object> counted, PreparedCounts counts,
			@Nullable Object value, @Nullable Throwable failure) {
		try {
			Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
					? failure.getCause() : failure;
			RuntimeException countingFailure = counts.record(cause);
			if (failure == null) {
				if (countingFailure != null) {
					counted.completeExceptionally(countingFailure);
				}
				else {
					counted.complete(value);
				}
			}
			else {
				if (countingFailure != null) {
					cause.addSuppressed(countingFailure);
				}
				counted.completeExceptionally(failure);
			}
		}
		catch (Throwable ex) {
			counted.completeExceptionally(ex);
		}
	}

	private static CompletionStage<@Nullable Object> stage(Call call) {
		try {
			Object result = call.run();
			if (result == null) {
				return CompletableFuture.completedFuture(null);
			}
			@SuppressWarnings("unchecked")
			CompletionStage<@Nullable Object> stage = (CompletionStage<@Nullable Object>) result;
			return stage;
		}
		catch (Throwable ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	@FunctionalInterface
	private interface Call {

		@Nullable Object run() throws Throwable;

	}

}
