package io.distkit.spring.boot.aop;

import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Puts the current {@link ServerWebExchange} into the Reactor context of the request's handling, so that the
 * expressions of {@code @RateLimited} and {@code @Counted} on reactive methods see {@code #request} and
 * {@code #clientIp} in WebFlux. Runs last among the filters, so it stores the exchange as earlier filters (and
 * Spring's {@code ForwardedHeaderTransformer}) left it.
 *
 * @since 0.1.0
 */
public final class DistkitExchangeContextFilter implements WebFilter, Ordered {

	private static final String KEY = DistkitExchangeContextFilter.class.getName() + ".EXCHANGE";

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		return chain.filter(exchange).contextWrite((context) -> context.put(KEY, exchange));
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	/**
	 * The exchange this filter stored in {@code context}.
	 * @param context a subscriber's context
	 * @return the exchange, or {@code null} outside a request this filter handled
	 */
	public static @Nullable ServerWebExchange exchange(ContextView context) {
		return context.getOrDefault(KEY, null);
	}

	/**
	 * {@code context} with {@code exchange} stored as this filter stores it, for code that runs before this filter
	 * (distkit's URL limits) and reads caller variables through {@link ReactiveCallerVariables}.
	 * @param context a subscriber's context
	 * @param exchange the exchange
	 * @return the context with the exchange
	 */
	public static Context withExchange(ContextView context, ServerWebExchange exchange) {
		return Context.of(context).put(KEY, exchange);
	}

}
