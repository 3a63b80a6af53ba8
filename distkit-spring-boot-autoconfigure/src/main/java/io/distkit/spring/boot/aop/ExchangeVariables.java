package io.distkit.spring.boot.aop;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/** {@code #request} and {@code #clientIp} from the exchange in the subscriber's Reactor context. */
final class ExchangeVariables implements ReactiveCallerVariables {

	private static final Set<String> NAMES = Set.of("request", "clientIp");

	@Override
	public Set<String> names() {
		return NAMES;
	}

	@Override
	public Mono<Map<String, Object>> collect(ContextView context) {
		ServerWebExchange exchange = DistkitExchangeContextFilter.exchange(context);
		if (exchange == null) {
			return Mono.just(Map.of());
		}
		ServerHttpRequest request = exchange.getRequest();
		Map<String, Object> variables = new HashMap<>();
		variables.put("request", request);
		String clientIp = clientIp(request.getRemoteAddress());
		if (clientIp != null) {
			variables.put("clientIp", clientIp);
		}
		return Mono.just(variables);
	}

	private static @Nullable String clientIp(@Nullable InetSocketAddress address) {
		if (address == null) {
			return null;
		}
		return (address.getAddress() != null) ? address.getAddress().getHostAddress() : address.getHostString();
	}

}
