package io.distkit.benchmarks.impl;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

import io.distkit.benchmarks.BasicLimiter;
import io.distkit.benchmarks.CounterKey;

/** Bucket4j's local (lock-free) bucket of {@code capacity} per 10 s with greedy refill, one per key. */
public final class Bucket4jLocalLimiter implements BasicLimiter {

	private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

	private final Function<String, Bucket> create;

	public Bucket4jLocalLimiter(long capacity) {
		this.create = (key) -> Bucket.builder()
			.addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(capacity, Duration.ofSeconds(10)).build())
			.build();
	}

	@Override
	public boolean tryAcquire(CounterKey key) {
		Bucket bucket = this.buckets.get(key.name());
		if (bucket == null) {
			bucket = this.buckets.computeIfAbsent(key.name(), this.create);
		}
		return bucket.tryConsume(1);
	}

}
