package io.distkit.counter;

import io.distkit.RedisKey;
import io.distkit.internal.counter.Batches;

/**
 * An item of a batch increment: add {@code delta} (negative to subtract) to {@code key}.
 *
 * @param key the counter key
 * @param delta the amount to add
 * @since 0.1.0
 */
public record KeyDelta(RedisKey key, long delta) {

	public KeyDelta {
		Batches.requireKey(key);
	}

	/** Shorthand for {@code new KeyDelta(RedisKey.of(key), delta)}. */
	public static KeyDelta of(String key, long delta) {
		return new KeyDelta(RedisKey.of(key), delta);
	}

}
