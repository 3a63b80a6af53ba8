package io.distkit.benchmarks.impl;

import io.distkit.RedisBackend;
import io.distkit.benchmarks.BasicCounter;
import io.distkit.benchmarks.CounterKey;
import io.distkit.counter.CounterOptions;
import io.distkit.counter.LaxCounter;

/**
 * distkit's {@link LaxCounter} with its default options: increments are buffered in memory and flushed to Redis in
 * the background every 20 ms. Counts either with {@link LaxCounter#inc} (returns the local estimate) or with
 * {@link LaxCounter#add} (returns nothing; contended keys are striped).
 */
public final class DistkitLaxCounter implements BasicCounter {

	private final LaxCounter counter;

	private final boolean quiet;

	/**
	 * Creates the contestant.
	 * @param backend the trial's Redis
	 * @param prefix the trial's namespace
	 * @param quiet {@code true} to count with {@code add}, {@code false} with {@code inc}
	 */
	public DistkitLaxCounter(RedisBackend backend, String prefix, boolean quiet) {
		this.counter = LaxCounter.create(backend, CounterOptions.builder().prefix(prefix).build());
		this.quiet = quiet;
	}

	@Override
	public long inc(CounterKey key) {
		if (this.quiet) {
			this.counter.add(key.redisKey(), 1);
			return 0;
		}
		return this.counter.inc(key.redisKey(), 1);
	}

	/** Flushes what is buffered and stops the background flush. */
	@Override
	public void close() {
		this.counter.close();
	}

}
