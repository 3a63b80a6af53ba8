package io.distkit.benchmarks.impl;

import io.distkit.RedisBackend;
import io.distkit.benchmarks.BasicCounter;
import io.distkit.benchmarks.CounterKey;
import io.distkit.counter.CounterOptions;
import io.distkit.counter.StrictCounter;

/**
 * distkit's {@link StrictCounter}: one Lua script, one Redis round trip per increment; or, with coalescing, one script
 * call for the increments of a key that queue while a call for it is in flight.
 */
public final class DistkitStrictCounter implements BasicCounter {

	private final StrictCounter counter;

	/**
	 * Creates the contestant.
	 * @param backend the trial's Redis
	 * @param prefix the trial's namespace
	 * @param coalesce whether concurrent increments of one key share script calls
	 */
	public DistkitStrictCounter(RedisBackend backend, String prefix, boolean coalesce) {
		this.counter = StrictCounter.create(backend,
				CounterOptions.builder().prefix(prefix).coalesceIncrements(coalesce).build());
	}

	@Override
	public long inc(CounterKey key) {
		return this.counter.inc(key.redisKey(), 1);
	}

}
