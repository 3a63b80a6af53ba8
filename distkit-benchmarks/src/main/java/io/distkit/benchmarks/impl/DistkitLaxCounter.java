package io.distkit.benchmarks.impl;

import io.distkit.RedisBackend;
import io.distkit.benchmarks.BasicCounter;
import io.distkit.benchmarks.CounterKey;
import io.distkit.counter.CounterOptions;
import io.distkit.counter.LaxCounter;

/**
 * distkit's {@link LaxCounter} with its default options: increments are buffered in memory and flushed to Redis in
 * the background every 20 ms.
 */
public final class DistkitLaxCounter implements BasicCounter {

	private final LaxCounter counter;

	public DistkitLaxCounter(RedisBackend backend, String prefix) {
		this.counter = LaxCounter.create(backend, CounterOptions.builder().prefix(prefix).build());
	}

	@Override
	public long inc(CounterKey key) {
		return this.counter.inc(key.redisKey(), 1);
	}

	/** Flushes what is buffered and stops the background flush. */
	@Override
	public void close() {
		this.counter.close();
	}

}
