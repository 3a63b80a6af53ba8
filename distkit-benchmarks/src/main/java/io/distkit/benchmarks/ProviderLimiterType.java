package io.distkit.benchmarks;

import io.distkit.benchmarks.impl.BenchmarkRedis;
import io.distkit.benchmarks.impl.DistkitLimiter;
import io.distkit.ratelimit.RateLimit;

/** The contestants of {@link HybridRateLimitBenchmark}: one distkit absolute limit on each provider. */
public enum ProviderLimiterType {

	/** In memory from a budget synchronised with Redis every 10 ms. */
	DISTKIT_HYBRID(RateLimit.Provider.HYBRID),

	/** Baseline: the local provider, in memory only. */
	LOCAL(RateLimit.Provider.LOCAL),

	/** Baseline: the Redis provider, one Lua script per decision. */
	REDIS(RateLimit.Provider.REDIS);

	private final RateLimit.Provider provider;

	ProviderLimiterType(RateLimit.Provider provider) {
		this.provider = provider;
	}

	BasicLimiter create(BenchmarkRedis redis, String prefix, LimiterLoad load) {
		return DistkitLimiter.provider(redis.backend(), prefix, load.capacityPerWindow(), RateLimit.Strategy.ABSOLUTE,
				this.provider);
	}

}
