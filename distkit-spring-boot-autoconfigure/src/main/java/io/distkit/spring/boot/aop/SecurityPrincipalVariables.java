package io.distkit.spring.boot.aop;

import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** {@code #principal} from Spring Security's context of the current thread. */
final class SecurityPrincipalVariables implements CallerVariables {

	static final AuthenticationTrustResolver TRUST = new AuthenticationTrustResolverImpl();

	private static final Set<String> NAMES = Set.of("principal");

	@Override
	public Set<String> names() {
		return NAMES;
	}

	@Override
	public void collect(Map<String, @Nullable Object> variables) {
		variables.put("principal", authenticated(SecurityContextHolder.getContext().getAuthentication()));
	}

	static @Nullable Authentication authenticated(@Nullable Authentication authentication) {
		return TRUST.isAuthenticated(authentication) ? authentication : null;
	}

}
