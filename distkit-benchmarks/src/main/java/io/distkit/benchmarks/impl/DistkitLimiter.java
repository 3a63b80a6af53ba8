package io.distkit.benchmarks.impl;

import java.time.Duration;

import io.distkit.RedisBackend;
import io.distkit.RedisKey;
import io.distkit.benchmarks.BasicLimiter;
import io.distkit.benchmarks.CounterKey;
import io.distkit.ratelimit.BoundLimit;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimiter;

/** distkit's rate limiter: one named limit of {@code capacity} per 10 s on a provider, decided by {@code inc(key)}. */
public final class DistkitLimiter implements BasicLimiter {

	private final RateLimiter limiter;

	private final BoundLimit limit;

	private DistkitLimiter(RateLimiter limiter, String name) {
		this.limiter = limiter;
		this.limit = limiter.limit(name);
	}

	/** A local limit (no Redis). */
	public static DistkitLimiter local(long capacity, RateLimit.Strategy strategy) {
		RateLimit limit = limit(capacity, strategy, RateLimit.Provider.LOCAL);
		return new DistkitLimiter(RateLimiter.builder().limit(limit).build(), limit.name());
	}

	/** A limit on any provider, over {@code backend}. */
	public static DistkitLimiter provider(RedisBackend backend, String prefix, long capacity,
			RateLimit.Strategy strategy, RateLimit.Provider provider) {
		RateLimit limit = limit(capacity, strategy, provider);
		return new DistkitLimiter(
				RateLimiter.builder().redis(backend, RedisKey.prefix(prefix)).limit(limit).build(), limit.name());
	}

	private static RateLimit limit(long capacity, RateLimit.Strategy strategy, RateLimit.Provider provider) {
		return RateLimit.builder("bench")
			.capacity(capacity)
			.window(Duration.ofSeconds(10))
			.strategy(strategy)
			.provider(provider)
			.build();
	}

	@Override
	public boolean tryAcquire(CounterKey key) {
		return this.limit.inc(key.name()).isAdmitted();
	}

	@Override
	public void close() {
		this.limiter.close();
	}

}
