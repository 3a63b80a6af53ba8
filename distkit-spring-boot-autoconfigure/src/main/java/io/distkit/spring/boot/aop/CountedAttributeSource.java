package io.distkit.spring.boot.aop;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.MethodClassKey;
import org.springframework.core.annotation.MergedAnnotation;

import io.distkit.CounterOverflowException;
import io.distkit.counter.Counter;
import io.distkit.counter.LaxCounter;
import io.distkit.counter.StrictCounter;
import io.distkit.spring.boot.annotation.Counted;
import io.distkit.spring.boot.annotation.InvalidAnnotationException;

/**
 * Turns the {@link Counted} annotations of a method into a checked {@link CountedMethod}, once per method and target
 * class: the name is checked, the counter bean looked up, the expressions parsed and checked. Every broken rule is an
 * {@link InvalidAnnotationException} naming the method.
 */
final class CountedAttributeSource {

	private static final String ANNOTATION = "Counted";

	private final Map<MethodClassKey, Optional<CountedMethod>> cache = new ConcurrentHashMap<>();

	private final ObjectProvider<StrictCounter> strictCounter;

	private final ObjectProvider<LaxCounter> laxCounter;

	private final ExpressionSupport expressions;

	private final ReturnTypeAdapters returnTypes;

	private final CountFailures failures;

	CountedAttributeSource(ObjectProvider<StrictCounter> strictCounter, ObjectProvider<LaxCounter> laxCounter,
			ExpressionSupport expressions, ReturnTypeAdapters returnTypes, CountFailures failures) {
		this.strictCounter = strictCounter;
		this.laxCounter = laxCounter;
		this.expressions = expressions;
		this.returnTypes = returnTypes;
		this.failures = failures;
	}

	/**
	 * The counting of {@code method} called on an instance of {@code targetClass}.
	 * @return the method's counts, or {@code null} when it has none
	 * @throws InvalidAnnotationException if an annotation breaks a rule
	 */
	@Nullable CountedMethod get(Method method, @Nullable Class<?> targetClass) {
		Class<?> target = (targetClass != null) ? targetClass : method.getDeclaringClass();
		Method specific = AopUtils.getMostSpecificMethod(method, target);
		MethodClassKey key = new MethodClassKey(specific, target);
		Optional<CountedMethod> resolved = this.cache.get(key);
		if (resolved == null) {
			resolved = Optional.ofNullable(resolve(specific, target));
			Optional<CountedMethod> existing = this.cache.putIfAbsent(key, resolved);
			resolved = (existing != null) ? existing : resolved;
		}
		return resolved.orElse(null);
	}

	private @Nullable CountedMethod resolve(Method method, Class<?> targetClass) {
		List<MergedAnnotation<Counted>> annotations = AnnotatedMethods.find(method, targetClass, Counted.class);
		if (annotations.isEmpty()) {
			return null;
		}
		String description = MethodNames.describe(method, targetClass);
		Method parameterSource = (annotations.get(0).getSource() instanceof Method declared
				&& declared.getParameterCount() == method.getParameterCount()) ? declared : method;
		MethodExpressions expressions = this.expressions.forMethod(parameterSource, ANNOTATION, description);
		List<CountedOperation> operations = new ArrayList<>();
		Set<String> callerVariables = new LinkedHashSet<>();
		for (MergedAnnotation<Counted> annotation : annotations) {
			String name = annotation.getString("name");
			if (name.isEmpty()) {
				name = MethodNames.shortName(method, targetClass);
			}
			String rule = CounterFields.nameRuleBroken(name);
			if (rule != null) {
				throw new InvalidAnnotationException(ANNOTATION, description, "name " + rule + " (value='" + name + "')");
			}
			String keyText = annotation.getString("key");
			CheckedExpression key = keyText.isBlank() ? null : expressions.parse("key", keyText);
			CheckedExpression increment = expressions.parse("increment", annotation.getString("increment"));
			Long constant = increment.constant();
			if (constant != null && Math.abs(constant) > CounterOverflowException.MAX_VALUE) {
				throw new InvalidAnnotationException(ANNOTATION, description, "increment '"
						+ annotation.getString("increment") + "' must lie within ±" + CounterOverflowException.MAX_VALUE);
			}
			Counted.Type type = annotation.getEnum("type", Counted.Type.class);
			operations.add(new CountedOperation(name, key, increment, annotation.getEnum("when", Counted.When.class),
					type, counter(type, description)));
			callerVariables.addAll(increment.callerVariables());
			if (key != null) {
				callerVariables.addAll(key.callerVariables());
			}
		}
		return new CountedMethod(description, operations, expressions, this.expressions, callerVariables,
				this.returnTypes.forType(method.getReturnType()), this.failures);
	}

	private Counter counter(Counted.Type type, String description) {
		Counter counter = (type == Counted.Type.STRICT) ? this.strictCounter.getIfUnique()
				: this.laxCounter.getIfUnique();
		if (counter == null) {
			String bean = (type == Counted.Type.STRICT) ? "StrictCounter" : "LaxCounter";
			throw new InvalidAnnotationException(ANNOTATION, description, "type " + type + " needs one " + bean
					+ " bean, and there is none (is Redis configured, and distkit.counter.enabled true?); set "
					+ "distkit.counted.enabled=false to ignore @Counted");
		}
		return counter;
	}

}
