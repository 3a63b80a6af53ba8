package io.distkit;

/**
 * An option of a counter or rate limiter was given a value its rule forbids, or two options conflict. The message
 * names the option, the rule and the value, e.g.
 * {@code Invalid option 'chunkSize': must be between 1 and 10000 (value=0)}.
 *
 * @since 0.1.0
 */
public class InvalidOptionException extends DistkitException {

	private static final long serialVersionUID = 1L;

	private final String option;

	private final transient Object value;

	private final String rule;

	public InvalidOptionException(String option, Object value, String rule) {
		super("Invalid option '" + option + "': " + rule + " (value=" + abbreviate(String.valueOf(value)) + ")");
		this.option = option;
		this.value = value;
		this.rule = rule;
	}

	/** The option's name as the builder spells it, e.g. {@code chunkSize}. */
	public String getOption() {
		return this.option;
	}

	/** The rule the value broke, e.g. {@code must be between 1 and 4096}. */
	public String getRule() {
		return this.rule;
	}

	/** The rejected value. */
	public Object getValue() {
		return this.value;
	}

}
