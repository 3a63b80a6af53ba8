package io.distkit.benchmarks;

import io.distkit.RedisKey;

/**
 * One benchmark key in the two shapes the contestants take: a plain string for the peers and a validated
 * {@link RedisKey} for distkit. Both are made once, before the measurement, so no contestant pays for building or
 * validating a key in the benchmark loop.
 *
 * @param name the key as a string
 * @param redisKey the same key as distkit takes it
 */
public record CounterKey(String name, RedisKey redisKey) {

	/**
	 * Makes a key.
	 * @param name a valid {@link RedisKey}
	 * @return the key
	 */
	public static CounterKey of(String name) {
		return new CounterKey(name, RedisKey.of(name));
	}

}
