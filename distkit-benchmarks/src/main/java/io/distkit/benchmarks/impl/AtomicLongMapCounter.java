package io.distkit.benchmarks.impl;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.distkit.benchmarks.BasicCounter;
import io.distkit.benchmarks.CounterKey;

/**
 * The in-process floor of an increment that returns the new value: a {@code ConcurrentHashMap<String, AtomicLong>}
 * ({@code computeIfAbsent}, then {@code incrementAndGet}). On one hot key every thread adds to the same value, so this
 * is as fast as any exact {@code inc} can count it. Nothing reaches Redis.
 */
public final class AtomicLongMapCounter implements BasicCounter {

	private final ConcurrentHashMap<String, AtomicLong> values = new ConcurrentHashMap<>();

	@Override
	public long inc(CounterKey key) {
		return this.values.computeIfAbsent(key.name(), (name) -> new AtomicLong()).incrementAndGet();
	}

}
