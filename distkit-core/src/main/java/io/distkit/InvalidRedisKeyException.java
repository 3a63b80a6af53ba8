package io.distkit;

/**
 * A key or prefix broke a rule of {@link RedisKey}. The message names the rule and the offending value (cut to 64
 * characters), e.g. {@code Invalid Redis key: must not contain colons (key="user:1")}.
 *
 * @since 0.1.0
 */
public class InvalidRedisKeyException extends DistkitException {

	private static final long serialVersionUID = 1L;

	private final String rule;

	private final String key;

	public InvalidRedisKeyException(String rule, String key) {
		super("Invalid Redis key: " + rule + " (key=\"" + abbreviate(key) + "\")");
		this.rule = rule;
		this.key = key;
	}

	/** The rule that was broken, e.g. {@code must not contain colons}. */
	public String getRule() {
		return this.rule;
	}

	/** The rejected value, uncut. */
	public String getKey() {
		return this.key;
	}

}
