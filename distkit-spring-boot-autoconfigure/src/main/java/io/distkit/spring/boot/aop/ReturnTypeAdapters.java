package io.distkit.spring.boot.aop;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The return types distkit's interceptors treat specially. {@link #blocking()} knows {@code CompletionStage} and
 * {@code CompletableFuture}, decided and counted on the calling thread; {@link #reactor(List)} adds {@code Mono} and
 * {@code Flux}, decided at subscription and counted at completion, with every call that may touch Redis on Reactor's
 * {@code boundedElastic} scheduler (futures included). Any other return type is decided before the method runs and
 * counted when it returns, on the calling thread.
 *
 * @since 0.1.0
 */
public final class ReturnTypeAdapters {

	private final List<ReturnTypeAdapter> adapters;

	private final Set<String> variableNames;

	private final boolean reactive;

	ReturnTypeAdapters(List<ReturnTypeAdapter> adapters, Set<String> variableNames, boolean reactive) {
		this.adapters = new ArrayList<>(adapters);
		this.adapters.add(BlockingReturnType.INSTANCE);
		this.variableNames = Set.copyOf(variableNames);
		this.reactive = reactive;
	}

	/**
	 * The strategies without Reactor.
	 * @return the strategies
	 */
	public static ReturnTypeAdapters blocking() {
		return new ReturnTypeAdapters(List.of(new CompletionStageReturnType(Runnable::run)), Set.of(), false);
	}

	/**
	 * The strategies with Reactor. Needs Reactor on the class path.
	 * @param variables the sources of caller variables in the Reactor context
	 * @return the strategies
	 */
	public static ReturnTypeAdapters reactor(List<ReactiveCallerVariables> variables) {
		return ReactorReturnTypes.adapters(variables);
	}

	/**
	 * Whether {@code Mono} and {@code Flux} are handled and futures decided on Reactor's {@code boundedElastic}.
	 * @return whether these are the Reactor strategies
	 */
	public boolean isReactive() {
		return this.reactive;
	}

	/** The caller variables the reactive sources add. */
	Set<String> variableNames() {
		return this.variableNames;
	}

	/** The strategy for methods declaring {@code returnType}. */
	ReturnTypeAdapter forType(Class<?> returnType) {
		for (ReturnTypeAdapter adapter : this.adapters) {
			if (adapter.supports(returnType)) {
				return adapter;
			}
		}
		return BlockingReturnType.INSTANCE;
	}

}
