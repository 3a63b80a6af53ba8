package io.distkit.counter;

import io.distkit.RedisKey;
import io.distkit.internal.counter.Batches;

/**
 * A counter key with a value: a row of a batch read, an item of a batch set, a row of a batch increment's result.
 *
 * @param key the counter key
 * @param value its value
 * @since 0.1.0
 */
public record KeyValue(RedisKey key, long value) {

	public KeyValue {
		Batches.requireKey(key);
	}

	/** Shorthand for {@code new KeyValue(RedisKey.of(key), value)}. */
	public static KeyValue of(String key, long value) {
		return new KeyValue(RedisKey.of(key), value);
	}

}
