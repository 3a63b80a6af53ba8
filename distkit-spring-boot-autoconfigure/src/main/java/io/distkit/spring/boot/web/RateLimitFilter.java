package io.distkit.spring.boot.web;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.http.server.RequestPath;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

import io.distkit.ratelimit.RateLimitBackendUnavailableException;
import io.distkit.ratelimit.RateLimitExceededException;
import io.distkit.spring.boot.aop.ExpressionSupport;

/**
 * distkit's servlet filter. For every request it creates the request's {@link AppliedLimits} (a request attribute,
 * bound to the thread while the rest of the chain runs), decides the {@link UrlLimits} the request matches, and writes
 * the rate-limit header fields of admitted limits as they are recorded, before the response can be committed. A
 * rejected URL limit is answered through Spring MVC's {@link HandlerExceptionResolver}, so it looks exactly like a
 * rejected {@code @RateLimited} handler ({@link RateLimitExceptionHandler}, or the application's own
 * {@code @ExceptionHandler}); without one that answers, the status and header fields are sent with the servlet
 * container's error page. Ordered before Spring Security by default ({@code distkit.web.filter-order}).
 *
 * @since 0.1.0
 */
public final class RateLimitFilter extends OncePerRequestFilter implements Ordered {

	private final UrlLimits limits;

	private final RateLimitHeaderStyle style;

	private final int order;

	private final ExpressionSupport expressions;

	private final Supplier<@Nullable HandlerExceptionResolver> exceptionResolver;

	private final RateLimitProblemFactory problems;

	/**
	 * Creates the filter.
	 * @param limits the URL limits
	 * @param style which fields admitted responses carry
	 * @param order the filter's order
	 * @param expressions the expression support, whose caller variables the keys see
	 * @param exceptionResolver Spring MVC's exception resolver (looked up at each rejection)
	 * @param problems the problem factory
	 */
	public RateLimitFilter(UrlLimits limits, RateLimitHeaderStyle style, int order, ExpressionSupport expressions,
			Supplier<@Nullable HandlerExceptionResolver> exceptionResolver, RateLimitProblemFactory problems) {
		this.limits = limits;
		this.style = style;
		this.order = order;
		this.expressions = expressions;
		this.exceptionResolver = exceptionResolver;
		this.problems = problems;
	}

	@Override
	public int getOrder() {
		return this.order;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		AppliedLimits applied = new AppliedLimits(this.style != RateLimitHeaderStyle.NONE,
				(limits) -> writeFields(response, limits));
		request.setAttribute(AppliedLimits.ATTRIBUTE, applied);
		AppliedLimits previous = AppliedLimits.bind(applied);
		try {
			List<UrlLimit> matching = this.limits.matching(request.getMethod(),
					RequestPath.parse(request.getRequestURI(), request.getContextPath()).pathWithinApplication());
			if (!matching.isEmpty()) {
				try {
					this.limits.apply(matching, variables(request, response, UrlLimits.callerVariables(matching)),
							applied);
				}
				catch (RateLimitExceededException | RateLimitBackendUnavailableException ex) {
					reject(request, response, ex, applied);
					return;
				}
			}
			chain.doFilter(request, response);
		}
		finally {
			AppliedLimits.bind(previous);
		}
	}

	/** The caller variables of a request, read with the request bound as Spring's current request. */
	private Map<String, @Nullable Object> variables(HttpServletRequest request, HttpServletResponse response,
			Set<String> wanted) {
		if (wanted.isEmpty()) {
			return Map.of();
		}
		RequestAttributes previous = RequestContextHolder.getRequestAttributes();
		RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request, response));
		try {
			return this.expressions.collect(wanted);
		}
		finally {
			RequestContextHolder.setRequestAttributes(previous);
		}
	}

	private void reject(HttpServletRequest request, HttpServletResponse response, RuntimeException rejection,
			AppliedLimits applied) throws IOException {
		HandlerExceptionResolver resolver = this.exceptionResolver.get();
		ModelAndView handled = (resolver != null) ? resolver.resolveException(request, response, null, rejection)
				: null;
		if (handled == null) {
			RateLimitResponse answer = RateLimitResponse.of(rejection, applied, this.style, this.problems);
			if (answer == null) {
				throw rejection;
			}
			answer.headers().forEach((name, values) -> response.setHeader(name, values.get(0)));
			response.sendError(answer.status().value(), answer.body().getDetail());
		}
	}

	private void writeFields(HttpServletResponse response, AppliedLimits applied) {
		if (response.isCommitted()) {
			return;
		}
		RateLimitHeaders.admitted(applied.list(), this.style).forEach(response::setHeader);
	}

}
