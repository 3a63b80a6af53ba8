package io.distkit.benchmarks.impl;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;
import io.lettuce.core.api.StatefulRedisConnection;

import io.distkit.benchmarks.BasicLimiter;
import io.distkit.benchmarks.CounterKey;

/** Bucket4j's Lettuce proxy manager (compare-and-swap) with a bucket of {@code capacity} per 10 s, one proxy per key. */
public final class Bucket4jLettuceLimiter implements BasicLimiter {

	private final ConcurrentHashMap<String, BucketProxy> buckets = new ConcurrentHashMap<>();

	private final Function<String, BucketProxy> create;

	public Bucket4jLettuceLimiter(StatefulRedisConnection<byte[], byte[]> connection, String prefix, long capacity) {
		LettuceBasedProxyManager<byte[]> proxies = Bucket4jLettuce.casBasedBuilder(connection)
			.expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(20)))
			.build();
		BucketConfiguration configuration = BucketConfiguration.builder()
			.addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(capacity, Duration.ofSeconds(10)).build())
			.build();
		this.create = (key) -> proxies.builder()
			.build((prefix + ":b4j:" + key).getBytes(StandardCharsets.UTF_8), () -> configuration);
	}

	@Override
	public boolean tryAcquire(CounterKey key) {
		BucketProxy bucket = this.buckets.get(key.name());
		if (bucket == null) {
			bucket = this.buckets.computeIfAbsent(key.name(), this.create);
		}
		return bucket.tryConsume(1);
	}

}
