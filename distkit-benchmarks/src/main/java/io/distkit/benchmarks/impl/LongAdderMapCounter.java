package io.distkit.benchmarks.impl;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.distkit.benchmarks.BasicCounter;
import io.distkit.benchmarks.CounterKey;

/**
 * The in-process baseline of a buffered increment: a {@code ConcurrentHashMap<String, LongAdder>}
 * ({@code computeIfAbsent}, then {@code increment}). Nothing reaches Redis.
 */
public final class LongAdderMapCounter implements BasicCounter {

	private final ConcurrentHashMap<String, LongAdder> adders = new ConcurrentHashMap<>();

	@Override
	public long inc(CounterKey key) {
		this.adders.computeIfAbsent(key.name(), (name) -> new LongAdder()).increment();
		return 0;
	}

}
