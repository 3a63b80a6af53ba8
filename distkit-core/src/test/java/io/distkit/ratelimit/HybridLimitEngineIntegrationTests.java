package io.distkit.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.distkit.RedisIntegrationSupport;
import io.distkit.RedisKey;
import io.distkit.ratelimit.RateLimitDecision.Allowed;
import io.distkit.ratelimit.RateLimitDecision.Rejected;
import io.distkit.ratelimit.RateLimitDecision.Suppressed;
import io.distkit.ratelimit.hybrid.HybridLimitEngine;

import static io.distkit.counter.CounterComparator.eq;
import static io.distkit.counter.CounterComparator.gt;
import static io.distkit.counter.CounterComparator.lt;
import static io.distkit.counter.CounterComparator.nil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hybrid provider with several instances (one {@link RateLimiter} each) on one Redis: spec §10.7 and §10.8
 * scenarios. Our hybrid commits every admitted unit at the next sync tick (numbered, idempotent) instead of at budget
 * exhaustion, so a sync interval of 60 s keeps units pending for the length of a test and a short one commits them
 * behind its back; the reference's "sync" is a {@code get}, which commits and reads. Redis and hybrid share one data
 * model (docs/redis-layout.md).
 */
class HybridLimitEngineIntegrationTests extends RedisIntegrationSupport {

	private static final Duration NEVER = Duration.ofSeconds(60);

	private final List<RateLimiter> limiters = new ArrayList<>();

	@AfterEach
	void close() {
		this.limiters.forEach(RateLimiter::close);
	}

	private RateLimiter limiter(Duration syncInterval, RandomGenerator random, String prefix) {
		RateLimiter limiter = RateLimiter.builder()
			.redis(backend, RedisKey.prefix(prefix))
			.syncInterval(syncInterval)
			.random(random)
			.build();
		this.limiters.add(limiter);
		return limiter;
	}

	/** One instance: a limiter of its own, synchronising every {@code syncInterval}. */
	private BoundLimit instance(Duration syncInterval, RateLimit limit) {
		return limiter(syncInterval, new SplittableRandom(1), this.prefix).limit(limit);
	}

	private static RateLimit limit(long capacity) {
		return RateLimit.builder("h").capacity(capacity).window(Duration.ofSeconds(60)).provider(RateLimit.Provider.HYBRID)
			.build();
	}

	/** A hybrid limit of {@code capacity} per {@code window}; suppressed with hard-limit factor 1. */
	private static RateLimit limit(RateLimit.Strategy strategy, long capacity, Duration window) {
		return RateLimit.builder("h")
			.capacity(capacity)
			.window(window)
			.strategy(strategy)
			.provider(RateLimit.Provider.HYBRID)
			.build();
	}

	private static RateLimit suppressed(long capacity, double factor, Duration window, Duration cache) {
		return RateLimit.builder("s")
			.capacity(capacity)
			.window(window)
			.strategy(RateLimit.Strategy.SUPPRESSED)
			.hardLimitFactor(factor)
			.suppressionFactorCache(cache)
			.provider(RateLimit.Provider.HYBRID)
			.build();
	}

	private RawEntity raw(RateLimit limit, String key) {
		return RawEntity.read(admin, this.prefix, limit, key);
	}

	/** Lets real time pass, for scenarios about elapsed time. */
	private static void letTimePass(Duration duration) {
		await().pollDelay(duration).atMost(duration.plusSeconds(5)).until(() -> true);
	}

	@Test
	void localBudgetIsInvisibleUntilCommittedThenShared() { // HA-05
		RateLimit limit = limit(5);
		BoundLimit a = instance(NEVER, limit);
		BoundLimit b = instance(NEVER, limit);
		for (int i = 0; i < 5; i++) {
			assertThat(a.inc("k").isAdmitted()).isTrue();
		}
		assertThat(b.isAllowed("k").isAdmitted()).as("nothing committed yet").isTrue();
		assertThat(a.inc("k")).isInstanceOf(Rejected.class);
		assertThat(a.get("k").total()).as("get commits and reads").isEqualTo(5);
		assertThat(b.get("k").total()).isEqualTo(5);
		assertThat(b.inc("k")).isInstanceOf(Rejected.class);
	}

	@Test
	void tickCommitsExactly() throws Exception { // HA-27, HA-10
		RateLimit limit = limit(1_000_000);
		BoundLimit a = instance(Duration.ofMillis(25), limit);
		ExecutorService pool = Executors.newFixedThreadPool(8);
		List<Future<?>> futures = new ArrayList<>();
		for (int t = 0; t < 8; t++) {
			futures.add(pool.submit(() -> {
				for (int i = 0; i < 1000; i++) {
					assertThat(a.inc("k")).isSameAs(Allowed.ADMITTED);
				}
			}));
		}
		for (Future<?> future : futures) {
			future.get(30, TimeUnit.SECONDS);
		}
		pool.shutdown();
		BoundLimit reader = instance(NEVER, limit);
		await().atMost(Duration.ofSeconds(5)).until(() -> reader.get("k").total() == 8000);
	}

	@Test
	void concurrentAdmissionsStopExactlyAtTheCapacity() throws Exception {
		// most admissions take the window's lease without its lock; together they never exceed the capacity
		RateLimit limit = limit(5000);
		BoundLimit a = instance(NEVER, limit);
		ExecutorService pool = Executors.newFixedThreadPool(8);
		List<Future<Integer>> futures = new ArrayList<>();
		for (int t = 0; t < 8; t++) {
			futures.add(pool.submit(() -> {
				int admitted = 0;
				for (int i = 0; i < 1000; i++) {
					admitted += a.inc("k").isAdmitted() ? 1 : 0;
				}
				return admitted;
			}));
		}
		int admitted = 0;
		for (Future<Integer> future : futures) {
			admitted += future.get(30, TimeUnit.SECONDS);
		}
		pool.shutdown();
		assertThat(admitted).isEqualTo(5000);
		assertThat(a.get("k").total()).isEqualTo(5000);
	}

	@Test
	void aStaleViewAdmitsNothingMoreFromItsLease() { // sync 20 ms: the view goes stale after 200 ms
		RateLimit limit = limit(100);
		BoundLimit a = instance(Duration.ofMillis(20), limit);
		BoundLimit b = instance(NEVER, limit);
		assertThat(a.inc("k").isAdmitted()).isTrue();
		await().atMost(Duration.ofSeconds(5)).until(() -> b.get("k").total() == 1); // a's tick committed it
		assertThat(a.isAllowed("k").isAdmitted()).isTrue(); // a decision on a fresh view leaves a lease of 99 units
		for (int i = 0; i < 99; i++) {
			assertThat(b.inc("k").isAdmitted()).isTrue();
		}
		assertThat(b.get("k").total()).isEqualTo(100);
		letTimePass(Duration.ofMillis(250));
		assertThat(a.inc("k")).isInstanceOf(Rejected.class);
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Strategy.class)
	void estimateAnswersLocallyGetReadsRedis(RateLimit.Strategy strategy) {
		// HA-14; HS-20, HS-21 (W=6 s, H=1, r=1: 6)
		RateLimit limit = limit(strategy, 6, Duration.ofSeconds(60));
		BoundLimit writer = instance(NEVER, limit);
		BoundLimit reader = instance(NEVER, limit);
		writer.setIf("k", nil(), 5);
		assertThat(reader.getEstimate("k").total()).isEqualTo(5);
		reader.inc("k", 0);
		writer.setIf("k", nil(), 6);
		assertThat(reader.getEstimate("k")).as("local view").isEqualTo(new Usage(5, 0, 0.0));
		Usage usage = reader.get("k");
		assertThat(usage.total()).isEqualTo(6);
		if (strategy == RateLimit.Strategy.SUPPRESSED) {
			assertThat(usage).as("HS-21: at the hard capacity").isEqualTo(new Usage(6, 0, 1.0));
		}
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Strategy.class)
	void setIfCommitsPendingFirst(RateLimit.Strategy strategy) { // HA-22, HS-22
		RateLimit limit = limit(strategy, 100, Duration.ofSeconds(60));
		BoundLimit a = instance(NEVER, limit);
		for (int i = 0; i < 5; i++) {
			a.inc("k");
		}
		assertThat(a.setIf("k", lt(3), 3)).isEqualTo(new ConditionalSetOutcome(false, 5, 5));
		assertThat(a.get("k").total()).isEqualTo(5);
	}

	@Test
	void commitQueueLengthIsObservableAndBounded() {
		RateLimiter limiter = RateLimiter.builder()
			.redis(backend, RedisKey.prefix(this.prefix))
			.syncInterval(Duration.ofMillis(200))
			.commitQueueCapacity(1)
			.limit(limit(100))
			.build();
		this.limiters.add(limiter);
		BoundLimit limit = limiter.limit("h");
		HybridLimitEngine engine = (HybridLimitEngine) limiter.engine(RateLimit.Provider.HYBRID);
		limit.inc("warm-a");
		limit.inc("warm-b");
		await().atMost(Duration.ofSeconds(2)).until(() -> engine.commitQueueLength() == 0);
		assertThat(limit.inc("warm-a").isAdmitted()).isTrue();
		assertThat(engine.commitQueueLength()).isEqualTo(1);
		// the queue is full: the next key waits at most one sync interval, then fail-open decides
		RateLimitDecision decision = limit.inc("warm-b");
		assertThat(decision.isAdmitted()).isTrue();
		assertThat(decision == RateLimitDecision.Allowed.DEGRADED || engine.commitQueueLength() <= 1).isTrue();
	}

	@Test
	void freshInstanceRejectsWithTheRetryTimeRedisReports() { // HA-04 (W=60 s, S=120 s, r=5: 300)
		RateLimit limit = limit(300);
		BoundLimit a = instance(Duration.ofSeconds(120), limit);
		BoundLimit b = instance(Duration.ofSeconds(120), limit);
		assertThat(a.setIf("k", nil(), 300)).isEqualTo(new ConditionalSetOutcome(true, 0, 300));
		letTimePass(Duration.ofMillis(50));
		RateLimitDecision decision = b.isAllowed("k");
		assertThat(decision).isInstanceOf(Rejected.class);
		Rejected rejected = (Rejected) decision;
		assertThat(rejected.window()).isEqualTo(Duration.ofSeconds(60));
		assertThat(rejected.remainingAfterWaiting()).isEqualTo(300);
		assertThat(rejected.retryAfter()).as("the bucket's age in Redis, not the sync interval")
			.isBetween(Duration.ofSeconds(50), Duration.ofSeconds(60));
	}

	@Test
	void rejectedKeyIsAdmittedAgainOnceTheWindowPassed() { // HA-06 (W=1 s, S=25 ms, r=5)
		RateLimit limit = limit(RateLimit.Strategy.ABSOLUTE, 5, Duration.ofSeconds(1));
		BoundLimit a = instance(Duration.ofMillis(25), limit);
		for (int i = 0; i < 5; i++) {
			assertThat(a.inc("k")).isSameAs(Allowed.ADMITTED);
		}
		assertThat(a.inc("k")).isInstanceOf(Rejected.class);
		await().pollInterval(Duration.ofMillis(25)).atMost(Duration.ofSeconds(3)).until(() -> a.inc("k").isAdmitted());
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Strategy.class)
	void prefixesAreIsolated(RateLimit.Strategy strategy) { // HA-07, HS-09
		RateLimit limit = limit(strategy, 2, Duration.ofSeconds(60));
		BoundLimit a = instance(NEVER, limit);
		BoundLimit other = limiter(NEVER, new SplittableRandom(1), this.prefix + "-other").limit(limit);
		a.inc("k", 2);
		assertThat(a.get("k").total()).isEqualTo(2);
		assertThat(a.inc("k").isAdmitted()).isFalse();
		assertThat(other.inc("k")).isSameAs(Allowed.ADMITTED);
		assertThat(other.get("k").total()).isEqualTo(1);
	}

	@Test
	void freshInstanceReportsTheOldestRedisBucket() {
		// HA-09 (W=10 s, B=100 ms, r=1): 3, then 7 in a later bucket; a fresh instance is told the 3 leave first
		RateLimit limit = limit(RateLimit.Strategy.ABSOLUTE, 10, Duration.ofSeconds(10));
		BoundLimit seed = instance(NEVER, limit);
		BoundLimit observer = instance(NEVER, limit);
		seed.inc("k", 3);
		assertThat(seed.get("k").total()).isEqualTo(3);
		letTimePass(Duration.ofMillis(150));
		seed.inc("k", 7);
		assertThat(seed.get("k").total()).isEqualTo(10);
		assertThat(observer.isAllowed("k")).isInstanceOf(Rejected.class)
			.satisfies((decision) -> assertThat(((Rejected) decision).remainingAfterWaiting()).isEqualTo(3));
		assertThat(observer.inc("k")).as("decided locally from the same view").isInstanceOf(Rejected.class)
			.satisfies((decision) -> assertThat(((Rejected) decision).remainingAfterWaiting()).isEqualTo(3));
		assertThat(observer.get("k").total()).isEqualTo(10);
		// HA-08 (W=6 s, B=1 s, r=1): 2 and 4 committed within one aligned bucket are one bucket of 6
		RateLimit six = RateLimit.builder("h6").capacity(6).window(Duration.ofSeconds(6)).bucket(Duration.ofSeconds(1))
			.provider(RateLimit.Provider.HYBRID).build();
		BoundLimit seedSix = instance(NEVER, six);
		BoundLimit fresh = instance(NEVER, six);
		awaitBucketStart(1000, 300);
		seedSix.inc("j", 2);
		seedSix.get("j");
		seedSix.inc("j", 4);
		assertThat(seedSix.get("j").total()).isEqualTo(6);
		for (int i = 0; i < 2; i++) {
			assertThat(fresh.inc("j")).isInstanceOf(Rejected.class)
				.satisfies((decision) -> assertThat(((Rejected) decision).remainingAfterWaiting()).isEqualTo(6));
		}
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Strategy.class)
	void pendingUnitsCountInGetAndEstimate(RateLimit.Strategy strategy) { // HA-15, HS-17
		RateLimit limit = limit(strategy, 100, Duration.ofSeconds(60));
		BoundLimit a = instance(NEVER, limit);
		for (int i = 0; i < 3; i++) {
			a.inc("k");
		}
		assertThat(a.getEstimate("k")).isEqualTo(new Usage(3, 0, 0.0));
		assertThat(a.get("k")).isEqualTo(new Usage(3, 0, 0.0));
		// S=200 ms: once a tick committed them, both reads still say 3
		BoundLimit ticking = instance(Duration.ofMillis(200), limit);
		BoundLimit reader = instance(NEVER, limit);
		ticking.inc("j", 3);
		await().atMost(Duration.ofSeconds(3)).until(() -> reader.get("j").total() == 3);
		assertThat(ticking.getEstimate("j")).isEqualTo(new Usage(3, 0, 0.0));
		assertThat(ticking.get("j")).isEqualTo(new Usage(3, 0, 0.0));
	}

	@Test
	void estimateFollowsRedisOnceTheLocalViewIsStale() { // HA-16
		RateLimit limit = limit(5);
		RateLimiter limiterA = limiter(Duration.ofMillis(20), new SplittableRandom(1), this.prefix);
		HybridLimitEngine engineA = (HybridLimitEngine) limiterA.engine(RateLimit.Provider.HYBRID);
		BoundLimit a = limiterA.limit(limit);
		BoundLimit b = instance(NEVER, limit);
		for (int i = 0; i < 5; i++) {
			assertThat(a.inc("k")).isSameAs(Allowed.ADMITTED);
		}
		assertThat(a.inc("k")).isInstanceOf(Rejected.class);
		assertThat(a.get("k").total()).isEqualTo(5);
		// no commit is left to refresh A's view behind the test's back
		await().atMost(Duration.ofSeconds(2)).until(() -> engineA.commitQueueLength() == 0);
		assertThat(b.setIf("k", nil(), 4)).isEqualTo(new ConditionalSetOutcome(true, 5, 4));
		// a local view decides for ten sync intervals (200 ms here); after that an estimate reads Redis again
		await().atMost(Duration.ofSeconds(3)).until(() -> a.getEstimate("k").total() == 4);
	}

	@Test
	void setIfAfterARejectionCountsThePendingUnitsOnce() { // HA-23 (W=6 s, r=1; S=200 ms instead of 2 s)
		RateLimit limit = limit(RateLimit.Strategy.ABSOLUTE, 6, Duration.ofSeconds(6));
		BoundLimit a = instance(Duration.ofMillis(200), limit);
		for (int i = 0; i < 6; i++) {
			assertThat(a.inc("k")).isSameAs(Allowed.ADMITTED);
		}
		assertThat(a.inc("k")).isInstanceOf(Rejected.class);
		assertThat(a.setIf("k", eq(6), 2)).isEqualTo(new ConditionalSetOutcome(true, 6, 2));
		assertThat(a.get("k").total()).isEqualTo(2);
		// the ticks after it commit nothing twice
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(3)).until(() -> a.get("k").total() == 2);
	}

	@Test
	void setIfResetsTheBudgetOfEveryInstance() { // HA-24 (r=4 over 6 s: 24), HA-25 (r=2 over 6 s: 12)
		RateLimit limit = limit(24);
		BoundLimit a = instance(NEVER, limit);
		a.inc("k");
		a.inc("k");
		assertThat(a.setIf("k", nil(), 20)).isEqualTo(new ConditionalSetOutcome(true, 2, 20));
		for (int i = 0; i < 4; i++) {
			assertThat(a.inc("k")).isSameAs(Allowed.ADMITTED);
		}
		assertThat(a.inc("k")).isInstanceOf(Rejected.class);
		// HA-25: another instance decides from the set total; the reference's r=100 there is a limit the stored 12
		// overrode; here both instances run the configured 12 (spec §13 item 7)
		RateLimit twelve = limit(12);
		BoundLimit setter = instance(NEVER, twelve);
		BoundLimit other = instance(NEVER, twelve);
		assertThat(setter.setIf("j", nil(), 1)).isEqualTo(new ConditionalSetOutcome(true, 0, 1));
		for (int i = 0; i < 11; i++) {
			assertThat(other.inc("j")).isSameAs(Allowed.ADMITTED);
		}
		assertThat(other.inc("j")).isInstanceOf(Rejected.class);
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Strategy.class)
	void pendingUnitsTakePartInPreserveComparisons(RateLimit.Strategy strategy) { // HA-26, HS-24 (W=60 s)
		RateLimit limit = limit(strategy, 100, Duration.ofSeconds(60));
		BoundLimit a = instance(NEVER, limit);
		for (int i = 0; i < 4; i++) {
			a.inc("k");
		}
		assertThat(a.setIfPreserveHistory("k", eq(99), 10, HistoryPreservation.PRESERVE_NEWEST))
			.isEqualTo(new ConditionalSetOutcome(false, 4, 4));
		assertThat(a.get("k").total()).isEqualTo(4);
		assertThat(a.setIfPreserveHistory("k", nil(), 10, HistoryPreservation.PRESERVE_NEWEST))
			.isEqualTo(new ConditionalSetOutcome(true, 4, 10));
		assertThat(a.get("k").total()).isEqualTo(10);
		// an unchanged preserve keeps the pending units
		a.inc("k");
		a.inc("k");
		assertThat(a.setIfPreserveHistory("k", eq(12), 12, HistoryPreservation.PRESERVE_OLDEST))
			.isEqualTo(new ConditionalSetOutcome(true, 12, 12));
		assertThat(a.get("k").total()).isEqualTo(12);
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Strategy.class)
	void redisAndHybridProvidersShareOneDataModel(RateLimit.Strategy strategy) {
		// RA-16, HS-06, HS-24, RSHA-01 changed on purpose: the reference kept the Redis and hybrid namespaces apart;
		// here an entity is (limit name, key, strategy) whatever the provider. A limit has one provider, so the two
		// meet only when two limits share a name, as here.
		RateLimit hybrid = limit(strategy, 100, Duration.ofSeconds(60));
		RateLimit redis = hybrid.toBuilder().provider(RateLimit.Provider.REDIS).build();
		RateLimiter limiter = limiter(NEVER, new SplittableRandom(1), this.prefix);
		assertThat(limiter.limit(redis).setIf("k", nil(), 40)).isEqualTo(new ConditionalSetOutcome(true, 0, 40));
		assertThat(limiter.limit(hybrid).get("k").total()).isEqualTo(40);
		assertThat(limiter.limit(hybrid).setIf("k", nil(), 7)).isEqualTo(new ConditionalSetOutcome(true, 40, 7));
		assertThat(limiter.limit(redis).get("k").total()).isEqualTo(7);
		assertThat(admin.keysContaining(this.prefix)).as("one entity: a hash and a sorted set").hasSize(2);
	}

	@Test
	void suppressedUnitsStayLocalUntilCommitted() {
		// HS-15 (W=60 s, C=5 ms, r=0.1: 6, H=1), HS-11: the reference committed at the boundary call, so another
		// instance read 5; ours commits at the next tick (or a get), so before it the other instance reads nothing
		RateLimit limit = suppressed(6, 1, Duration.ofSeconds(60), Duration.ofMillis(5));
		BoundLimit a = instance(NEVER, limit);
		BoundLimit b = instance(NEVER, limit);
		for (int i = 0; i < 6; i++) {
			assertThat(a.inc("k")).isSameAs(Allowed.ADMITTED);
		}
		assertThat(a.inc("k")).isSameAs(Suppressed.FULL);
		assertThat(b.getSuppressionFactor("k")).isZero();
		assertThat(b.get("k")).isEqualTo(Usage.NONE);
		assertThat(a.get("k")).isEqualTo(new Usage(7, 1, 1.0));
		assertThat(b.get("k")).isEqualTo(new Usage(7, 1, 1.0));
	}

	@Test
	void suppressionLiftsOnceTheWindowPassed() {
		// HS-14 (H=1.5, soft 10, hard 15 per window): 100 calls admit between the soft and the hard capacity; a
		// window later a fresh instance reads factor 0 and is admitted (the reference's RS-12 throughput is the
		// Redis statistical test). W=2 s instead of 1 s: with C=5 ms most ramp decisions read Redis, and the 100
		// calls must fit one window on a slow machine
		RateLimit limit = suppressed(10, 1.5, Duration.ofSeconds(2), Duration.ofMillis(5));
		BoundLimit a = limiter(Duration.ofMillis(25), new SplittableRandom(3), this.prefix).limit(limit);
		int admitted = 0;
		for (int i = 0; i < 100; i++) {
			admitted += a.inc("k").isAdmitted() ? 1 : 0;
		}
		assertThat(admitted).isBetween(10, 15);
		BoundLimit fresh = instance(NEVER, limit);
		await().atMost(Duration.ofSeconds(3)).until(() -> fresh.getSuppressionFactor("k") == 0.0);
		assertThat(fresh.inc("k")).isSameAs(Allowed.ADMITTED);
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Strategy.class)
	void getDoesNotResurrectExpiredUsage(RateLimit.Strategy strategy) { // HS-19 (W=1 s)
		RateLimit limit = limit(strategy, 10, Duration.ofSeconds(1));
		BoundLimit a = instance(NEVER, limit);
		assertThat(a.inc("k", 0)).isSameAs(Allowed.ADMITTED); // a local state to resurrect from
		assertThat(a.setIf("k", nil(), 5)).isEqualTo(new ConditionalSetOutcome(true, 0, 5));
		assertThat(a.get("k").total()).isEqualTo(5);
		await().atMost(Duration.ofSeconds(3)).until(() -> a.get("k").equals(Usage.NONE));
		assertThat(a.getEstimate("k")).isEqualTo(Usage.NONE);
	}

	@Test
	void setIfCountsRefusedPendingUnitsBeforeComparing() { // HS-23, sequential part (W=6 s, H=1, r=5: 30)
		RateLimit limit = suppressed(30, 1, Duration.ofSeconds(60), Duration.ofMillis(100));
		BoundLimit a = instance(NEVER, limit);
		assertThat(a.setIf("k", nil(), 30)).isEqualTo(new ConditionalSetOutcome(true, 0, 30));
		assertThat(a.inc("k")).isSameAs(Suppressed.FULL);
		assertThat(a.setIf("k", nil(), 10)).isEqualTo(new ConditionalSetOutcome(true, 31, 10));
		assertThat(a.get("k")).isEqualTo(new Usage(10, 0, 0.0));
		assertThat(a.inc("k", 2)).isSameAs(Allowed.ADMITTED);
		assertThat(a.get("k")).isEqualTo(new Usage(12, 0, 0.0));
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Strategy.class)
	void rawState_commitsWriteTheSharedLayout(RateLimit.Strategy strategy) {
		// RSHA-01, RSHS-01 changed (units are committed at the next tick, not at the overflow), RSHA-05
		RateLimit limit = limit(strategy, 5, Duration.ofSeconds(60));
		BoundLimit a = instance(NEVER, limit);
		BoundLimit b = instance(NEVER, limit);
		for (int i = 0; i < 6; i++) {
			a.inc("k");
		}
		assertThat(admin.keysContaining(this.prefix)).as("the first call only read; units wait for a commit").isEmpty();
		long expectedTotal = (strategy == RateLimit.Strategy.ABSOLUTE) ? 5 : 6;
		long expectedDeclined = (strategy == RateLimit.Strategy.ABSOLUTE) ? 0 : 1;
		assertThat(a.get("k").total()).isEqualTo(expectedTotal);
		RawEntity state = raw(limit, "k");
		assertThat(state.field("t")).isEqualTo(expectedTotal).isEqualTo(state.sumOfCounts());
		assertThat(state.field("d")).isEqualTo(expectedDeclined).isEqualTo(state.sumOfDeclines());
		assertThat(state.hashTtlMillis()).isBetween(1L, 61_100L);
		assertThat(state.setTtlMillis()).isBetween(1L, 61_100L);
		String segment = (strategy == RateLimit.Strategy.ABSOLUTE) ? ":absolute:" : ":suppressed:";
		assertThat(admin.keysContaining(this.prefix)).hasSize(2).allMatch((key) -> key.contains(segment));
		assertThat(b.get("k").total()).as("visible to another instance").isEqualTo(expectedTotal);
		// RSHA-05: a set writes one bucket; a zero target removes every key; reading an unknown key writes nothing
		assertThat(a.setIf("k", nil(), 3)).isEqualTo(new ConditionalSetOutcome(true, expectedTotal, 3));
		assertThat(raw(limit, "k").countList()).containsExactly(3L);
		assertThat(a.setIf("k", nil(), 0)).isEqualTo(new ConditionalSetOutcome(true, 3, 0));
		assertThat(a.get("unknown")).isEqualTo(Usage.NONE);
		assertThat(admin.keysContaining(this.prefix)).isEmpty();
	}

	@Test
	void rawState_aCommitDropsBucketsThatLeftTheWindow() { // RSHA-02 (W=1 s)
		RateLimit limit = limit(RateLimit.Strategy.ABSOLUTE, 100, Duration.ofSeconds(1));
		BoundLimit a = instance(NEVER, limit);
		a.inc("k", 3);
		assertThat(a.get("k").total()).isEqualTo(3);
		assertThat(raw(limit, "k").countList()).containsExactly(3L);
		letTimePass(Duration.ofMillis(1100));
		a.inc("k", 2);
		assertThat(a.get("k").total()).isEqualTo(2);
		RawEntity state = raw(limit, "k");
		assertThat(state.countList()).containsExactly(2L);
		assertThat(state.members()).hasSize(1);
		assertThat(state.field("t")).isEqualTo(2);
	}

	@Test
	void setIfMissAfterExpiryCountsNothingAndExtendsNothing() { // RSHA-04 (W=2 s; B=100 ms instead of 1 ms)
		RateLimit limit = limit(RateLimit.Strategy.ABSOLUTE, 20, Duration.ofSeconds(2));
		BoundLimit a = instance(NEVER, limit);
		assertThat(a.setIf("k", nil(), 4)).isEqualTo(new ConditionalSetOutcome(true, 0, 4));
		letTimePass(Duration.ofMillis(1000));
		assertThat(a.inc("k", 6)).isSameAs(Allowed.ADMITTED);
		assertThat(a.get("k").total()).isEqualTo(10);
		letTimePass(Duration.ofMillis(1050)); // the 4 has left the window, the 6 has not
		RawEntity before = raw(limit, "k");
		assertThat(a.setIf("k", gt(100), 5)).isEqualTo(new ConditionalSetOutcome(false, 6, 6));
		RawEntity missed = raw(limit, "k");
		// the synchronisation before the set may drop the bucket that left the window; nothing live changes
		assertThat(missed.field("t")).isEqualTo(6);
		assertThat(missed.hashTtlMillis()).as("TTL not extended").isLessThanOrEqualTo(before.hashTtlMillis());
		assertThat(a.setIfPreserveHistory("k", eq(6), 4, HistoryPreservation.PRESERVE_NEWEST))
			.isEqualTo(new ConditionalSetOutcome(true, 6, 4));
		RawEntity matched = raw(limit, "k");
		assertThat(matched.countList()).containsExactly(4L);
		assertThat(matched.field("t")).isEqualTo(4);
	}

	@Test
	void rawState_exactHardPublishesFullSuppression() { // RSHS-02 (W=10 s, H=2, r=1: soft 10, hard 20; C=60 s)
		RateLimit limit = suppressed(10, 2, Duration.ofSeconds(10), Duration.ofSeconds(60));
		BoundLimit a = instance(NEVER, limit);
		assertThat(a.inc("k", 20)).isSameAs(Allowed.ADMITTED);
		assertThat(a.get("k")).isEqualTo(new Usage(20, 0, 1.0));
		RawEntity exact = raw(limit, "k");
		assertThat(exact.field("t")).isEqualTo(20);
		assertThat(exact.field("d")).isZero();
		assertThat(exact.declines()).isEmpty();
		assertThat(exact.members()).hasSize(1);
		assertThat(exact.fields().get("sf")).isEqualTo("1");
		assertThat(exact.field("sfx") - redisTimeMillis()).isBetween(1L, 60_000L);
		assertThat(a.inc("k")).isSameAs(Suppressed.FULL);
		assertThat(a.get("k")).isEqualTo(new Usage(21, 1, 1.0));
		RawEntity refused = raw(limit, "k");
		assertThat(refused.field("t")).isEqualTo(21);
		assertThat(refused.field("d")).isEqualTo(1);
	}

	@Test
	void preserveUnderAChangedLimitCountsDeclinesOnce() {
		// RSHS-04 (W=60 s, H=2): 120 at r=1 (soft 60, hard 120), one refused, then preserves at r=100 (soft 6000);
		// changed on purpose (spec §13 item 7): the preserves' limit applies from then on
		RateLimit one = suppressed(60, 2, Duration.ofSeconds(60), Duration.ofMillis(100));
		RateLimit hundred = one.toBuilder().capacity(6000).build();
		RateLimiter limiter = limiter(NEVER, new SplittableRandom(1), this.prefix);
		assertThat(limiter.limit(one).inc("k", 120)).isSameAs(Allowed.ADMITTED);
		assertThat(limiter.limit(one).inc("k")).isSameAs(Suppressed.FULL);
		assertThat(limiter.limit(hundred).setIfPreserveHistory("k", eq(121), 121, HistoryPreservation.PRESERVE_NEWEST))
			.isEqualTo(new ConditionalSetOutcome(true, 121, 121));
		assertThat(limiter.limit(hundred).getSuppressionFactor("k")).isZero();
		assertThat(limiter.limit(hundred).inc("k")).isSameAs(Allowed.ADMITTED);
		assertThat(limiter.limit(hundred).setIfPreserveHistory("k", eq(122), 122, HistoryPreservation.PRESERVE_NEWEST))
			.isEqualTo(new ConditionalSetOutcome(true, 122, 122));
		RawEntity state = raw(one, "k");
		assertThat(state.field("t")).isEqualTo(122).isEqualTo(state.sumOfCounts());
		assertThat(state.field("d")).isEqualTo(1).isEqualTo(state.sumOfDeclines());
		assertThat(limiter.limit(hundred).get("k")).isEqualTo(new Usage(122, 1, 0.0));
	}

}
