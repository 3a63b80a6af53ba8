package io.distkit.benchmarks.impl;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.redisson.api.RRateLimiter;
import org.redisson.api.RateType;
import org.redisson.api.RedissonClient;

import io.distkit.benchmarks.BasicLimiter;
import io.distkit.benchmarks.CounterKey;

/** Redisson's {@code RRateLimiter} of {@code capacity} per 10 s (overall), one per key. */
public final class RedissonRateLimiterLimiter implements BasicLimiter {

	private final ConcurrentHashMap<String, RRateLimiter> limiters = new ConcurrentHashMap<>();

	private final Function<String, RRateLimiter> create;

	public RedissonRateLimiterLimiter(RedissonClient redisson, String prefix, long capacity) {
		this.create = (key) -> {
			RRateLimiter limiter = redisson.getRateLimiter(prefix + ":rrl:" + key);
			limiter.trySetRate(RateType.OVERALL, capacity, Duration.ofSeconds(10));
			return limiter;
		};
	}

	@Override
	public boolean tryAcquire(CounterKey key) {
		RRateLimiter limiter = this.limiters.get(key.name());
		if (limiter == null) {
			limiter = this.limiters.computeIfAbsent(key.name(), this.create);
		}
		return limiter.tryAcquire();
	}

}
