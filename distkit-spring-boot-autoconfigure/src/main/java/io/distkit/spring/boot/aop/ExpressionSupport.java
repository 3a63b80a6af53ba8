package io.distkit.spring.boot.aop;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.BeanResolver;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.StandardTypeLocator;
import org.springframework.util.ClassUtils;

import io.distkit.spring.boot.annotation.InvalidAnnotationException;

/**
 * Parses, checks and evaluates the SpEL expressions of distkit's annotations: one parser, the application's beans
 * as {@code @name}, and the caller variables ({@code #request}, {@code #clientIp}, {@code #principal}) of the
 * integrations present. Thread-safe.
 *
 * @since 0.1.0
 */
public final class ExpressionSupport {

	/** The caller variables distkit can offer, with what each needs when it is not available. */
	static final Map<String, String> CALLER_VARIABLES = Map.of("request", "needs Spring Web (a servlet or WebFlux "
			+ "application)", "clientIp", "needs Spring Web (a servlet or WebFlux application)", "principal",
			"needs Spring Security on the class path");

	private final SpelExpressionParser parser = new SpelExpressionParser();

	private final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

	private final BeanFactory beanFactory;

	private final BeanResolver beanResolver;

	private final StandardTypeLocator typeLocator;

	private final List<CallerVariables> callerVariables;

	private final Set<String> callerVariableNames;

	/**
	 * Creates the support of one application context.
	 * @param beanFactory the bean factory, for {@code @bean} references
	 * @param callerVariables the sources of caller variables for calls running on the caller's thread
	 * @param returnTypes the return-type strategies, whose reactive sources add caller variables
	 */
	public ExpressionSupport(BeanFactory beanFactory, List<CallerVariables> callerVariables,
			ReturnTypeAdapters returnTypes) {
		this.beanFactory = beanFactory;
		this.beanResolver = new BeanFactoryResolver(beanFactory);
		ClassLoader classLoader = (beanFactory instanceof ConfigurableBeanFactory configurable
				&& configurable.getBeanClassLoader() != null) ? configurable.getBeanClassLoader()
						: ClassUtils.getDefaultClassLoader();
		this.typeLocator = new StandardTypeLocator(classLoader);
		this.callerVariables = List.copyOf(callerVariables);
		Set<String> names = new LinkedHashSet<>();
		callerVariables.forEach((source) -> names.addAll(source.names()));
		names.addAll(returnTypes.variableNames());
		this.callerVariableNames = Set.copyOf(names);
	}

	/** The caller variables expressions may use. */
	Set<String> callerVariableNames() {
		return this.callerVariableNames;
	}

	/**
	 * The expressions of one annotated method.
	 * @param method the method whose parameter names the expressions use
	 * @param annotation the annotation's simple name, for messages
	 * @param description the method as messages name it
	 */
	MethodExpressions forMethod(Method method, String annotation, String description) {
		@Nullable String[] names = this.parameterNames.getParameterNames(method);
		return new MethodExpressions(this, method.getParameterCount(), names, annotation, description,
				"@" + annotation);
	}

	/**
	 * Parses and checks a key expression that is evaluated per web request rather than per method call, such as
	 * {@code distkit.web.limits[0].key}: it sees the caller variables and {@code @beans}, no arguments.
	 * @param text the expression
	 * @param source where it is configured, for messages
	 * @return the checked expression
	 * @throws IllegalArgumentException if it is malformed or uses an unknown variable or bean; the message says why
	 */
	public RequestKeyExpression requestKey(String text, String source) {
		MethodExpressions expressions = new MethodExpressions(this, 0, new String[0], "RateLimited", source,
				"URL limit");
		try {
			return new RequestKeyExpression(expressions, expressions.parse("key", text));
		}
		catch (InvalidAnnotationException ex) {
			throw new IllegalArgumentException(ex.getRule(), ex);
		}
	}

	/**
	 * The caller variables of a call on this thread, from the sources that read the calling thread (the servlet request
	 * in Spring's {@code RequestContextHolder}, Spring Security's {@code SecurityContextHolder}).
	 * @param wanted the variables the call's expressions use
	 * @return the variables, absent ones {@code null}; an empty map when none is wanted
	 */
	public Map<String, @Nullable Object> collect(Set<String> wanted) {
		if (wanted.isEmpty()) {
			return Map.of();
		}
		Map<String, @Nullable Object> variables = new HashMap<>();
		for (CallerVariables source : this.callerVariables) {
			if (intersects(source.names(), wanted)) {
				source.collect(variables);
			}
		}
		return variables;
	}

	SpelExpressionParser parser() {
		return this.parser;
	}

	BeanResolver beanResolver() {
		return this.beanResolver;
	}

	StandardTypeLocator typeLocator() {
		return this.typeLocator;
	}

	boolean containsBean(String name) {
		return this.beanFactory.containsBean(name);
	}

	static boolean intersects(Set<String> names, Set<String> wanted) {
		for (String name : names) {
			if (wanted.contains(name)) {
				return true;
			}
		}
		return false;
	}

}
