package io.distkit.spring.boot.web;

import java.util.List;
import java.util.Map;

import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import io.distkit.spring.boot.aop.DistkitExchangeContextFilter;
import io.distkit.spring.boot.aop.ReactiveCallerVariables;

/**
 * distkit's WebFlux filter. For every request it creates the request's {@link AppliedLimits} (an exchange attribute
 * and a Reactor context entry, where reactive {@code @RateLimited} methods find it), decides the {@link UrlLimits} the
 * request matches on {@link Schedulers#boundedElastic()} (never on the event loop), and writes the rate-limit header
 * fields of the admitted limits when the response is committed. A rejection is signalled as an error, which
 * {@link RateLimitWebExceptionHandler} answers. Ordered before Spring Security by default
 * ({@code distkit.web.filter-order}); {@code #principal} in a key needs it after.
 *
 * @since 0.1.0
 */
public final class RateLimitWebFilter implements WebFilter, Ordered {

	/** Exchange attribute set when distkit answered the request itself, so the admitted fields are not written. */
	static final String ANSWERED = RateLimitWebFilter.class.getName() + ".ANSWERED";

	private final UrlLimits limits;

	private final RateLimitHeaderStyle style;

	private final int order;

	private final List<ReactiveCallerVariables> variables;

	private final Scheduler scheduler;

	/**
	 * Creates the filter.
	 * @param limits the URL limits
	 * @param style which fields admitted responses carry
	 * @param order the filter's order
	 * @param variables the sources of the caller variables the keys see
	 */
	public RateLimitWebFilter(UrlLimits limits, RateLimitHeaderStyle style, int order,
			List<ReactiveCallerVariables> variables) {
		this.limits = limits;
		this.style = style;
		this.order = order;
		this.variables = List.copyOf(variables);
		this.scheduler = Schedulers.boundedElastic();
	}

	@Override
	public int getOrder() {
		return this.order;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		AppliedLimits applied = new AppliedLimits(this.style != RateLimitHeaderStyle.NONE, null);
		exchange.getAttributes().put(AppliedLimits.ATTRIBUTE, applied);
		ServerHttpResponse response = exchange.getResponse();
		if (this.style != RateLimitHeaderStyle.NONE) {
			response.beforeCommit(() -> Mono.fromRunnable(() -> writeFields(exchange, applied)));
		}
		ServerHttpRequest request = exchange.getRequest();
		List<UrlLimit> matching = this.limits.matching(request.getMethod().name(),
				request.getPath().pathWithinApplication());
		Mono<Void> filtered = matching.isEmpty() ? chain.filter(exchange)
				: decide(exchange, matching, applied).then(Mono.defer(() -> chain.filter(exchange)));
		return filtered.contextWrite((context) -> context.put(AppliedLimits.CONTEXT_KEY, applied));
	}

	private Mono<Void> decide(ServerWebExchange exchange, List<UrlLimit> matching, AppliedLimits applied) {
		return Mono
			.deferContextual((context) -> ReactiveCallerVariables.collect(this.variables,
					UrlLimits.callerVariables(matching), Map.of(), DistkitExchangeContextFilter.withExchange(context,
							exchange)))
			.flatMap((variables) -> Mono.fromRunnable(() -> this.limits.apply(matching, variables, applied))
				.subscribeOn(this.scheduler))
			.then();
	}

	private void writeFields(ServerWebExchange exchange, AppliedLimits applied) {
		if (exchange.getAttribute(ANSWERED) == null) {
			RateLimitHeaders.admitted(applied.list(), this.style).forEach(exchange.getResponse().getHeaders()::set);
		}
	}

}
