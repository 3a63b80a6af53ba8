package io.distkit.spring.boot.aop;

import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.distkit.spring.boot.annotation.AnnotationExpressionException;

/**
 * A key expression evaluated per web request rather than per method call (a URL limit's
 * {@code distkit.web.limits[*].key}): SpEL over the caller variables ({@code #request}, {@code #clientIp},
 * {@code #principal}) and the application's beans as {@code @name}, parsed and checked by
 * {@link ExpressionSupport#requestKey(String, String)}. Thread-safe.
 *
 * @since 0.1.0
 */
public final class RequestKeyExpression {

	private final MethodExpressions expressions;

	private final CheckedExpression key;

	RequestKeyExpression(MethodExpressions expressions, CheckedExpression key) {
		this.expressions = expressions;
		this.key = key;
	}

	/**
	 * The caller variables the expression uses.
	 * @return their names, without {@code #}
	 */
	public Set<String> callerVariables() {
		return this.key.callerVariables();
	}

	/**
	 * Evaluates the key of one request.
	 * @param variables the request's caller variables (at least those of {@link #callerVariables()})
	 * @return the key: the value's string form, never {@code null} or empty
	 * @throws AnnotationExpressionException if the evaluation fails or gives {@code null} or an empty string
	 */
	public String key(Map<String, @Nullable Object> variables) {
		return this.key.key(this.expressions.scope(new Object[0], variables));
	}

	@Override
	public String toString() {
		return this.key.toString();
	}

}
