package io.distkit.benchmarks;

import io.distkit.benchmarks.impl.BenchmarkRedis;
import io.distkit.benchmarks.impl.DistkitLaxCounter;
import io.distkit.benchmarks.impl.LongAdderMapCounter;
import io.distkit.benchmarks.impl.RedissonLongAdderCounter;

/** The contestants of {@link LaxCounterBenchmark}: buffered increments that do no I/O on the caller's thread. */
public enum LaxCounterType {

	/** distkit's {@link io.distkit.counter.LaxCounter}, default options (flush every 20 ms). */
	DISTKIT_LAX {
		@Override
		BasicCounter create(BenchmarkRedis redis, String prefix) {
			return new DistkitLaxCounter(redis.backend(), prefix);
		}
	},

	/** {@code ConcurrentHashMap<String, LongAdder>}: the in-process baseline, never reaches Redis. */
	LONG_ADDER_MAP {
		@Override
		BasicCounter create(BenchmarkRedis redis, String prefix) {
			return new LongAdderMapCounter();
		}
	},

	/** Redisson's {@code RLongAdder}, one per key in a {@code ConcurrentHashMap}. */
	REDISSON_LONG_ADDER {
		@Override
		BasicCounter create(BenchmarkRedis redis, String prefix) {
			return new RedissonLongAdderCounter(redis.redisson(), prefix);
		}
	};

	/**
	 * Creates the contestant.
	 * @param redis the trial's Redis; the contestant opens only the client it needs
	 * @param prefix the trial's namespace
	 * @return the contestant; close it at the end of the trial
	 */
	abstract BasicCounter create(BenchmarkRedis redis, String prefix);

}
