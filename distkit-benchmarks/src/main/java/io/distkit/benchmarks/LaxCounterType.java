package io.distkit.benchmarks;

import io.distkit.benchmarks.impl.AtomicLongMapCounter;
import io.distkit.benchmarks.impl.BenchmarkRedis;
import io.distkit.benchmarks.impl.DistkitLaxCounter;
import io.distkit.benchmarks.impl.LongAdderMapCounter;
import io.distkit.benchmarks.impl.RedissonLongAdderCounter;

/** The contestants of {@link LaxCounterBenchmark}: buffered increments that do no I/O on the caller's thread. */
public enum LaxCounterType {

	/** distkit's {@link io.distkit.counter.LaxCounter#inc}, default options (flush every 20 ms). */
	DISTKIT_LAX {
		@Override
		BasicCounter create(BenchmarkRedis redis, String prefix) {
			return new DistkitLaxCounter(redis.backend(), prefix, false);
		}
	},

	/** distkit's {@link io.distkit.counter.LaxCounter#add}: the same count, no estimate returned. */
	DISTKIT_LAX_ADD {
		@Override
		BasicCounter create(BenchmarkRedis redis, String prefix) {
			return new DistkitLaxCounter(redis.backend(), prefix, true);
		}
	},

	/** {@code ConcurrentHashMap<String, LongAdder>}: the in-process baseline, never reaches Redis. */
	LONG_ADDER_MAP {
		@Override
		BasicCounter create(BenchmarkRedis redis, String prefix) {
			return new LongAdderMapCounter();
		}
	},

	/** {@code ConcurrentHashMap<String, AtomicLong>}: the floor of an increment that returns the new value. */
	ATOMIC_LONG_MAP {
		@Override
		BasicCounter create(BenchmarkRedis redis, String prefix) {
			return new AtomicLongMapCounter();
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
