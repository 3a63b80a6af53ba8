package io.distkit.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.distkit.ratelimit.BoundLimit;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.ratelimit.hybrid.HybridLimitEngine;
import io.distkit.ratelimit.redis.RedisLimitEngine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Callers deciding one unit at a time on a hybrid limit too large to reject (fail-open policy). Every admitted unit
 * must be committed to Redis exactly once; a degraded decision (Redis was needed and failed) counts nothing.
 */
final class HybridWorkload implements Workload {

	/** Callers pause between operations, so a 2-core machine keeps serving the other workloads. */
	private static final long PACE_NANOS = 100_000;

	private static final int KEYS = 8;

	private final RateLimiter limiter;

	private final String prefix;

	private final BoundLimit hybrid;

	private final BoundLimit redisView;

	private final AtomicLong admitted = new AtomicLong();

	private final AtomicLong degraded = new AtomicLong();

	private final AtomicLong calls = new AtomicLong();

	HybridWorkload(RateLimiter limiter, String prefix) {
		this.limiter = limiter;
		this.prefix = prefix;
		this.hybrid = limiter.limit(limit(RateLimit.Provider.HYBRID));
		this.redisView = limiter.limit(limit(RateLimit.Provider.REDIS)); // same data model: reads the hybrid's keys
	}

	private static RateLimit limit(RateLimit.Provider provider) {
		return RateLimit.builder("load")
			.capacity(1_000_000_000L)
			.window(Duration.ofMinutes(10))
			.bucket(Duration.ofSeconds(1))
			.provider(provider)
			.build();
	}

	@Override
	public String name() {
		return "hybrid";
	}

	@Override
	public void step() {
		RateLimitDecision decision = this.hybrid.inc("user-" + (this.calls.incrementAndGet() % KEYS));
		if (decision.isAdmitted() && !isDegraded(decision)) {
			this.admitted.incrementAndGet();
		}
		else if (isDegraded(decision)) {
			this.degraded.incrementAndGet();
		}
		else {
			throw new AssertionError("A limit of 10^9 units rejected: " + decision);
		}
		LockSupport.parkNanos(PACE_NANOS);
	}

	private static boolean isDegraded(RateLimitDecision decision) {
		return decision instanceof RateLimitDecision.Allowed allowed && allowed.isDegraded();
	}

	@Override
	public long successes() {
		return this.admitted.get();
	}

	@Override
	public List<String> redisKeys() {
		List<String> keys = new ArrayList<>(KEYS);
		for (int i = 0; i < KEYS; i++) {
			keys.add(RedisLimitEngine.entityKeys(this.prefix, this.hybrid.limit(), "user-" + i).get(0));
		}
		return keys;
	}

	long degraded() {
		return this.degraded.get();
	}

	@Override
	public void verify(Duration timeout) {
		HybridLimitEngine engine = (HybridLimitEngine) this.limiter.engine(RateLimit.Provider.HYBRID);
		await().atMost(timeout).until(() -> engine.commitQueueLength() == 0);
		await().atMost(timeout).ignoreExceptions().untilAsserted(() -> {
			long total = 0;
			for (int i = 0; i < KEYS; i++) {
				total += this.redisView.get("user-" + i).total();
			}
			assertThat(total).as("hybrid units committed to Redis (degraded decisions: %d)", this.degraded.get())
				.isEqualTo(this.admitted.get());
		});
	}

	@Override
	public String toString() {
		return "hybrid[admitted=" + this.admitted.get() + ", degraded=" + this.degraded.get() + "]";
	}

}
