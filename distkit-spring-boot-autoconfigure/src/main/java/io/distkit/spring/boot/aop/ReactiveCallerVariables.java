package io.distkit.spring.boot.aop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * A source of caller variables for reactive calls, read from the Reactor context of the subscriber (in WebFlux: the
 * exchange the {@link DistkitExchangeContextFilter} stored, Spring Security's reactive context). Values it finds
 * replace those {@link CallerVariables} read on the calling thread.
 *
 * @since 0.1.0
 */
public interface ReactiveCallerVariables {

	/**
	 * The variables this source defines.
	 * @return the names, without {@code #}
	 */
	Set<String> names();

	/**
	 * The values of this source's variables for a subscriber.
	 * @param context the subscriber's context
	 * @return the variables found (those not available are absent); never empty-completing
	 */
	Mono<Map<String, Object>> collect(ContextView context);

	/**
	 * The variables {@code sources} find for a subscriber, over {@code captured}: only the sources that define one of
	 * the {@code wanted} variables are asked.
	 * @param sources the sources, in order (a later source's value wins)
	 * @param wanted the variables the expressions use
	 * @param captured the variables read on the calling thread, replaced by those the sources find
	 * @param context the subscriber's context
	 * @return the variables
	 */
	static Mono<Map<String, @Nullable Object>> collect(List<ReactiveCallerVariables> sources, Set<String> wanted,
			Map<String, @Nullable Object> captured, ContextView context) {
		List<ReactiveCallerVariables> asked = new ArrayList<>();
		for (ReactiveCallerVariables source : sources) {
			if (ExpressionSupport.intersects(source.names(), wanted)) {
				asked.add(source);
			}
		}
		if (asked.isEmpty()) {
			return Mono.just(captured);
		}
		return Flux.fromIterable(asked)
			.concatMap((source) -> source.collect(context))
			.reduce((Map<String, @Nullable Object>) new HashMap<String, @Nullable Object>(captured), (all, found) -> {
				all.putAll(found);
				return all;
			});
	}

	/**
	 * {@code #request}, the {@code ServerHttpRequest} of the exchange, and {@code #clientIp}, the host address of its
	 * remote address (which Spring's {@code ForwardedHeaderTransformer} adjusts behind a proxy). Needs WebFlux's
	 * {@link DistkitExchangeContextFilter}.
	 * @return the source
	 */
	static ReactiveCallerVariables serverWebExchange() {
		return new ExchangeVariables();
	}

	/**
	 * {@code #principal}, the authenticated {@code Authentication} of Spring Security's reactive context.
	 * @return the source
	 */
	static ReactiveCallerVariables reactiveSecurityPrincipal() {
		return new ReactiveSecurityPrincipalVariables();
	}

}
