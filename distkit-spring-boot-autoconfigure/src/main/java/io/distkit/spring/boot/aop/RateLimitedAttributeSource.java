package io.distkit.spring.boot.aop;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.MethodClassKey;
import org.springframework.core.annotation.MergedAnnotation;

import io.distkit.InvalidOptionException;
import io.distkit.ratelimit.BoundLimit;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.spring.boot.annotation.InvalidAnnotationException;
import io.distkit.spring.boot.annotation.LimitResolver;
import io.distkit.spring.boot.annotation.RateLimited;

/**
 * Turns the {@link RateLimited} annotations of a method into a checked {@link RateLimitedMethod}, once per method and
 * target class: the limit is looked up or built, the expressions parsed and checked, the fallback method found. Every
 * broken rule is an {@link InvalidAnnotationException} naming the method.
 */
final class RateLimitedAttributeSource {

	private static final String ANNOTATION = "RateLimited";

	private final Map<MethodClassKey, Optional<RateLimitedMethod>> cache = new ConcurrentHashMap<>();

	private final InlineLimits inlineLimits = new InlineLimits();

	private final Supplier<@Nullable LimitDecisions> decisions;

	private final ListableBeanFactory beanFactory;

	private final Function<String, RateLimit.Builder> inlineDefaults;

	private final ExpressionSupport expressions;

	private final ReturnTypeAdapters returnTypes;

	/**
	 * @param decisions the shared decision support, {@code null} when there is no rate limiter
	 * @param beanFactory where to look for a {@link LimitResolver}
	 * @param inlineDefaults a builder of an inline limit of the given name with the configured defaults
	 * @param expressions the expression support
	 * @param returnTypes the return-type strategies
	 */
	RateLimitedAttributeSource(Supplier<@Nullable LimitDecisions> decisions, ListableBeanFactory beanFactory,
			Function<String, RateLimit.Builder> inlineDefaults, ExpressionSupport expressions,
			ReturnTypeAdapters returnTypes) {
		this.decisions = decisions;
		this.beanFactory = beanFactory;
		this.inlineDefaults = inlineDefaults;
		this.expressions = expressions;
		this.returnTypes = returnTypes;
	}

	/**
	 * The rate limiting of {@code method} called on an instance of {@code targetClass}.
	 * @return the method's limits, or {@code null} when it has none
	 * @throws InvalidAnnotationException if an annotation breaks a rule
	 */
	@Nullable RateLimitedMethod get(Method method, @Nullable Class<?> targetClass) {
		Class<?> target = (targetClass != null) ? targetClass : method.getDeclaringClass();
		Method specific = AopUtils.getMostSpecificMethod(method, target);
		MethodClassKey key = new MethodClassKey(specific, target);
		Optional<RateLimitedMethod> resolved = this.cache.get(key);
		if (resolved == null) {
			resolved = Optional.ofNullable(resolve(specific, target));
			Optional<RateLimitedMethod> existing = this.cache.putIfAbsent(key, resolved);
			resolved = (existing != null) ? existing : resolved;
		}
		return resolved.orElse(null);
	}

	private @Nullable RateLimitedMethod resolve(Method method, Class<?> targetClass) {
		List<MergedAnnotation<RateLimited>> annotations = AnnotatedMethods.find(method, targetClass, RateLimited.class);
		if (annotations.isEmpty()) {
			return null;
		}
		String description = MethodNames.describe(method, targetClass);
		LimitDecisions decisions = this.decisions.get();
		if (decisions == null) {
			throw new InvalidAnnotationException(ANNOTATION, description, "there is no RateLimiter bean (is "
					+ "distkit.rate-limit.enabled false?); set distkit.rate-limited.enabled=false to ignore @RateLimited");
		}
		Method parameterSource = parameterSource(annotations.get(0), method);
		MethodExpressions expressions = this.expressions.forMethod(parameterSource, ANNOTATION, description);
		List<RateLimitedOperation> operations = new ArrayList<>();
		Set<String> callerVariables = new LinkedHashSet<>();
		for (MergedAnnotation<RateLimited> annotation : annotations) {
			RateLimitedOperation operation = operation(annotation, method, targetClass, description, expressions,
					decisions.limiter());
			operations.add(operation);
			collect(callerVariables, operation.key(), operation.cost(), operation.skipIf());
		}
		return new RateLimitedMethod(method, description, MethodNames.defaultKey(method, targetClass), operations,
				expressions, this.expressions, callerVariables, this.returnTypes.forType(method.getReturnType()),
				decisions);
	}

	private RateLimitedOperation operation(MergedAnnotation<RateLimited> annotation, Method method,
			Class<?> targetClass, String description, MethodExpressions expressions, RateLimiter limiter) {
		BoundLimit limit = limit(annotation, method, targetClass, description, limiter);
		String keyText = annotation.getString("key");
		CheckedExpression key = keyText.isBlank() ? null : expressions.parse("key", keyText);
		CheckedExpression cost = expressions.parse("cost", annotation.getString("cost"));
		Long constantCost = cost.constant();
		if (constantCost != null && (constantCost < 0 || constantCost > RateLimit.MAX_COUNT)) {
			throw new InvalidAnnotationException(ANNOTATION, description, "cost '" + annotation.getString("cost")
					+ "' must be an integer between 0 and " + RateLimit.MAX_COUNT);
		}
		String skipIfText = annotation.getString("skipIf");
		CheckedExpression skipIf = skipIfText.isBlank() ? null : expressions.parse("skipIf", skipIfText);
		if (skipIf != null && skipIf.constant() != null) {
			throw new InvalidAnnotationException(ANNOTATION, description, "skipIf '" + skipIfText
					+ "' is a number; it must be a condition such as \"#internal\"");
		}
		String fallbackName = annotation.getString("fallbackMethod");
		FallbackMethod fallback = fallbackName.isBlank() ? null
				: FallbackMethod.resolve(method, targetClass, fallbackName, description);
		return new RateLimitedOperation(limit, key, cost, skipIf, fallback);
	}

	private @Nullable BoundLimit limit(MergedAnnotation<RateLimited> annotation, Method method, Class<?> targetClass,
			String description, RateLimiter limiter) {
		String name = annotation.getString("limit");
		long capacity = annotation.getLong("capacity");
		String window = annotation.getString("window");
		String bucket = annotation.getString("bucket");
		boolean inline = capacity != -1 || !window.isBlank() || !bucket.isBlank();
		if (!name.isBlank()) {
			if (inline) {
				throw new InvalidAnnotationException(ANNOTATION, description, "sets both limit '" + name
						+ "' and an inline limit (capacity, window, bucket); choose one");
			}
			if (!limiter.limits().containsKey(name)) {
				throw new InvalidAnnotationException(ANNOTATION, description, "limit '" + name
						+ "' is not configured (configured: " + String.join(", ", limiter.limits().keySet())
						+ "); define distkit.rate-limit.limits." + name + ".capacity or fix the name");
			}
			return limiter.limit(name);
		}
		if (inline) {
			return inlineLimit(method, targetClass, description, capacity, window, bucket, limiter);
		}
		if (BeanFactoryUtils.beanNamesForTypeIncludingAncestors(this.beanFactory, LimitResolver.class, true,
				false).length == 0) {
			throw new InvalidAnnotationException(ANNOTATION, description, "names no limit: set limit (a configured "
					+ "limit), or capacity and window (an inline limit), or define a LimitResolver bean");
		}
		return null;
	}

	private BoundLimit inlineLimit(Method method, Class<?> targetClass, String description, long capacity,
			String window, String bucket, RateLimiter limiter) {
		if (capacity == -1 || window.isBlank()) {
			throw new InvalidAnnotationException(ANNOTATION, description, "an inline limit needs both capacity and "
					+ "window (capacity=" + ((capacity == -1) ? "unset" : capacity) + ", window='" + window + "')");
		}
		String name = MethodNames.shortName(method, targetClass);
		if (!RateLimit.isValidName(name)) {
			throw new InvalidAnnotationException(ANNOTATION, description, "its inline limit's name '" + name
					+ "' must match [A-Za-z0-9._-]{1,64}; use a named limit (limit = \"...\") instead");
		}
		RateLimit limit;
		try {
			RateLimit.Builder builder = this.inlineDefaults.apply(name).capacity(capacity);
			if (!bucket.isBlank()) {
				builder.bucket(duration("bucket", bucket, description));
			}
			limit = builder.window(duration("window", window, description)).build();
		}
		catch (InvalidOptionException ex) {
			throw new InvalidAnnotationException(ANNOTATION, description, ex.getOption() + " " + ex.getRule()
					+ " (value=" + ex.getValue() + ")", ex);
		}
		RateLimit configured = limiter.limits().get(name);
		if (configured != null && !configured.equals(limit)) {
			throw new InvalidAnnotationException(ANNOTATION, description, "its inline limit '" + name
					+ "' has the name of a configured limit (distkit.rate-limit.limits." + name + "); rename one");
		}
		this.inlineLimits.register(limit, description);
		try {
			return limiter.limit(limit);
		}
		catch (InvalidOptionException ex) {
			throw new InvalidAnnotationException(ANNOTATION, description, "its inline limit " + ex.getRule(), ex);
		}
	}

	private static Duration duration(String attribute, String text, String description) {
		try {
			return DurationStyle.detectAndParse(text.trim());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidAnnotationException(ANNOTATION, description, attribute
					+ " must be a duration such as \"1m\", \"10s\", \"500ms\" or \"PT1M\" (value='" + text + "')", ex);
		}
	}

	private static Method parameterSource(MergedAnnotation<?> annotation, Method method) {
		return (annotation.getSource() instanceof Method declared
				&& declared.getParameterCount() == method.getParameterCount()) ? declared : method;
	}

	private static void collect(Set<String> callerVariables, @Nullable CheckedExpression... expressions) {
		for (CheckedExpression expression : expressions) {
			if (expression != null) {
				callerVariables.addAll(expression.callerVariables());
			}
		}
	}

}
