package io.distkit.benchmarks;

import io.distkit.benchmarks.impl.BenchmarkRedis;
import io.distkit.benchmarks.impl.DistkitStrictCounter;
import io.distkit.benchmarks.impl.LettuceEvalshaCounter;
import io.distkit.benchmarks.impl.RedissonAtomicLongCounter;

/** The contestants of {@link StrictCounterBenchmark}: increments that wait for Redis's answer. */
public enum StrictCounterType {

	/** distkit's {@link io.distkit.counter.StrictCounter} over a Spring {@code LettuceConnectionFactory}. */
	DISTKIT_STRICT {
		@Override
		BasicCounter create(BenchmarkRedis redis, String prefix) {
			return new DistkitStrictCounter(redis.backend(), prefix, false);
		}
	},

	/** The same with {@link io.distkit.counter.CounterOptions#coalesceIncrements()}: one call per key per round trip. */
	DISTKIT_STRICT_COALESCED {
		@Override
		BasicCounter create(BenchmarkRedis redis, String prefix) {
			return new DistkitStrictCounter(redis.backend(), prefix, true);
		}
	},

	/** Raw Lettuce {@code EVALSHA} of a one-line {@code HINCRBY} script: one round trip, nothing else. */
	LETTUCE_EVALSHA {
		@Override
		BasicCounter create(BenchmarkRedis redis, String prefix) {
			return new LettuceEvalshaCounter(redis.lettuce(), prefix);
		}
	},

	/** Redisson's {@code RAtomicLong.incrementAndGet()}, one per key in a {@code ConcurrentHashMap}. */
	REDISSON_ATOMIC_LONG {
		@Override
		BasicCounter create(BenchmarkRedis redis, String prefix) {
			return new RedissonAtomicLongCounter(redis.redisson(), prefix);
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
