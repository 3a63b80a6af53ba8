package io.distkit.counter;

import io.distkit.RedisKey;
import io.distkit.internal.counter.Batches;

/**
 * An item of a conditional batch increment: add {@code delta} to {@code key} if {@code comparator} matches its
 * current value.
 *
 * @param key the counter key
 * @param comparator the condition; {@link CounterComparator#nil()} for none
 * @param delta the amount to add
 * @since 0.1.0
 */
public record ConditionalDelta(RedisKey key, CounterComparator comparator, long delta) {

	public ConditionalDelta {
		Batches.requireKey(key);
		Batches.requireComparator(comparator);
	}

	/** Shorthand for {@code new ConditionalDelta(RedisKey.of(key), comparator, delta)}. */
	public static ConditionalDelta of(String key, CounterComparator comparator, long delta) {
		return new ConditionalDelta(RedisKey.of(key), comparator, delta);
	}

}
