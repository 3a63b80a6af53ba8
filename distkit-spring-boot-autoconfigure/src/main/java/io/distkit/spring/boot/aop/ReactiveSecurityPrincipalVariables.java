package io.distkit.spring.boot.aop;

import java.util.Map;
import java.util.Set;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/** {@code #principal} from Spring Security's reactive context. */
final class ReactiveSecurityPrincipalVariables implements ReactiveCallerVariables {

	private static final Set<String> NAMES = Set.of("principal");

	@Override
	public Set<String> names() {
		return NAMES;
	}

	@Override
	public Mono<Map<String, Object>> collect(ContextView context) {
		return ReactiveSecurityContextHolder.getContext()
			.mapNotNull(SecurityContext::getAuthentication)
			.filter(SecurityPrincipalVariables.TRUST::isAuthenticated)
			.map((Authentication authentication) -> Map.<String, Object>of("principal", authentication))
			.defaultIfEmpty(Map.of());
	}

}
