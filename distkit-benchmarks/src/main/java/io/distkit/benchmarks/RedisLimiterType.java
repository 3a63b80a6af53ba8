package io.distkit.benchmarks;

import io.distkit.benchmarks.impl.BenchmarkRedis;
import io.distkit.benchmarks.impl.Bucket4jLettuceLimiter;
import io.distkit.benchmarks.impl.DistkitLimiter;
import io.distkit.benchmarks.impl.GatewayTokenBucketLimiter;
import io.distkit.benchmarks.impl.RedissonRateLimiterLimiter;
import io.distkit.ratelimit.RateLimit;

/** The contestants of {@link RedisRateLimitBenchmark}: decisions made in Redis, one round trip or more each. */
public enum RedisLimiterType {

	/** distkit's Redis provider, absolute strategy: one Lua script per decision. */
	DISTKIT_ABSOLUTE {
		@Override
		BasicLimiter create(BenchmarkRedis redis, String prefix, LimiterLoad load) {
			return DistkitLimiter.provider(redis.backend(), prefix, load.capacityPerWindow(),
					RateLimit.Strategy.ABSOLUTE, RateLimit.Provider.REDIS);
		}
	},

	/** distkit's Redis provider, suppressed strategy (hard-limit factor 1). */
	DISTKIT_SUPPRESSED {
		@Override
		BasicLimiter create(BenchmarkRedis redis, String prefix, LimiterLoad load) {
			return DistkitLimiter.provider(redis.backend(), prefix, load.capacityPerWindow(),
					RateLimit.Strategy.SUPPRESSED, RateLimit.Provider.REDIS);
		}
	},

	/** A token bucket in one Lua call (two GETs, two SETEXs), as Spring Cloud Gateway's limiter does it. */
	GATEWAY_TOKEN_BUCKET {
		@Override
		BasicLimiter create(BenchmarkRedis redis, String prefix, LimiterLoad load) {
			return new GatewayTokenBucketLimiter(redis.lettuce(), prefix, load.capacityPerWindow());
		}
	},

	/** Redisson's {@code RRateLimiter.tryAcquire()}, one per key in a {@code ConcurrentHashMap}. */
	REDISSON {
		@Override
		BasicLimiter create(BenchmarkRedis redis, String prefix, LimiterLoad load) {
			return new RedissonRateLimiterLimiter(redis.redisson(), prefix, load.capacityPerWindow());
		}
	},

	/** Bucket4j's Lettuce proxy manager (compare-and-swap), one bucket proxy per key. */
	BUCKET4J_LETTUCE {
		@Override
		BasicLimiter create(BenchmarkRedis redis, String prefix, LimiterLoad load) {
			return new Bucket4jLettuceLimiter(redis.lettuceBytes(), prefix, load.capacityPerWindow());
		}
	};

	abstract BasicLimiter create(BenchmarkRedis redis, String prefix, LimiterLoad load);

}
