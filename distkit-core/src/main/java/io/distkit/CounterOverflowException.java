package io.distkit;

/**
 * A counter operand, result, set value or comparator operand left the range every counter supports:
 * ±(2<sup>53</sup> − 1) ({@link #MAX_VALUE}). Nothing was written for the item that overflowed. The message names the
 * value, e.g. {@code Counter value out of range: must lie within ±9007199254740991 (key="hits", value=9007199254740992)}.
 *
 * <p>For a batch split into several chunks, {@link #getAppliedItems()} says how many items at the start of the batch
 * were applied by earlier chunks before the chunk with the offending item was refused.
 *
 * @since 0.1.0
 */
public class CounterOverflowException extends DistkitException {

	/** The largest magnitude a counter value may have: 2<sup>53</sup> − 1, exact in a Lua number. */
	public static final long MAX_VALUE = (1L << 53) - 1;

	private static final long serialVersionUID = 1L;

	private final String key;

	private final String value;

	private final int appliedItems;

	public CounterOverflowException(String key, String value) {
		this(key, value, 0);
	}

	public CounterOverflowException(String key, String value, int appliedItems) {
		this("key=\"" + abbreviate(key) + "\"", key, value, appliedItems);
	}

	private CounterOverflowException(String subject, String key, String value, int appliedItems) {
		super("Counter value out of range: must lie within \u00b1" + MAX_VALUE + " (" + subject + ", value=" + value
				+ ")" + ((appliedItems > 0)
						? "; the first " + appliedItems + " items of the batch were applied by earlier chunks" : ""));
		this.key = key;
		this.value = value;
		this.appliedItems = appliedItems;
	}

	/**
	 * An out-of-range value that belongs to no key, such as a comparator operand.
	 * @param what what the value is, e.g. {@code comparator operand}
	 * @param value the value
	 * @return the exception
	 */
	public static CounterOverflowException forValue(String what, long value) {
		return new CounterOverflowException(what, null, Long.toString(value), 0);
	}

	/** The counter key the value belongs to, {@code null} for a value of no key. */
	public String getKey() {
		return this.key;
	}

	/** The out-of-range value in decimal (it may not fit in a {@code long}). */
	public String getValue() {
		return this.value;
	}

	/** How many items at the start of a batch were applied before this failure (0 for single operations). */
	public int getAppliedItems() {
		return this.appliedItems;
	}

	/**
	 * Returns {@code value} if it lies within ±{@link #MAX_VALUE}.
	 * @param key the counter key, for the message
	 * @param value the value to check
	 * @return {@code value}
	 * @throws CounterOverflowException if it does not
	 */
	public static long requireInRange(String key, long value) {
		if (value > MAX_VALUE || value < -MAX_VALUE) {
			throw new CounterOverflowException(key, Long.toString(value));
		}
		return value;
	}

}
