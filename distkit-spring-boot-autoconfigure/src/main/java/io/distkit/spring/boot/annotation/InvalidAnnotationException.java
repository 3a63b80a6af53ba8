package io.distkit.spring.boot.annotation;

import io.distkit.DistkitException;

/**
 * A {@link RateLimited} or {@link Counted} annotation breaks a rule: an unknown limit, a malformed expression, a
 * missing fallback method. Thrown when the annotated bean is created, so the application does not start; the message
 * names the method, the attribute, the rule and the value, e.g.
 * {@code Invalid @RateLimited on OrderService.place(String): limit 'apii' is not configured (configured: api, login)}.
 *
 * @since 0.1.0
 */
public class InvalidAnnotationException extends DistkitException {

	private static final long serialVersionUID = 1L;

	private final String method;

	private final String rule;

	/**
	 * Creates an exception.
	 * @param annotation the annotation's simple name, such as {@code RateLimited}
	 * @param method the method, as {@code SimpleClassName.method(ParameterTypes)}
	 * @param rule what is wrong, with the offending value
	 * @param cause the underlying failure, if any
	 */
	public InvalidAnnotationException(String annotation, String method, String rule, Throwable cause) {
		super("Invalid @" + annotation + " on " + method + ": " + rule, cause);
		this.method = method;
		this.rule = rule;
	}

	/**
	 * Creates an exception.
	 * @param annotation the annotation's simple name, such as {@code RateLimited}
	 * @param method the method, as {@code SimpleClassName.method(ParameterTypes)}
	 * @param rule what is wrong, with the offending value
	 */
	public InvalidAnnotationException(String annotation, String method, String rule) {
		super("Invalid @" + annotation + " on " + method + ": " + rule);
		this.method = method;
		this.rule = rule;
	}

	/** The annotated method, as {@code SimpleClassName.method(ParameterTypes)}. */
	public String getMethod() {
		return this.method;
	}

	/** What is wrong, with the offending value. */
	public String getRule() {
		return this.rule;
	}

}
