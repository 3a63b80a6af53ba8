package io.distkit.counter;

import io.distkit.RedisKey;
import io.distkit.internal.counter.Batches;

/**
 * An item of a conditional batch set: set {@code key} to {@code value} if {@code comparator} matches its current
 * value.
 *
 * @param key the counter key
 * @param comparator the condition; {@link CounterComparator#nil()} for none
 * @param value the value to set
 * @since 0.1.0
 */
public record ConditionalValue(RedisKey key, CounterComparator comparator, long value) {

	public ConditionalValue {
		Batches.requireKey(key);
		Batches.requireComparator(comparator);
	}

	/** Shorthand for {@code new ConditionalValue(RedisKey.of(key), comparator, value)}. */
	public static ConditionalValue of(String key, CounterComparator comparator, long value) {
		return new ConditionalValue(RedisKey.of(key), comparator, value);
	}

}
