package io.distkit.spring.boot.aop;

import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.expression.Expression;

import io.distkit.spring.boot.annotation.AnnotationExpressionException;

/**
 * One parsed and checked expression of an annotation attribute, evaluated per call. An integer literal is kept as a
 * constant and never evaluated. A failure during evaluation, or a value the attribute does not accept, becomes an
 * {@link AnnotationExpressionException} naming the method, the attribute and the expression.
 */
final class CheckedExpression {

	private final MethodExpressions method;

	private final String attribute;

	private final String text;

	private final @Nullable Expression expression;

	private final @Nullable Long constant;

	private final Set<String> callerVariables;

	CheckedExpression(MethodExpressions method, String attribute, String text, @Nullable Expression expression,
			@Nullable Long constant, Set<String> callerVariables) {
		this.method = method;
		this.attribute = attribute;
		this.text = text;
		this.expression = expression;
		this.constant = constant;
		this.callerVariables = callerVariables;
	}

	/** The caller variables this expression uses. */
	Set<String> callerVariables() {
		return this.callerVariables;
	}

	/** The value as a key: any non-null value with a non-empty string form. */
	String key(EvaluationScope scope) {
		if (this.constant != null) {
			return this.constant.toString();
		}
		Object value = evaluate(scope, Object.class);
		String key = (value != null) ? value.toString() : null;
		if (key == null || key.isEmpty()) {
			throw rejected("gave " + ((key == null) ? "null" : "an empty string") + "; a key must not be null or empty "
					+ "(use '?:' to choose a default)");
		}
		return key;
	}

	/** The value as an integer within {@code [min, max]}. */
	long number(EvaluationScope scope, long min, long max) {
		Long value = (this.constant != null) ? this.constant : evaluate(scope, Long.class);
		if (value == null || value < min || value > max) {
			throw rejected("gave " + value + "; it must be an integer between " + min + " and " + max);
		}
		return value;
	}

	/** The value as a condition; {@code null} is {@code false}. */
	boolean condition(EvaluationScope scope) {
		if (this.constant != null) {
			throw rejected("gave the number " + this.constant + "; it must be a boolean");
		}
		Boolean value = evaluate(scope, Boolean.class);
		return Boolean.TRUE.equals(value);
	}

	/** The value of an integer literal; {@code null} for any other expression. */
	@Nullable Long constant() {
		return this.constant;
	}

	@Override
	public String toString() {
		return this.attribute + " '" + this.text + "'";
	}

	private <T> @Nullable T evaluate(EvaluationScope scope, Class<T> type) {
		Expression expression = this.expression;
		if (expression == null) {
			throw new IllegalStateException("Constant " + this + " has no expression");
		}
		try {
			return expression.getValue(scope.context(), type);
		}
		catch (RuntimeException ex) {
			throw new AnnotationExpressionException(this.method.label() + " " + this.attribute + " '"
					+ this.text + "' of " + this.method.description() + " failed: " + ex.getMessage(),
					this.method.description(), this.text, ex);
		}
	}

	private AnnotationExpressionException rejected(String problem) {
		return new AnnotationExpressionException(this.method.label() + " " + this.attribute + " '"
				+ this.text + "' of " + this.method.description() + " " + problem, this.method.description(),
				this.text, null);
	}

}
