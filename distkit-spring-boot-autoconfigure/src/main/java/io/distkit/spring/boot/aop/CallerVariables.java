package io.distkit.spring.boot.aop;

import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A source of caller variables for the expressions of distkit's annotations, read on the thread that calls the
 * annotated method: the current web request, the authenticated principal. Implementations are thread-safe and cheap;
 * they are asked only when a call's expressions use one of their {@link #names()}.
 *
 * @since 0.1.0
 * @see ReactiveCallerVariables
 */
public interface CallerVariables {

	/**
	 * The variables this source defines.
	 * @return the names, without {@code #}
	 */
	Set<String> names();

	/**
	 * Puts the values of this source's variables for the current thread into {@code variables}; a value that is not
	 * available (no current request, nobody authenticated) is {@code null}.
	 * @param variables where to put them
	 */
	void collect(Map<String, @Nullable Object> variables);

	/**
	 * {@code #request}, the current {@code HttpServletRequest}, and {@code #clientIp}, its
	 * {@code getRemoteAddr()} (which Spring's forwarded-header support adjusts behind a proxy), from Spring's
	 * {@code RequestContextHolder}. Needs Spring Web and the Servlet API.
	 * @return the source
	 */
	static CallerVariables servletRequest() {
		return new ServletRequestVariables();
	}

	/**
	 * {@code #principal}, the authenticated Spring Security {@code Authentication} of the current thread
	 * ({@code null} when anonymous). Needs Spring Security.
	 * @return the source
	 */
	static CallerVariables securityPrincipal() {
		return new SecurityPrincipalVariables();
	}

}
