package io.distkit.spring.boot.aop;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.ProxyMethodInvocation;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import io.distkit.spring.boot.web.AppliedLimits;

/**
 * The strategies for {@link Mono} and {@link Flux}: a call is decided when the returned publisher is subscribed to
 * (each subscription is a call) and counted when it terminates; the decision, and a count that touches Redis, run on
 * {@link Schedulers#boundedElastic()}, never on the subscriber's (possibly event-loop) thread. Caller variables come
 * from the subscriber's Reactor context ({@link ReactiveCallerVariables}) over those read on the calling thread. Only
 * loaded when Reactor is on the class path.
 */
final class ReactorReturnTypes {

	private final List<ReactiveCallerVariables> variables;

	private final Scheduler scheduler;

	ReactorReturnTypes(List<ReactiveCallerVariables> variables, Scheduler scheduler) {
		this.variables = List.copyOf(variables);
		this.scheduler = scheduler;
	}

	static ReturnTypeAdapters adapters(List<ReactiveCallerVariables> variables) {
		ReactorReturnTypes reactor = new ReactorReturnTypes(variables, Schedulers.boundedElastic());
		Set<String> names = new LinkedHashSet<>();
		variables.forEach((source) -> names.addAll(source.names()));
		List<ReturnTypeAdapter> adapters = new ArrayList<>();
		adapters.add(reactor.new MonoReturnType());
		adapters.add(reactor.new FluxReturnType());
		adapters.add(new CompletionStageReturnType((task) -> reactor.scheduler.schedule(task)));
		return new ReturnTypeAdapters(adapters, names, true);
	}

	/** The caller variables of a subscription: {@code captured} on the calling thread, overlaid by the context's. */
	Mono<Map<String, @Nullable Object>> variables(Set<String> wanted, Map<String, @Nullable Object> captured) {
		for (ReactiveCallerVariables source : this.variables) {
			if (ExpressionSupport.intersects(source.names(), wanted)) {
				return Mono.deferContextual((context) -> ReactiveCallerVariables.collect(this.variables, wanted,
						captured, context));
			}
		}
		return Mono.just(captured);
	}

	/**
	 * Decides a call off the subscriber's thread, recording the decisions in the applied limits of the subscriber's
	 * web request (its Reactor context), else in those bound to the calling thread.
	 */
	Mono<Optional<Rejection>> decide(RateLimitedMethod method, Object target, @Nullable Object[] arguments,
			Map<String, @Nullable Object> captured, @Nullable AppliedLimits capturedLimits) {
		return variables(method.callerVariables(), captured).flatMap((variables) -> Mono.deferContextual((context) -> {
			AppliedLimits applied = context.getOrDefault(AppliedLimits.CONTEXT_KEY, capturedLimits);
			return Mono.fromCallable(() -> Optional.ofNullable(method.acquire(target, arguments, variables, applied)))
				.subscribeOn(this.scheduler);
		}));
	}

	/** Counts a terminal signal, off the subscriber's thread when the count touches Redis. */
	<T> Mono<Signal<T>> record(PreparedCounts counts, Signal<T> signal) {
		Mono<Signal<T>> count = Mono.fromCallable(() -> {
			Throwable failure = signal.isOnError() ? signal.getThrowable() : null;
			RuntimeException countingFailure = counts.record(failure);
			if (countingFailure == null) {
				return signal;
			}
			if (failure != null) {
				failure.addSuppressed(countingFailure);
				return signal;
			}
			return Signal.<T>error(countingFailure);
		});
		return counts.touchesRedis() ? count.subscribeOn(this.scheduler) : count;
	}

	/** Calls the method once per subscription (the original invocation may be proceeded only once). */
	static <P> P proceed(MethodInvocation invocation, Function<@Nullable Object, P> adapt,
			Function<Throwable, P> error) {
		try {
			MethodInvocation call = (invocation instanceof ProxyMethodInvocation proxied) ? proxied.invocableClone()
					: invocation;
			return adapt.apply(call.proceed());
		}
		catch (Throwable ex) {
			return error.apply(ex);
		}
	}

	static <P> P fallback(Rejection rejection, Object target, @Nullable Object[] arguments,
			Function<@Nullable Object, P> adapt, Function<Throwable, P> error) {
		try {
			return adapt.apply(rejection.fallback(target, arguments));
		}
		catch (Throwable ex) {
			return error.apply(ex);
		}
	}

	@SuppressWarnings("unchecked")
	static Mono<Object> mono(@Nullable Object result) {
		return (result != null) ? (Mono<Object>) result : Mono.empty();
	}

	@SuppressWarnings("unchecked")
	static Flux<Object> flux(@Nullable Object result) {
		return (result != null) ? (Flux<Object>) result : Flux.empty();
	}

	/** {@link Mono}: decided at subscription, counted at completion. */
	final class MonoReturnType implements ReturnTypeAdapter {

		@Override
		public boolean supports(Class<?> returnType) {
			return returnType == Mono.class;
		}

		@Override
		public Object limit(MethodInvocation invocation, RateLimitedMethod method) {
			Object target = invocation.getThis();
			@Nullable Object[] arguments = invocation.getArguments();
			Map<String, @Nullable Object> captured = method.collectCallerVariables();
			AppliedLimits applied = AppliedLimits.current();
			return decide(method, target, arguments, captured, applied).flatMap((rejection) -> rejection.isEmpty()
					? proceed(invocation, ReactorReturnTypes::mono, Mono::error)
					: fallback(rejection.get(), target, arguments, ReactorReturnTypes::mono, Mono::error));
		}

		@Override
		public Object count(MethodInvocation invocation, CountedMethod method) {
			@Nullable Object[] arguments = invocation.getArguments();
			Map<String, @Nullable Object> captured = method.collectCallerVariables();
			return variables(method.callerVariables(), captured).flatMap((variables) -> {
				PreparedCounts counts = method.prepare(arguments, variables);
				return proceed(invocation, ReactorReturnTypes::mono, Mono::error).materialize()
					.flatMap((signal) -> record(counts, signal))
					.dematerialize();
			});
		}

	}

	/** {@link Flux}: decided at subscription, counted at completion. */
	final class FluxReturnType implements ReturnTypeAdapter {

		@Override
		public boolean supports(Class<?> returnType) {
			return returnType == Flux.class;
		}

		@Override
		public Object limit(MethodInvocation invocation, RateLimitedMethod method) {
			Object target = invocation.getThis();
			@Nullable Object[] arguments = invocation.getArguments();
			Map<String, @Nullable Object> captured = method.collectCallerVariables();
			AppliedLimits applied = AppliedLimits.current();
			return decide(method, target, arguments, captured, applied)
				.flatMapMany((rejection) -> rejection.isEmpty()
						? proceed(invocation, ReactorReturnTypes::flux, Flux::error)
						: fallback(rejection.get(), target, arguments, ReactorReturnTypes::flux, Flux::error));
		}

		@Override
		public Object count(MethodInvocation invocation, CountedMethod method) {
			@Nullable Object[] arguments = invocation.getArguments();
			Map<String, @Nullable Object> captured = method.collectCallerVariables();
			return variables(method.callerVariables(), captured).flatMapMany((variables) -> {
				PreparedCounts counts = method.prepare(arguments, variables);
				return proceed(invocation, ReactorReturnTypes::flux, Flux::error).materialize()
					.concatMap((signal) -> signal.isOnNext() ? Mono.just(signal) : record(counts, signal))
					.dematerialize();
			});
		}

	}

}
