package io.distkit.spring.boot.annotation;

import io.distkit.DistkitException;

/**
 * A SpEL expression of a {@link RateLimited} or {@link Counted} annotation failed during a call, or gave a value its
 * attribute does not accept. The message names the method, the attribute and the expression, e.g.
 * {@code @RateLimited key '#user.id' of OrderService.place(User) failed: EL1007E: Property or field 'id' cannot be
 * found on null}. The original failure, if any, is the cause.
 *
 * @since 0.1.0
 */
public class AnnotationExpressionException extends DistkitException {

	private static final long serialVersionUID = 1L;

	private final String method;

	private final String expression;

	/**
	 * Creates an exception.
	 * @param message the message, naming the method, the attribute and the expression
	 * @param method the method, as {@code SimpleClassName.method(ParameterTypes)}
	 * @param expression the expression
	 * @param cause the failure, or {@code null} when the value was rejected
	 */
	public AnnotationExpressionException(String message, String method, String expression, Throwable cause) {
		super(message, cause);
		this.method = method;
		this.expression = expression;
	}

	/** The annotated method, as {@code SimpleClassName.method(ParameterTypes)}. */
	public String getMethod() {
		return this.method;
	}

	/** The expression that failed. */
	public String getExpression() {
		return this.expression;
	}

}
