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
import org.springframework.data.redis.core.RedisCallback;

import io.distkit.RedisIntegrationSupport;
import io.distkit.RedisKey;
import io.distkit.ratelimit.RateLimitDecision.Allowed;
import io.distkit.ratelimit.RateLimitDecision.Rejected;
import io.distkit.ratelimit.RateLimitDecision.Suppressed;
import io.distkit.ratelimit.redis.RedisLimitEngine;

import static io.distkit.counter.CounterComparator.eq;
import static io.distkit.counter.CounterComparator.gt;
import static io.distkit.counter.CounterComparator.nil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The Redis provider on real Redis time: spec §10.4–10.6 scenarios that depend on time or raw state. Raw state is our
 * layout (docs/redis-layout.md: one hash {@code h} with {@code t}, {@code d}, {@code c<b>}, {@code x<b>},
 * {@code sf}/{@code sfx}, one sorted set {@code a}), not the reference's {@code h/a/t/w/d/hd/sf} keys: there is no
 * stored limit {@code w} and no {@code active_entities} set. Waits on Redis time use Awaitility; a fixed pause
 * ({@link #letTimePass}) only where a scenario is about elapsed time (units in different buckets, history older than
 * the window).
 */
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
	void windowSlides() { // RA-05, RA-11
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
	void detailedDecisionsInABucketThatAlreadyHoldsUnitsCountDownFromTheTotalAndTheOldestBucket() {
		// the script decides this case before its shared functions are defined: the replies must match the general path
		RedisLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit limit = absolute(10, 20_000, 1_000);
		await().atMost(Duration.ofSeconds(3)).until(() -> redisMillis() % 1_000 < 700);
		Allowed first = (Allowed) engine.incDetailed(limit, "k", 3);
		long oldest = Long.parseLong(raw(limit, "k").fields().get("o"));
		await().atMost(Duration.ofSeconds(3))
			.until(() -> redisMillis() / 1_000 > oldest && redisMillis() % 1_000 < 700); // a later bucket
		Allowed second = (Allowed) engine.incDetailed(limit, "k", 2); // opens that bucket
		long before = redisMillis();
		Allowed third = (Allowed) engine.incDetailed(limit, "k", 4); // adds to it
		long after = redisMillis();
		assertThat(raw(limit, "k").fields()).as("two buckets")
			.containsOnlyKeys("t", "o", "cfg", "c" + oldest, "c" + (before / 1_000));
		assertThat(first.remaining()).isEqualTo(7);
		assertThat(second.remaining()).isEqualTo(5);
		assertThat(third.remaining()).isEqualTo(1);
		long oldestBucketLeaves = (oldest + 20) * 1_000;
		assertThat(third.resetAfter()).isBetween(Duration.ofMillis(oldestBucketLeaves - after),
				Duration.ofMillis(oldestBucketLeaves - before));
		assertThat(engine.inc(limit, "k", 1)).isSameAs(Allowed.ADMITTED);
		assertThat(engine.incDetailed(limit, "k", 1)).isInstanceOf(Rejected.class);
		assertThat(engine.get(limit, "k").total()).isEqualTo(10);
	}

	private long redisMillis() {
		return admin.template().execute((RedisCallback<Long>) (connection) -> connection.serverCommands().time());
	}

	@Test
	void rawState_rejectedCallWritesNothing() { // RSA-04
		RedisLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit limit = absolute(2, 10_000, 100);
		engine.inc(limit, "k", 2);
		RawEntity before = raw(limit, "k");
		assertThat(engine.inc(limit, "k", 1)).isInstanceOf(Rejected.class);
		RawEntity after = raw(limit, "k");
		assertThat(after.fields()).isEqualTo(before.fields());
		assertThat(after.members()).isEqualTo(before.members());
		assertThat(after.hashTtlMillis()).as("the TTL is not extended").isLessThanOrEqualTo(before.hashTtlMillis());
	}

	@Test
	void refundOfAnEntityThatNoLongerExistsWritesNothing() { // a refund after expiry must not leave a key without TTL
		RedisLimitEngine engine = engine(new SplittableRandom(1));
		engine.refund(absolute(2, 10_000, 100), "gone", 1);
		engine.refund(suppressed(2, 1, 10_000, 100), "gone", 1);
		assertThat(admin.keysContaining(this.prefix)).isEmpty();
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
		// RSA-12, RSS-10: zero targets on a missing key and guard misses, in both forms, write nothing either
		for (RateLimit limit : List.of(absolute(100, 10_000, 100), suppressed(100, 1, 10_000, 100))) {
			assertThat(engine.setIf(limit, "k", eq(0), 0, null)).isEqualTo(new ConditionalSetOutcome(true, 0, 0));
			assertThat(engine.setIf(limit, "k", eq(1), 5, null)).isEqualTo(new ConditionalSetOutcome(false, 0, 0));
			for (HistoryPreservation preservation : HistoryPreservation.values()) {
				assertThat(engine.setIf(limit, "k", eq(0), 0, preservation))
					.isEqualTo(new ConditionalSetOutcome(true, 0, 0));
				assertThat(engine.setIf(limit, "k", eq(1), 5, preservation))
					.isEqualTo(new ConditionalSetOutcome(false, 0, 0));
			}
		}
		assertThat(admin.keysContaining(this.prefix)).isEmpty();
		// a present key set to zero loses every key (RSA-12: 17; RSS-10 with declines and a cached factor)
		RateLimit abs = absolute(100, 10_000, 100);
		engine.inc(abs, "p", 17);
		assertThat(engine.setIf(abs, "p", nil(), 0, null)).isEqualTo(new ConditionalSetOutcome(true, 17, 0));
		RateLimit sup = suppressed(10, 1, 10_000, 100);
		engine.inc(sup, "p", 10);
		engine.inc(sup, "p", 2);
		assertThat(raw(sup, "p").fields()).containsKeys("d", "sf");
		assertThat(engine.setIf(sup, "p", nil(), 0, HistoryPreservation.PRESERVE_OLDEST))
			.isEqualTo(new ConditionalSetOutcome(true, 12, 0));
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
		RawEntity set = raw(limit, "k");
		assertThat(set.members()).hasSize(1);
		assertThat(set.hashTtlMillis()).isBetween(1L, 11_100L);
		assertThat(set.setTtlMillis()).isBetween(1L, 11_100L);
		letTimePass(Duration.ofMillis(50));
		assertThat(engine.setIf(limit, "k", gt(1000), 5, null)).isEqualTo(new ConditionalSetOutcome(false, 40, 40));
		assertThat(admin.template().opsForHash().entries(hash(limit, "k"))).isEqualTo(after);
		RawEntity missed = raw(limit, "k");
		assertThat(missed.members()).isEqualTo(set.members());
		assertThat(missed.hashTtlMillis()).as("RSA-09: a miss does not extend the TTL").isLessThan(set.hashTtlMillis());
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
	void changedBucketLength_leavesEveryKeyExpiring() {
		// RA-02 adapted (spec §13 item 7: the configured limit applies, history kept) with RSA-07 adapted (every key
		// carries a TTL of window + bucket + 1 s): the carried-over total must expire like any other bucket
		RedisLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit limit = absolute(10, 10_000, 100);
		engine.inc(limit, "k", 6);
		RateLimit changed = limit.toBuilder().bucket(Duration.ofMillis(200)).build();
		assertThat(engine.get(changed, "k").total()).isEqualTo(6);
		RawEntity state = raw(changed, "k");
		assertThat(state.countList()).containsExactly(6L);
		assertThat(state.hashTtlMillis()).isBetween(1L, 11_200L);
		assertThat(state.setTtlMillis()).isBetween(1L, 11_200L);
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
	void suppressed_invalidCachedFactorIsRecomputed() { // RSS-04, RS-02
		RedisLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit limit = suppressed(10, 2, 10_000, 100).toBuilder().suppressionFactorCache(Duration.ofSeconds(60))
			.build();
		engine.setIf(limit, "k", nil(), 11, null);
		double factor = engine.suppressionFactor(limit, "k");
		assertThat(factor).isCloseTo(1 - 1.0 / 11, within(1e-9));
		for (String corrupt : List.of("1.25", "-0.25")) {
			admin.template().opsForHash().put(hash(limit, "k"), "sf", corrupt);
			assertThat(engine.suppressionFactor(limit, "k")).isCloseTo(factor, within(1e-9));
			RawEntity stored = raw(limit, "k");
			assertThat(Double.parseDouble(stored.fields().get("sf"))).as("stored again").isCloseTo(factor, within(1e-9));
			assertThat(stored.field("sfx") - redisTimeMillis()).isBetween(1L, 60_000L);
		}
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

	private RawEntity raw(RateLimit limit, String key) {
		return RawEntity.read(admin, this.prefix, limit, key);
	}

	/** Lets real time pass, for scenarios about elapsed time (units in different buckets, history leaving the window). */
	private static void letTimePass(Duration duration) {
		await().pollDelay(duration).atMost(duration.plusSeconds(5)).until(() -> true);
	}

	private static RateLimit withFactorCache(RateLimit limit, Duration cache) {
		return limit.toBuilder().suppressionFactorCache(cache).build();
	}

	/** Writes a cached suppression factor valid until {@code validForMillis} from now (negative: already stale). */
	private void cacheFactor(RateLimit limit, String key, String factor, long validForMillis) {
		admin.template().opsForHash().putAll(hash(limit, key),
				Map.of("sf", factor, "sfx", Long.toString(redisTimeMillis() + validForMillis)));
	}

	@Test
	void coalescing_unitsWithinOneAlignedBucketShareItsField() { // RA-04, RSA-03
		RedisLimitEngine engine = engine(new SplittableRandom(1));
		// RA-04 (W=6 s, r=1) with B=2 s, RSA-03's bucket, instead of 300 ms: buckets are aligned, and 2 s leave a slow
		// machine room to land the three calls in one
		RateLimit limit = absolute(6, 6000, 2000);
		RateLimit wide = absolute(50, 6000, 2000);
		awaitBucketStart(2000, 500);
		engine.inc(limit, "k", 2);
		engine.inc(wide, "m", 2);
		letTimePass(Duration.ofMillis(50));
		engine.inc(limit, "k", 4);
		engine.inc(wide, "m", 3);
		letTimePass(Duration.ofMillis(100));
		RateLimitDecision decision = engine.inc(limit, "k", 1);
		assertThat(decision).isInstanceOf(Rejected.class);
		assertThat(((Rejected) decision).remainingAfterWaiting()).as("one bucket of 6").isEqualTo(6);
		RawEntity coalesced = raw(wide, "m");
		assertThat(coalesced.countList()).containsExactly(5L);
		assertThat(coalesced.members()).hasSize(1);
		// RSA-03, B=100 ms: 150 ms apart are two buckets
		RateLimit fine = absolute(50, 10_000, 100);
		engine.inc(fine, "j", 1);
		letTimePass(Duration.ofMillis(150));
		engine.inc(fine, "j", 2);
		RawEntity separate = raw(fine, "j");
		assertThat(separate.countList()).containsExactly(1L, 2L);
		assertThat(separate.members()).hasSize(2);
		assertThat(separate.field("t")).isEqualTo(3);
	}

	@Test
	void windowExpiry_leavesOnlyTheLiveBucket() { // RA-10, RSA-05, RSA-06 (W=2 s, B=200 ms, r=1)
		RedisLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit limit = absolute(2, 2000, 200);
		engine.inc(limit, "k", 1);
		letTimePass(Duration.ofMillis(750));
		engine.inc(limit, "k", 1);
		assertThat(engine.isAllowed(limit, "k")).isInstanceOf(Rejected.class);
		// the first unit leaves within 2 s; the second lives at least 1.8 s after 750 ms
		await().atMost(Duration.ofSeconds(4)).until(() -> engine.isAllowed(limit, "k").isAdmitted());
		assertThat(engine.get(limit, "k").total()).isEqualTo(1);
		RawEntity state = raw(limit, "k");
		assertThat(state.field("t")).isEqualTo(1);
		assertThat(state.countList()).containsExactly(1L);
		assertThat(state.members()).containsExactly(state.counts().firstKey().toString());
	}

	@Test
	void rejectedCallsCountNothingAndTheWindowResets() { // RA-12, RA-13, LA-15 (W=1 s, r=2)
		RedisLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit limit = absolute(2, 1000, 100);
		for (int round = 0; round < 2; round++) {
			assertThat(engine.inc(limit, "k", 1)).isSameAs(Allowed.ADMITTED);
			assertThat(engine.inc(limit, "k", 1)).isSameAs(Allowed.ADMITTED);
			for (int i = 0; i < 20; i++) {
				assertThat(engine.inc(limit, "k", 1)).isInstanceOf(Rejected.class);
			}
			assertThat(engine.get(limit, "k").total()).isEqualTo(2);
			if (round == 0) {
				await().atMost(Duration.ofSeconds(3)).until(() -> engine.get(limit, "k").total() == 0);
			}
		}
	}

	@Test
	void setIf_missLeavesExpiredHistoryAMatchPrunesIt() { // RSA-10 (W=2 s, B=100 ms, r=10)
		RedisLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit limit = absolute(20, 2000, 100);
		engine.inc(limit, "k", 4);
		letTimePass(Duration.ofMillis(900));
		engine.inc(limit, "k", 6);
		letTimePass(Duration.ofMillis(1200)); // the 4 has left the window, the 6 has not
		RawEntity before = raw(limit, "k");
		assertThat(before.countList()).containsExactly(4L, 6L);
		assertThat(engine.setIf(limit, "k", gt(100), 5, null)).isEqualTo(new ConditionalSetOutcome(false, 6, 6));
		RawEntity missed = raw(limit, "k");
		assertThat(missed.fields()).as("no pruning on a miss").isEqualTo(before.fields());
		assertThat(missed.field("t")).isEqualTo(10);
		assertThat(missed.hashTtlMillis()).isLessThanOrEqualTo(before.hashTtlMillis());
		assertThat(engine.setIf(limit, "k", eq(6), 4, HistoryPreservation.PRESERVE_NEWEST))
			.isEqualTo(new ConditionalSetOutcome(true, 6, 4));
		RawEntity matched = raw(limit, "k");
		assertThat(matched.countList()).containsExactly(4L);
		assertThat(matched.members()).hasSize(1);
		assertThat(matched.field("t")).isEqualTo(4);
	}

	@Test
	void preserveHistory_reshapesTheBucketsInRedis() { // RSA-11 (W=60 s, r=100)
		RedisLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit limit = absolute(6000, 60_000, 100);
		for (long count : new long[] { 4, 5, 6 }) {
			engine.inc(limit, "n", count);
			engine.inc(limit, "o", count);
			letTimePass(Duration.ofMillis(110)); // one bucket each
		}
		assertThat(raw(limit, "n").countList()).containsExactly(4L, 5L, 6L);
		assertThat(engine.setIf(limit, "n", nil(), 8, HistoryPreservation.PRESERVE_NEWEST))
			.isEqualTo(new ConditionalSetOutcome(true, 15, 8));
		assertThat(raw(limit, "n").countList()).containsExactly(2L, 6L);
		assertThat(engine.setIf(limit, "n", nil(), 11, HistoryPreservation.PRESERVE_NEWEST))
			.isEqualTo(new ConditionalSetOutcome(true, 8, 11));
		assertThat(raw(limit, "n").countList()).containsExactly(2L, 9L);
		assertThat(engine.setIf(limit, "o", nil(), 8, HistoryPreservation.PRESERVE_OLDEST))
			.isEqualTo(new ConditionalSetOutcome(true, 15, 8));
		assertThat(raw(limit, "o").countList()).containsExactly(4L, 4L);
		assertThat(engine.setIf(limit, "o", nil(), 11, HistoryPreservation.PRESERVE_OLDEST))
			.isEqualTo(new ConditionalSetOutcome(true, 8, 11));
		RawEntity oldest = raw(limit, "o");
		assertThat(oldest.countList()).containsExactly(7L, 4L);
		assertThat(oldest.field("t")).isEqualTo(11);
		assertThat(oldest.members()).hasSize(2);
	}

	@Test
	void suppressed_rawCountersFollowRefusals() { // RSS-01, RSS-02 (W=10 s, H=2, C=60 s, r=1)
		RedisLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit limit = withFactorCache(suppressed(10, 2, 10_000, 100), Duration.ofSeconds(60));
		assertThat(engine.inc(limit, "a", 3)).isSameAs(Allowed.ADMITTED);
		RawEntity admitted = raw(limit, "a");
		assertThat(admitted.field("t")).isEqualTo(3);
		assertThat(admitted.field("d")).isZero();
		assertThat(admitted.declines()).isEmpty();
		assertThat(engine.inc(limit, "k", 20)).isSameAs(Allowed.ADMITTED);
		assertThat(engine.inc(limit, "k", 1)).isSameAs(Suppressed.FULL);
		RawEntity refused = raw(limit, "k");
		assertThat(refused.field("t")).isEqualTo(21);
		assertThat(refused.sumOfCounts()).isEqualTo(21);
		assertThat(refused.field("d")).isEqualTo(1);
		assertThat(refused.sumOfDeclines()).isEqualTo(1);
		assertThat(refused.members()).containsExactlyElementsOf(
				refused.counts().keySet().stream().map(String::valueOf).toList());
		assertThat(refused.fields().get("sf")).isEqualTo("1");
		assertThat(refused.field("sfx") - redisTimeMillis()).isBetween(1L, 60_000L);
	}

	@Test
	void suppressed_factorIsCachedForItsPeriod() { // RSS-03 (W=10 s, B=100 ms, H=2, C=500 ms, r=1)
		RedisLimitEngine engine = engine(new ScriptedRandom(0.99));
		RateLimit limit = withFactorCache(suppressed(10, 2, 10_000, 100), Duration.ofMillis(500));
		for (int i = 0; i < 10; i++) {
			assertThat(engine.inc(limit, "k", 1)).isSameAs(Allowed.ADMITTED);
		}
		// ten units within the last second against 1/s: 1 - 1/10
		assertThat(engine.inc(limit, "k", 1)).isEqualTo(new Suppressed(0.9, false));
		RawEntity cached = raw(limit, "k");
		assertThat(Double.parseDouble(cached.fields().get("sf"))).isEqualTo(0.9);
		long expiry = cached.field("sfx");
		assertThat(expiry - redisTimeMillis()).isBetween(1L, 500L);
		await().atMost(Duration.ofSeconds(3)).until(() -> redisTimeMillis() > expiry);
		double recomputed = engine.suppressionFactor(limit, "k");
		assertThat(recomputed).isCloseTo(1 - 1.0 / 11, within(1e-9));
		assertThat(Double.parseDouble(raw(limit, "k").fields().get("sf"))).isEqualTo(recomputed);
	}

	@Test
	void suppressed_cachedFactorDecidesTheRampWithOneDrawPerCall() {
		// LS-08, LS-13, LS-14 (W=10 s, H=2: soft 10, hard 20), LS-09, LS-11: the reference's tests wrote the cache,
		// and so do these; the draw comes from Java, one per call (decision 9)
		ScriptedRandom random = new ScriptedRandom(0.5, 0.8, 0.7, 0.5, 0.5, 0.5, 0.5);
		RedisLimitEngine engine = engine(random);
		RateLimit limit = suppressed(10, 2, 10_000, 100);
		assertThat(engine.inc(limit, "k", 10)).isSameAs(Allowed.ADMITTED);
		cacheFactor(limit, "k", "0.25", 60_000);
		assertThat(engine.inc(limit, "k", 1)).as("0.8 is not below 0.75").isEqualTo(new Suppressed(0.25, false));
		assertThat(engine.inc(limit, "k", 1)).as("0.7 is").isEqualTo(new Suppressed(0.25, true));
		cacheFactor(limit, "k", "0", 60_000);
		assertThat(engine.inc(limit, "k", 1)).isSameAs(Suppressed.NONE);
		cacheFactor(limit, "k", "1", 60_000);
		assertThat(engine.inc(limit, "k", 1)).isSameAs(Suppressed.FULL);
		assertThat(engine.get(limit, "k")).satisfies((usage) -> {
			assertThat(usage.total()).isEqualTo(14);
			assertThat(usage.declined()).isEqualTo(2);
		});
		// LS-09: a stale cached factor is not used: accepted usage at the hard capacity gives 1
		engine.setIf(limit, "j", nil(), 20, null);
		cacheFactor(limit, "j", "0.25", -1);
		assertThat(engine.suppressionFactor(limit, "j")).isEqualTo(1.0);
		// LS-11: below the soft capacity the cache is not consulted; a stale 0.9 is recomputed to 0 and cached
		assertThat(engine.inc(limit, "m", 5)).isSameAs(Allowed.ADMITTED);
		cacheFactor(limit, "m", "0.9", -1);
		assertThat(engine.inc(limit, "m", 1)).isSameAs(Allowed.ADMITTED);
		assertThat(engine.suppressionFactor(limit, "m")).isZero();
		assertThat(Double.parseDouble(raw(limit, "m").fields().get("sf"))).isZero();
		assertThat(random.draws()).isEqualTo(7);
	}

	@Test
	void suppressed_factorFromTheWindowAverageOnceTheLastSecondIsQuiet() { // RS-04 (W=10 s, H=10, r=1)
		RedisLimitEngine engine = engine(new ScriptedRandom(0.99));
		RateLimit limit = suppressed(10, 10, 10_000, 100); // soft 10, hard 100
		engine.setIf(limit, "k", nil(), 20, null);
		letTimePass(Duration.ofMillis(1200));
		// nothing in the last second; 20 in 10 s is 2/s against 1/s
		assertThat(engine.inc(limit, "k", 1)).isEqualTo(new Suppressed(0.5, false));
	}

	@Test
	void suppressed_windowExpiryDropsTheCachedFactor() { // RS-03, RS-11, RSS-12 (W=1 s)
		RedisLimitEngine engine = engine(new ScriptedRandom(0.5));
		// RS-11: H=1, C=5 ms, r=5
		RateLimit even = withFactorCache(suppressed(5, 1, 1000, 100), Duration.ofMillis(5));
		assertThat(engine.inc(even, "a", 5)).isSameAs(Allowed.ADMITTED);
		letTimePass(Duration.ofMillis(20));
		assertThat(engine.suppressionFactor(even, "a")).as("recomputed after C").isEqualTo(1.0);
		// RS-03: H=2, C=50 ms, r=1 (soft 1, hard 2)
		RateLimit doubled = withFactorCache(suppressed(1, 2, 1000, 100), Duration.ofMillis(50));
		assertThat(engine.inc(doubled, "b", 2)).isSameAs(Allowed.ADMITTED);
		assertThat(engine.suppressionFactor(doubled, "b")).isEqualTo(1.0);
		// RSS-12: H=1, C=5 s, r=1: the factor 1 is cached far longer than the window
		RateLimit longCache = withFactorCache(suppressed(1, 1, 1000, 100), Duration.ofSeconds(5));
		engine.setIf(longCache, "c", nil(), 1, null);
		assertThat(engine.suppressionFactor(longCache, "c")).isEqualTo(1.0);
		await().atMost(Duration.ofSeconds(3)).until(() -> engine.suppressionFactor(even, "a") == 0.0
				&& engine.suppressionFactor(doubled, "b") == 0.0 && engine.get(longCache, "c").total() == 0);
		assertThat(engine.get(longCache, "c")).isEqualTo(Usage.NONE);
		assertThat(Double.parseDouble(raw(longCache, "c").fields().get("sf")))
			.as("the cached 1 went with the history it was computed from").isZero();
		assertThat(engine.inc(even, "a", 1)).isSameAs(Allowed.ADMITTED);
		assertThat(engine.inc(doubled, "b", 1)).isSameAs(Allowed.ADMITTED);
		assertThat(engine.inc(longCache, "c", 1)).isSameAs(Allowed.ADMITTED);
	}

	@Test
	void suppressed_bucketSumsMatchTheTotalsAsBucketsLeave() { // RSS-06 (W=1 s, H=1, r=3)
		RedisLimitEngine engine = engine(new ScriptedRandom(0.5));
		RateLimit limit = suppressed(3, 1, 1000, 100);
		assertThat(engine.inc(limit, "k", 3)).isSameAs(Allowed.ADMITTED);
		assertThat(engine.inc(limit, "k", 2)).isSameAs(Suppressed.FULL);
		letTimePass(Duration.ofMillis(500));
		assertThat(engine.inc(limit, "k", 1)).isSameAs(Suppressed.FULL);
		RawEntity full = raw(limit, "k");
		assertThat(full.field("t")).isEqualTo(6).isEqualTo(full.sumOfCounts());
		assertThat(full.field("d")).isEqualTo(3).isEqualTo(full.sumOfDeclines());
		await().atMost(Duration.ofSeconds(3)).until(() -> engine.get(limit, "k").total() == 1);
		RawEntity reduced = raw(limit, "k");
		assertThat(reduced.field("t")).isEqualTo(1).isEqualTo(reduced.sumOfCounts());
		assertThat(reduced.field("d")).isEqualTo(1).isEqualTo(reduced.sumOfDeclines());
	}

	@Test
	void suppressed_matchedSetReplacesHistoryAndDropsTheFactorMissChangesNothing() { // RSS-08 (C=60 s)
		RedisLimitEngine engine = engine(new ScriptedRandom(0.5));
		RateLimit limit = withFactorCache(suppressed(10, 1, 10_000, 100), Duration.ofSeconds(60));
		assertThat(engine.inc(limit, "k", 10)).isSameAs(Allowed.ADMITTED);
		assertThat(engine.inc(limit, "k", 2)).isSameAs(Suppressed.FULL);
		RawEntity before = raw(limit, "k");
		assertThat(before.fields()).containsEntry("sf", "1").containsEntry("d", "2");
		assertThat(engine.setIf(limit, "k", gt(100), 5, HistoryPreservation.PRESERVE_NEWEST))
			.isEqualTo(new ConditionalSetOutcome(false, 12, 12));
		assertThat(engine.setIf(limit, "k", gt(100), 5, null)).isEqualTo(new ConditionalSetOutcome(false, 12, 12));
		assertThat(raw(limit, "k").fields()).as("the cached factor and its expiry too").isEqualTo(before.fields());
		assertThat(engine.setIf(limit, "k", nil(), 4, null)).isEqualTo(new ConditionalSetOutcome(true, 12, 4));
		RawEntity replaced = raw(limit, "k");
		assertThat(replaced.countList()).containsExactly(4L);
		assertThat(replaced.declines()).isEmpty();
		assertThat(replaced.field("d")).isZero();
		assertThat(replaced.fields()).doesNotContainKeys("sf", "sfx");
		assertThat(replaced.field("t")).isEqualTo(4);
	}

	@Test
	void suppressed_preserveHistoryKeepsDeclinesInProportionInRedis() { // LS-24, LS-26, RSS-09 (H=1, capacity 20)
		// buckets of 500 ms, aligned, so that calls meant for one bucket land in it on a slow machine
		RedisLimitEngine engine = engine(new ScriptedRandom(0.5));
		RateLimit limit = suppressed(20, 1, 10_000, 500);
		assertThat(engine.inc(limit, "a", 4)).isSameAs(Allowed.ADMITTED);
		awaitBucketStart(500, 100); // the next two calls share a bucket, after the 4's
		assertThat(engine.inc(limit, "a", 16)).isSameAs(Allowed.ADMITTED);
		assertThat(engine.inc(limit, "a", 7)).isSameAs(Suppressed.FULL);
		assertThat(raw(limit, "a").countList()).containsExactly(4L, 23L);
		assertThat(engine.setIf(limit, "a", nil(), 10, HistoryPreservation.PRESERVE_NEWEST))
			.isEqualTo(new ConditionalSetOutcome(true, 27, 10));
		RawEntity newest = raw(limit, "a");
		assertThat(newest.countList()).containsExactly(10L);
		assertThat(newest.declines().values()).containsExactly(3L); // floor(7 x 10 / 23)
		assertThat(newest.field("d")).isEqualTo(3);
		awaitBucketStart(500, 100);
		assertThat(engine.inc(limit, "b", 20)).isSameAs(Allowed.ADMITTED);
		assertThat(engine.inc(limit, "b", 12)).isSameAs(Suppressed.FULL);
		letTimePass(Duration.ofMillis(510));
		assertThat(engine.inc(limit, "b", 6)).isSameAs(Suppressed.FULL);
		assertThat(raw(limit, "b").countList()).containsExactly(32L, 6L);
		assertThat(engine.setIf(limit, "b", nil(), 7, HistoryPreservation.PRESERVE_OLDEST))
			.isEqualTo(new ConditionalSetOutcome(true, 38, 7));
		RawEntity oldest = raw(limit, "b");
		assertThat(oldest.countList()).containsExactly(7L);
		assertThat(oldest.declines().values()).containsExactly(2L); // floor(12 x 7 / 32)
		assertThat(engine.get(limit, "b")).isEqualTo(new Usage(7, 2, 0.0));
	}

	@Test
	void suppressed_preserveHistoryScalesDeclinesExactlyAtTheTopOfTheRange() {
		// LS-25 adapted: counts lie in [0, 2^53); the Redis provider must keep floor(3e15 x (9e15 - 1) / 9e15)
		// exactly, as the local one does, although the product does not fit a Lua number
		RedisLimitEngine engine = engine(new ScriptedRandom(0.5));
		RateLimit limit = suppressed(6_000_000_000_000_000L, 1, 10_000, 500);
		awaitBucketStart(500, 100); // the set and the refused call share a bucket
		engine.setIf(limit, "k", nil(), 6_000_000_000_000_000L, null);
		assertThat(engine.inc(limit, "k", 3_000_000_000_000_000L)).isSameAs(Suppressed.FULL);
		assertThat(raw(limit, "k").countList()).containsExactly(9_000_000_000_000_000L);
		long target = 8_999_999_999_999_999L;
		assertThat(engine.setIf(limit, "k", nil(), target, HistoryPreservation.PRESERVE_NEWEST))
			.isEqualTo(new ConditionalSetOutcome(true, 9_000_000_000_000_000L, target));
		assertThat(engine.get(limit, "k").declined()).isEqualTo(2_999_999_999_999_999L);
		assertThat(raw(limit, "k").field("d")).isEqualTo(2_999_999_999_999_999L);
	}

}
