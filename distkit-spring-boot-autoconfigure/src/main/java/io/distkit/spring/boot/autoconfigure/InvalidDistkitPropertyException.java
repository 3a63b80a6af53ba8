package io.distkit.spring.boot.autoconfigure;

import io.distkit.DistkitException;

/**
 * A {@code distkit.*} property has a value its rule forbids. Thrown at start-up; the message names the property, the
 * rule and the value, e.g. {@code Invalid property 'distkit.chunk-size': must be between 1 and 4096 (value=0)}.
 *
 * @since 0.1.0
 */
public class InvalidDistkitPropertyException extends DistkitException {

	private static final long serialVersionUID = 1L;

	private final String property;

	private final String rule;

	private final transient Object value;

	public InvalidDistkitPropertyException(String property, Object value, String rule) {
		this(property, value, rule, null);
	}

	public InvalidDistkitPropertyException(String property, Object value, String rule, Throwable cause) {
		super("Invalid property '" + property + "': " + rule + " (value=" + abbreviate(String.valueOf(value)) + ")",
				cause);
		this.property = property;
		this.rule = rule;
		this.value = value;
	}

	/** The property's name, e.g. {@code distkit.chunk-size}. */
	public String getProperty() {
		return this.property;
	}

	/** The rule the value broke. */
	public String getRule() {
		return this.rule;
	}

	/** The rejected value. */
	public Object getValue() {
		return this.value;
	}

}
