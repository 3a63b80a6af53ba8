package io.distkit.benchmarks.impl;

import io.distkit.RedisBackend;
import io.distkit.benchmarks.BasicCounter;
import io.distkit.benchmarks.CounterKey;
import io.distkit.counter.CounterOptions;
import io.distkit.counter.StrictCounter;

/** distkit's {@link StrictCounter}: one Lua script, one Redis round trip per increment. */
public final class DistkitStrictCounter implements BasicCounter {

	private final StrictCounter counter;

	public DistkitStrictCounter(RedisBackend backend, String prefix) {
		this.counter = StrictCounter.create(backend, CounterOptions.builder().prefix(prefix).build());
	}

	@Override
	public long inc(CounterKey key) {
		return this.counter.inc(key.redisKey(), 1);
	}

}
