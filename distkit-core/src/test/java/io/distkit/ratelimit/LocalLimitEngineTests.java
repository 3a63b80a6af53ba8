package io.distkit.ratelimit;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.distkit.ratelimit.RateLimitDecision.Allowed;
import io.distkit.ratelimit.RateLimitDecision.Rejected;
import io.distkit.ratelimit.RateLimitDecision.Suppressed;
import io.distkit.ratelimit.local.LocalLimitEngine;
import io.distkit.test.ManualClock;

import static io.distkit.counter.CounterComparator.eq;
import static io.distkit.counter.CounterComparator.nil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The local provider on a manual clock: spec §10.2 and §10.3 scenarios that depend on time. */
class LocalLimitEngineTests {

	private final ManualClock clock = new ManualClock();

	private LocalLimitEngine engine(java.util.random.RandomGenerator random) {
		return new LocalLimitEngine(100_000, this.clock::nanoTime, random);
	}

	private static RateLimit absolute(long capacity, long windowMillis, long bucketMillis) {
		return RateLimit.builder("abs")
			.capacity(capacity)
			.window(Duration.ofMillis(windowMillis))
			.bucket(Duration.ofMillis(bucketMillis))
			.provider(RateLimit.Provider.LOCAL)
			.build();
	}

	private static RateLimit suppressed(long capacity, double factor, long windowMillis, long bucketMillis) {
		return RateLimit.builder("sup")
			.capacity(capacity)
			.window(Duration.ofMillis(windowMillis))
			.bucket(Duration.ofMillis(bucketMillis))
			.strategy(RateLimit.Strategy.SUPPRESSED)
			.hardLimitFactor(factor)
			.provider(RateLimit.Provider.LOCAL)
			.build();
	}

	@Test
	void rejection_reportsOldestBucketExpiryAndCount() { // LA-05, LA-06, LA-07
		LocalLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit limit = absolute(10, 10_000, 100);
		this.clock.advanceMillis(1_000_000 - this.clock.nanoTime() / 1_000_000 % 100); // align to a bucket start
		engine.inc(limit, "k", 3);
		this.clock.advanceMillis(250);
		engine.inc(limit, "k", 7);
		RateLimitDecision decision = engine.inc(limit, "k", 1);
		assertThat(decision).isEqualTo(new Rejected(Duration.ofSeconds(10), Duration.ofMillis(9750), 3));
		assertThat(engine.isAllowed(limit, "k")).isEqualTo(decision);
		assertThat(engine.get(limit, "k").total()).isEqualTo(10);
	}

	@Test
	void expiredBucketsFreeCapacity() { // LA-08, LA-09, LA-15
		LocalLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit limit = absolute(2, 2000, 200);
		engine.inc(limit, "k", 1);
		this.clock.advanceMillis(300);
		engine.inc(limit, "k", 1);
		assertThat(engine.isAllowed(limit, "k").isAdmitted()).isFalse();
		this.clock.advanceMillis(1800);
		assertThat(engine.isAllowed(limit, "k").isAdmitted()).isTrue();
		assertThat(engine.get(limit, "k").total()).isEqualTo(1);
		this.clock.advanceMillis(300);
		assertThat(engine.get(limit, "k").total()).isZero();
	}

	@Test
	void changedLimitAppliesFromTheNextCallWithoutLosingHistory() { // spec §13 item 7 fixed (LA-04, LA-24)
		LocalLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit strict = absolute(6, 6000, 100);
		for (int i = 0; i < 6; i++) {
			engine.inc(strict, "k", 1);
		}
		assertThat(engine.inc(strict, "k", 1).isAdmitted()).isFalse();
		// the reference kept the capacity the state was created with; the configured one applies now
		RateLimit loose = strict.toBuilder().capacity(10).build();
		assertThat(engine.inc(loose, "k", 4).isAdmitted()).isTrue();
		assertThat(engine.inc(loose, "k", 1).isAdmitted()).isFalse();
		// a new bucket length carries the live total over
		RateLimit rebucketed = loose.toBuilder().bucket(Duration.ofMillis(200)).build();
		assertThat(engine.get(rebucketed, "k").total()).isEqualTo(10);
		assertThat(engine.inc(rebucketed, "k", 1).isAdmitted()).isFalse();
	}

	@Test
	void preserveHistoryReshapesBuckets() { // LA-27, LA-29
		LocalLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit limit = absolute(1000, 10_000, 100);
		engine.inc(limit, "n", 4);
		engine.inc(limit, "o", 4);
		this.clock.advanceMillis(100);
		engine.inc(limit, "n", 5);
		engine.inc(limit, "o", 5);
		this.clock.advanceMillis(100);
		engine.inc(limit, "n", 6);
		engine.inc(limit, "o", 6);
		assertThat(engine.setIf(limit, "n", nil(), 8, HistoryPreservation.PRESERVE_NEWEST))
			.isEqualTo(new ConditionalSetOutcome(true, 15, 8));
		assertThat(engine.setIf(limit, "n", nil(), 11, HistoryPreservation.PRESERVE_NEWEST))
			.isEqualTo(new ConditionalSetOutcome(true, 8, 11));
		assertThat(engine.setIf(limit, "o", nil(), 8, HistoryPreservation.PRESERVE_OLDEST))
			.isEqualTo(new ConditionalSetOutcome(true, 15, 8));
		// newest kept: [0, 2, 6] then [0, 2, 9]; oldest kept: [4, 4, 0]. Buckets expire oldest first:
		this.clock.advanceMillis(9_850);
		assertThat(engine.get(limit, "n").total()).isEqualTo(11);
		assertThat(engine.get(limit, "o").total()).as("[4, 4] minus the expired first 4").isEqualTo(4);
		this.clock.advanceMillis(100);
		assertThat(engine.get(limit, "n").total()).as("[2, 9] minus the expired 2").isEqualTo(9);
		assertThat(engine.get(limit, "o").total()).isZero();
	}

	@Test
	void missOfAComparatorChangesNothing() { // LA-19
		LocalLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit limit = absolute(100, 1000, 1);
		engine.inc(limit, "k", 4);
		this.clock.advanceMillis(200);
		engine.inc(limit, "k", 5);
		this.clock.advanceMillis(850);
		assertThat(engine.setIf(limit, "k", eq(99), 10, null)).isEqualTo(new ConditionalSetOutcome(false, 5, 5));
		assertThat(engine.setIf(limit, "k", eq(99), 10, HistoryPreservation.PRESERVE_NEWEST))
			.isEqualTo(new ConditionalSetOutcome(false, 5, 5));
		assertThat(engine.setIf(limit, "k", eq(5), 8, HistoryPreservation.PRESERVE_NEWEST))
			.isEqualTo(new ConditionalSetOutcome(true, 5, 8));
	}

	@Test
	void suppressed_factorFromAverageRate() { // LS-02
		LocalLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit limit = suppressed(10, 10, 10_000, 100); // soft 10, hard 100
		assertThat(engine.inc(limit, "k", 20)).isSameAs(Suppressed.NONE);
		this.clock.advanceMillis(1050);
		// 20 observed in 10 s = 2/s against a target of 1/s
		assertThat(engine.suppressionFactor(limit, "k")).isCloseTo(0.5, within(1e-12));
	}

	@Test
	void suppressed_factorFromLastSecond() { // LS-03
		LocalLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit limit = suppressed(10, 10, 10_000, 100);
		assertThat(engine.inc(limit, "k", 10)).isSameAs(Allowed.ADMITTED);
		this.clock.advanceMillis(1001);
		assertThat(engine.inc(limit, "k", 20)).isSameAs(Suppressed.NONE);
		this.clock.advanceMillis(101);
		assertThat(engine.suppressionFactor(limit, "k")).isCloseTo(0.95, within(1e-12));
	}

	@Test
	void suppressed_drawsOnlyInTheRampWithPEqualOneMinusFactor() { // LS-08, LS-13, decision 9
		ScriptedRandom random = new ScriptedRandom(0.8, 0.7);
		LocalLimitEngine engine = engine(random);
		RateLimit limit = suppressed(10, 2, 10_000, 100); // soft 10, hard 20
		for (int i = 0; i < 10; i++) {
			assertThat(engine.inc(limit, "k", 1)).isSameAs(Allowed.ADMITTED);
		}
		assertThat(random.draws()).isZero();
		this.clock.advanceMillis(200);
		// accepted 10 = soft < hard: factor 1 - (10/10 s) / max(1/s, 10 in the last second) = 0.9
		RateLimitDecision first = engine.inc(limit, "k", 1);
		assertThat(first).isEqualTo(new Suppressed(0.9, false));
		RateLimitDecision second = engine.inc(limit, "k", 1);
		assertThat(random.draws()).isEqualTo(2);
		assertThat(second).isEqualTo(new Suppressed(0.9, false));
		assertThat(engine.get(limit, "k")).isEqualTo(new Usage(12, 2, 0.9));
	}

	@Test
	void suppressed_hardCeilingAppliesToAcceptedUsage() { // spec §13 item 13 decided: accepted, not observed
		LocalLimitEngine engine = engine(new ScriptedRandom(0.0));
		RateLimit limit = suppressed(10, 2, 10_000, 100); // soft 10, hard 20
		engine.inc(limit, "k", 10);
		for (int i = 0; i < 30; i++) {
			engine.inc(limit, "k", 1); // draws 0.0: admitted whenever the factor is below 1
		}
		Usage usage = engine.get(limit, "k");
		// the reference returned factor 1 once *observed* units reached 20 and refused everything after that
		assertThat(usage.accepted()).isEqualTo(20);
		assertThat(usage.total()).isEqualTo(40);
	}

	@Test
	void concurrentDecisionsAreExact() throws Exception { // decision 8: per-key atomic
		LocalLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit limit = absolute(1000, 60_000, 100);
		ExecutorService pool = Executors.newFixedThreadPool(8);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Integer>> admitted = new ArrayList<>();
		for (int t = 0; t < 8; t++) {
			admitted.add(pool.submit(() -> {
				start.await();
				int count = 0;
				for (int i = 0; i < 500; i++) {
					count += engine.inc(limit, "k", 1).isAdmitted() ? 1 : 0;
				}
				return count;
			}));
		}
		start.countDown();
		int total = 0;
		for (Future<Integer> future : admitted) {
			total += future.get(30, TimeUnit.SECONDS);
		}
		pool.shutdown();
		assertThat(total).isEqualTo(1000);
		assertThat(engine.get(limit, "k").total()).isEqualTo(1000);
	}

	@Test
	void warmKeyAdmittedIncAllocatesNothing() {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
			.getThreadMXBean();
		try (RateLimiter limiter = RateLimiter.builder()
			.limit(RateLimit.builder("hot").capacity(RateLimit.MAX_COUNT + 1).provider(RateLimit.Provider.LOCAL).build())
			.limit(RateLimit.builder("sup").capacity(RateLimit.MAX_COUNT).strategy(RateLimit.Strategy.SUPPRESSED)
				.provider(RateLimit.Provider.LOCAL).build())
			.build()) {
			for (String name : List.of("hot", "sup")) {
				BoundLimit limit = limiter.limit(name);
				for (int i = 0; i < 200_000; i++) {
					limit.inc("key");
				}
				long before = threads.getCurrentThreadAllocatedBytes();
				for (int i = 0; i < 1_000_000; i++) {
					limit.inc("key");
				}
				long allocated = threads.getCurrentThreadAllocatedBytes() - before;
				assertThat(allocated).as(name + ": bytes allocated by 10^6 admitted decisions").isLessThan(1_000_000);
			}
		}
	}

	@Test
	void millionRandomKeysStayWithinMaxKeys() {
		LocalLimitEngine engine = new LocalLimitEngine(10_000, this.clock::nanoTime, new SplittableRandom(1));
		RateLimit limit = absolute(5, 10_000, 100);
		SplittableRandom keys = new SplittableRandom(42);
		for (int i = 0; i < 1_000_000; i++) {
			engine.inc(limit, Long.toString(keys.nextLong()), 1);
		}
		assertThat(engine.size()).isLessThanOrEqualTo(10_000);
	}

	@Test
	void statisticalSuppression_acceptsBetweenSoftAndHardPerWindow() { // seed 7
		LocalLimitEngine engine = engine(new SplittableRandom(7));
		RateLimit limit = suppressed(100, 2, 2000, 50); // soft 100, hard 200 per 2 s
		long[] acceptedPerWindow = new long[6];
		long start = this.clock.nanoTime();
		// offered load 5 x soft: 500 calls per window, one every 4 ms, for 6 windows
		for (int i = 0; i < 3000; i++) {
			int window = (int) ((this.clock.nanoTime() - start) / 2_000_000_000L);
			if (engine.inc(limit, "k", 1).isAdmitted()) {
				acceptedPerWindow[window]++;
			}
			this.clock.advanceMillis(4);
		}
		for (int window = 2; window < 6; window++) {
			assertThat(acceptedPerWindow[window]).as("window " + window).isBetween(85L, 200L);
		}
	}

}
