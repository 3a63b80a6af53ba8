package io.distkit;

/**
 * A validated counter key or namespace prefix. A key is 1 to 255 bytes of UTF-8 without a colon ({@code :}), which
 * distkit uses to join name segments. A prefix (see {@link #prefix(String)}) is a key that in addition contains no
 * brace ({@code {}}) and no whitespace, because prefixes become part of Redis key names and hash tags.
 *
 * <p>Nothing else is checked and nothing is changed: no trimming, no case folding. Equality, hash code and ordering
 * are those of the wrapped string. Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class RedisKey implements Comparable<RedisKey> {

	/** The largest length of a key in bytes of UTF-8. */
	public static final int MAX_BYTES = 255;

	private static final RedisKey DEFAULT_PREFIX = new RedisKey("distkit");

	private final String value;

	private RedisKey(String value) {
		this.value = value;
	}

	/**
	 * Validates a counter key.
	 * @param value the key
	 * @return the key
	 * @throws InvalidRedisKeyException if it is empty, longer than 255 bytes of UTF-8 or contains a colon
	 */
	public static RedisKey of(String value) {
		String rule = keyRuleBroken(value);
		if (rule != null) {
			throw new InvalidRedisKeyException(rule, value);
		}
		return new RedisKey(value);
	}

	/**
	 * Validates a namespace prefix: the rules of {@link #of(String)}, and no braces and no whitespace.
	 * @param value the prefix
	 * @return the prefix as a key
	 * @throws InvalidRedisKeyException if a rule is broken
	 */
	public static RedisKey prefix(String value) {
		String rule = prefixRuleBroken(value);
		if (rule != null) {
			throw new InvalidRedisKeyException(rule, value);
		}
		return new RedisKey(value);
	}

	/**
	 * Deletes every colon from {@code value}, then validates the rest as a key ({@code "user:123"} becomes
	 * {@code "user123"}).
	 * @param value the text to sanitise
	 * @return the key
	 * @throws InvalidRedisKeyException if what remains breaks a rule (e.g. it is empty)
	 */
	public static RedisKey sanitize(String value) {
		return of(value.replace(":", ""));
	}

	/** The prefix {@code distkit}. */
	public static RedisKey defaultPrefix() {
		return DEFAULT_PREFIX;
	}

	/** Whether {@code value} is a valid key. */
	public static boolean isValidKey(String value) {
		return keyRuleBroken(value) == null;
	}

	/** Whether {@code value} is a valid prefix. */
	public static boolean isValidPrefix(String value) {
		return prefixRuleBroken(value) == null;
	}

	/**
	 * Returns the rule a key breaks, in the order empty, length, colon; {@code null} if it is valid.
	 * @param value the key, may be {@code null}
	 * @return the rule, or {@code null}
	 */
	public static String keyRuleBroken(String value) {
		if (value == null) {
			return "must not be null";
		}
		if (value.isEmpty()) {
			return "must not be empty";
		}
		if (utf8Length(value) > MAX_BYTES) {
			return "must not be longer than 255 bytes of UTF-8";
		}
		if (value.indexOf(':') >= 0) {
			return "must not contain colons";
		}
		return null;
	}

	/**
	 * Returns the rule a prefix breaks; {@code null} if it is valid.
	 * @param value the prefix, may be {@code null}
	 * @return the rule, or {@code null}
	 */
	public static String prefixRuleBroken(String value) {
		String rule = keyRuleBroken(value);
		if (rule != null) {
			return rule;
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '{' || c == '}') {
				return "a prefix must not contain braces";
			}
			if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
				return "a prefix must not contain whitespace";
			}
		}
		return null;
	}

	/**
	 * Counts the UTF-8 bytes of {@code text} without encoding it. An unpaired surrogate counts as one byte, the
	 * {@code ?} that {@link String#getBytes(java.nio.charset.Charset)} writes for it.
	 * @param text the text
	 * @return its length in UTF-8 bytes
	 */
	public static int utf8Length(CharSequence text) {
		int bytes = 0;
		int length = text.length();
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			if (c < 0x80) {
				bytes++;
			}
			else if (c < 0x800) {
				bytes += 2;
			}
			else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
				bytes += 4;
				i++;
			}
			else if (Character.isSurrogate(c)) {
				bytes++;
			}
			else {
				bytes += 3;
			}
		}
		return bytes;
	}

	/** The wrapped string. */
	public String value() {
		return this.value;
	}

	@Override
	public boolean equals(Object other) {
		return this == other || (other instanceof RedisKey key && this.value.equals(key.value));
	}

	@Override
	public int hashCode() {
		return this.value.hashCode();
	}

	@Override
	public int compareTo(RedisKey other) {
		return this.value.compareTo(other.value);
	}

	@Override
	public String toString() {
		return this.value;
	}

}
