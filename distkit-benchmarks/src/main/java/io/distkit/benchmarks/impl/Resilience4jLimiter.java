package io.distkit.benchmarks.impl;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;

import io.distkit.benchmarks.BasicLimiter;
import io.distkit.benchmarks.CounterKey;

/** Resilience4j's rate limiter of {@code capacity} permits per 10 s, never waiting, one per key. */
public final class Resilience4jLimiter implements BasicLimiter {

	private final ConcurrentHashMap<String, RateLimiter> limiters = new ConcurrentHashMap<>();

	private final Function<String, RateLimiter> create;

	public Resilience4jLimiter(long capacity) {
		RateLimiterConfig config = RateLimiterConfig.custom()
			.limitForPeriod((int) Math.min(Integer.MAX_VALUE, capacity))
			.limitRefreshPeriod(Duration.ofSeconds(10))
			.timeoutDuration(Duration.ZERO)
			.build();
		this.create = (key) -> RateLimiter.of(key, config);
	}

	@Override
	public boolean tryAcquire(CounterKey key) {
		RateLimiter limiter = this.limiters.get(key.name());
		if (limiter == null) {
			limiter = this.limiters.computeIfAbsent(key.name(), this.create);
		}
		return limiter.acquirePermission();
	}

}
