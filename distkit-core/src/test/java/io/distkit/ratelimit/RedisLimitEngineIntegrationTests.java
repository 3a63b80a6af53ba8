package io.distkit.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import org.junit.jupiter.api.Test;

import io.distkit.RedisIntegrationSupport;
import io.distkit.RedisKey;
import io.distkit.ratelimit.RateLimitDecision.Allowed;
import io.distkit.ratelimit.RateLimitDecision.Rejected;
import io.distkit.ratelimit.RateLimitDecision.Suppressed;
import io.distkit.ratelimit.redis.RedisLimitEngine;

import static io.distkit.counter.CounterComparator.gt;
import static io.distkit.counter.CounterComparator.nil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/** The Redis provider on real Redis time: spec §10.4–10.6 scenarios that depend on time or raw state. */
class RedisLimitEngineIntegrationTests extends RedisIntegrationSupport {

	private RedisLimitEngine engine(java.util.random.RandomGenerator random) {
		return new RedisLimitEngine(backend, RedisKey.prefix(this.prefix), random);
	}

	private static RateLimit absolute(long capacity, long windowMillis, long bucketMillis) {
		return RateLimit.builder("abs").capacity(capacity).window(Duration.ofMillis(windowMillis))
			.bucket(Duration.ofMillis(bucketMillis)).build();
	}

	private static RateLimit suppressed(long capacity, double factor, long windowMillis, long bucketMillis) {
		return RateLimit.builder("sup").capacity(capacity).window(Duration.ofMillis(windowMillis))
			.bucket(Duration.ofMillis(bucketMillis)).strategy(RateLimit.Strategy.SUPPRESSED)
			.hardLimitFactor(factor).build();
	}

	private String hash(RateLimit limit, String key) {
		return RedisLimitEngine.entityKeys(this.prefix, limit, key).get(0);
	}

	@Test
	void windowSlides() { // RA-05, RA-11, RA-13
		RedisLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit limit = absolute(3, 1000, 100);
		engine.inc(limit, "k", 3);
		assertThat(engine.inc(limit, "k", 1)).isInstanceOf(Rejected.class);
		await().atMost(Duration.ofSeconds(3)).until(() -> engine.isAllowed(limit, "k").isAdmitted());
		assertThat(engine.inc(limit, "k", 1)).isSameAs(Allowed.ADMITTED);
		assertThat(engine.get(limit, "k").total()).isEqualTo(1);
	}

	@Test
	void rejectionMetadata() { // RA-06
		RedisLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit limit = absolute(10, 10_000, 200);
		engine.inc(limit, "k", 3);
		await().pollDelay(Duration.ofMillis(250)).atMost(Duration.ofSeconds(2)).until(() -> true);
		engine.inc(limit, "k", 7);
		RateLimitDecision decision = engine.inc(limit, "k", 1);
		assertThat(decision).isInstanceOf(Rejected.class);
		Rejected rejected = (Rejected) decision;
		assertThat(rejected.window()).isEqualTo(Duration.ofSeconds(10));
		assertThat(rejected.remainingAfterWaiting()).isEqualTo(3);
		assertThat(rejected.retryAfter()).isBetween(Duration.ofMillis(9300), Duration.ofSeconds(10));
		assertThat(engine.isAllowed(limit, "k")).isInstanceOf(Rejected.class);
	}

	@Test
	void rawState_everyKeySharesTheTagAndExpires() { // RSA-01, RSA-07; DESIGN: TTL window + bucket + 1 s
		RedisLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit limit = absolute(50, 10_000, 100);
		engine.inc(limit, "user:1", 3);
		engine.inc(limit, "user:1", 4);
		List<String> keys = admin.keysContaining(this.prefix);
		assertThat(keys).hasSize(2).allSatisfy((key) -> {
			assertThat(key).startsWith(this.prefix + ":rl:{abs:user%3A1}:absolute:");
			Long ttl = admin.template().getExpire(key, TimeUnit.MILLISECONDS);
			assertThat(ttl).isBetween(1L, 11_100L);
		});
		Map<Object, Object> fields = admin.template().opsForHash().entries(hash(limit, "user:1"));
		assertThat(fields.get("t")).isEqualTo("7");
		long bucketSum = fields.entrySet().stream()
			.filter((entry) -> entry.getKey().toString().matches("c[0-9]+"))
			.mapToLong((entry) -> Long.parseLong(entry.getValue().toString()))
			.sum();
		assertThat(bucketSum).isEqualTo(7);
	}

	@Test
	void rawState_rejectedCallWritesNothing() { // RSA-04
		RedisLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit limit = absolute(2, 10_000, 100);
		engine.inc(limit, "k", 2);
		Map<Object, Object> before = admin.template().opsForHash().entries(hash(limit, "k"));
		assertThat(engine.inc(limit, "k", 1)).isInstanceOf(Rejected.class);
		assertThat(admin.template().opsForHash().entries(hash(limit, "k"))).isEqualTo(before);
	}

	@Test
	void rawState_unknownKeyReadsWriteNothing() { // RSA-12, RSA-13, RSS-07
		RedisLimitEngine engine = engine(new SplittableRandom(1));
		engine.get(absolute(2, 10_000, 100), "k");
		engine.isAllowed(absolute(2, 10_000, 100), "k");
		engine.get(suppressed(2, 1, 10_000, 100), "k");
		engine.suppressionFactor(suppressed(2, 1, 10_000, 100), "k");
		engine.setIf(absolute(2, 10_000, 100), "k", gt(5), 5, null);
		assertThat(admin.keysContaining(this.prefix)).isEmpty();
	}

	@Test
	void rawState_setIfWritesOneBucketAndMissWritesNothing() { // RSA-08, RSA-09
		RedisLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit limit = absolute(50, 10_000, 100);
		engine.inc(limit, "k", 3);
		engine.inc(limit, "k", 4);
		assertThat(engine.setIf(limit, "k", nil(), 40, null)).isEqualTo(new ConditionalSetOutcome(true, 7, 40));
		Map<Object, Object> after = admin.template().opsForHash().entries(hash(limit, "k"));
		assertThat(after.get("t")).isEqualTo("40");
		assertThat(after.keySet().stream().filter((field) -> field.toString().matches("c[0-9]+"))).hasSize(1);
		assertThat(engine.setIf(limit, "k", gt(1000), 5, null)).isEqualTo(new ConditionalSetOutcome(false, 40, 40));
		assertThat(admin.template().opsForHash().entries(hash(limit, "k"))).isEqualTo(after);
	}

	@Test
	void changedBucketLengthKeepsTheTotal() { // spec §13 item 7 fixed
		RedisLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit limit = absolute(10, 10_000, 100);
		engine.inc(limit, "k", 6);
		RateLimit changed = limit.toBuilder().capacity(8).bucket(Duration.ofMillis(200)).build();
		assertThat(engine.get(changed, "k").total()).isEqualTo(6);
		assertThat(engine.inc(changed, "k", 3)).isInstanceOf(Rejected.class);
		assertThat(engine.inc(changed, "k", 2)).isSameAs(Allowed.ADMITTED);
	}

	@Test
	void suppressed_factorFromRecentRateWithInjectedDraw() { // RS-05, decision 9
		ScriptedRandom random = new ScriptedRandom(0.99);
		RedisLimitEngine engine = engine(random);
		RateLimit limit = suppressed(10, 10, 10_000, 100); // soft 10, hard 100
		assertThat(engine.inc(limit, "k", 10)).isSameAs(Allowed.ADMITTED);
		await().pollDelay(Duration.ofMillis(1100)).atMost(Duration.ofSeconds(3)).until(() -> true);
		// 10 offered over 10 s is the target rate: factor 0, no draw
		assertThat(engine.inc(limit, "k", 20)).isEqualTo(Suppressed.NONE);
		await().pollDelay(Duration.ofMillis(150)).atMost(Duration.ofSeconds(2)).until(() -> true);
		// 20 offered within the last second against a target of 1/s: factor 1 - 1/20; the draw 0.99 refuses
		RateLimitDecision decision = engine.inc(limit, "k", 1);
		assertThat(decision).isInstanceOf(Suppressed.class);
		assertThat(random.draws()).as("decision 9: the Redis provider draws once per call").isEqualTo(3);
		assertThat(((Suppressed) decision).factor()).isCloseTo(0.95, within(1e-9));
		assertThat(((Suppressed) decision).admitted()).isFalse();
		assertThat(engine.get(limit, "k")).satisfies((usage) -> {
			assertThat(usage.total()).isEqualTo(31);
			assertThat(usage.declined()).isEqualTo(1);
		});
	}

	@Test
	void suppressed_invalidCachedFactorIsRecomputed() { // RSS-04
		RedisLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit limit = suppressed(10, 2, 10_000, 100).toBuilder().suppressionFactorCache(Duration.ofSeconds(60))
			.build();
		engine.setIf(limit, "k", nil(), 11, null);
		double factor = engine.suppressionFactor(limit, "k");
		assertThat(factor).isCloseTo(1 - 1.0 / 11, within(1e-9));
		admin.template().opsForHash().put(hash(limit, "k"), "sf", "1.25");
		assertThat(engine.suppressionFactor(limit, "k")).isCloseTo(factor, within(1e-9));
	}

	@Test
	void statisticalSuppression_acceptsBetweenSoftAndHardPerWindow() throws Exception { // seed 11
		RedisLimitEngine engine = engine(new SplittableRandom(11));
		RateLimit limit = suppressed(40, 2, 2000, 50); // soft 40, hard 80 per 2 s
		AtomicLongArray acceptedPerWindow = new AtomicLongArray(6);
		AtomicInteger calls = new AtomicInteger();
		long start = System.nanoTime();
		ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
		// offered load 5 x soft: 200 calls per window, one every 10 ms, for 6 windows
		load.scheduleAtFixedRate(() -> {
			int window = (int) ((System.nanoTime() - start) / 2_000_000_000L);
			if (window < 6 && engine.inc(limit, "k", 1).isAdmitted()) {
				acceptedPerWindow.incrementAndGet(window);
			}
			calls.incrementAndGet();
		}, 0, 10, TimeUnit.MILLISECONDS);
		await().atMost(Duration.ofSeconds(20)).until(() -> System.nanoTime() - start > 12_000_000_000L);
		load.shutdown();
		assertThat(load.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
		assertThat(calls.get()).isGreaterThan(1000);
		for (int window = 2; window < 6; window++) {
			assertThat(acceptedPerWindow.get(window)).as("window " + window).isBetween(34L, 80L);
		}
	}

}
