package io.distkit.benchmarks.impl;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.redisson.api.RLongAdder;
import org.redisson.api.RedissonClient;

import io.distkit.benchmarks.BasicCounter;
import io.distkit.benchmarks.CounterKey;

/**
 * Redisson's {@link RLongAdder}, one per key, kept in a {@link ConcurrentHashMap}. An increment only touches memory;
 * Redisson sends the local sums to Redis when someone asks for the total. Each adder subscribes to a pub/sub channel
 * when it is created; {@link #close()} unsubscribes them all.
 */
public final class RedissonLongAdderCounter implements BasicCounter {

	private final ConcurrentHashMap<String, RLongAdder> adders = new ConcurrentHashMap<>();

	private final Function<String, RLongAdder> create;

	public RedissonLongAdderCounter(RedissonClient redisson, String prefix) {
		String namespace = prefix + ":adder:";
		this.create = (name) -> redisson.getLongAdder(namespace + name);
	}

	@Override
	public long inc(CounterKey key) {
		this.adders.computeIfAbsent(key.name(), this.create).increment();
		return 0;
	}

	@Override
	public void close() {
		this.adders.values().forEach(RLongAdder::destroy);
		this.adders.clear();
	}

}
