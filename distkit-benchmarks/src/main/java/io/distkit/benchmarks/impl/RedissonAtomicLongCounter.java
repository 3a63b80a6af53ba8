package io.distkit.benchmarks.impl;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.redisson.api.RAtomicLong;
import org.redisson.api.RedissonClient;

import io.distkit.benchmarks.BasicCounter;
import io.distkit.benchmarks.CounterKey;

/**
 * Redisson's {@link RAtomicLong#incrementAndGet()}, one object (one Redis string key) per key, kept in a
 * {@link ConcurrentHashMap}: one {@code INCR} round trip per increment.
 */
public final class RedissonAtomicLongCounter implements BasicCounter {

	private final ConcurrentHashMap<String, RAtomicLong> counters = new ConcurrentHashMap<>();

	private final Function<String, RAtomicLong> create;

	public RedissonAtomicLongCounter(RedissonClient redisson, String prefix) {
		String namespace = prefix + ":atomic:";
		this.create = (name) -> redisson.getAtomicLong(namespace + name);
	}

	@Override
	public long inc(CounterKey key) {
		return this.counters.computeIfAbsent(key.name(), this.create).incrementAndGet();
	}

}
