package io.distkit.ratelimit;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
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
import static io.distkit.counter.CounterComparator.gt;
import static io.distkit.counter.CounterComparator.nil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The local provider on a manual clock: spec §10.2 and §10.3 scenarios that depend on time. Buckets are aligned to
 * multiples of their length (a count lives between window − bucket and window), so the tests align the clock to a
 * bucket start before timing steps; the spec's "sleep n" becomes an advance of the clock.
 */
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
	void preserveHistoryReshapesBuckets() { // LA-27
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
		assertThat(engine.setIf(limit, "o", nil(), 11, HistoryPreservation.PRESERVE_OLDEST))
			.isEqualTo(new ConditionalSetOutcome(true, 8, 11));
		// newest kept: [0, 2, 6] then [0, 2, 9]; oldest kept: [4, 4, 0] then [7, 4, 0]. Buckets expire oldest first:
		this.clock.advanceMillis(9_850);
		assertThat(engine.get(limit, "n").total()).isEqualTo(11);
		assertThat(engine.get(limit, "o").total()).as("[7, 4] minus the expired first 7").isEqualTo(4);
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
		assertThat(admittedConcurrently(engine, limit, 500, null)).isEqualTo(1000);
		assertThat(engine.get(limit, "k").total()).isEqualTo(1000);
	}

	/**
	 * Eight threads decide {@code calls} units each on key {@code k}, all started at once, with {@code alongside} (if
	 * any) running at the same time.
	 * @return how many units were admitted
	 */
	private static int admittedConcurrently(LocalLimitEngine engine, RateLimit limit, int calls,
			Callable<?> alongside) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(9);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Integer>> admitted = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				admitted.add(pool.submit(() -> {
					start.await();
					int count = 0;
					for (int i = 0; i < calls; i++) {
						count += engine.inc(limit, "k", 1).isAdmitted() ? 1 : 0;
					}
					return count;
				}));
			}
			Future<?> side = (alongside != null) ? pool.submit(() -> {
				start.await();
				return alongside.call();
			}) : null;
			start.countDown();
			int total = 0;
			for (Future<Integer> future : admitted) {
				total += future.get(30, TimeUnit.SECONDS);
			}
			if (side != null) {
				side.get(30, TimeUnit.SECONDS);
			}
			return total;
		}
		finally {
			pool.shutdown();
		}
	}

	@Test
	void concurrentDecisionsAcrossBucketsAreExactAndExpireWithTheirBuckets() throws Exception {
		// the lock-free fast path hands out a bucket's headroom; the clock crosses buckets while eight threads decide
		LocalLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit limit = absolute(1000, 1000, 10);
		alignTo(10);
		for (int round = 0; round < 3; round++) {
			int total = admittedConcurrently(engine, limit, 2000, () -> {
				for (int i = 0; i < 50; i++) { // 50 ms: five buckets of the 100-bucket window
					this.clock.advanceMillis(1);
					Thread.onSpinWait();
				}
				return null;
			});
			assertThat(total).as("round %d: admitted", round).isEqualTo(1000);
			assertThat(engine.get(limit, "k").total()).as("round %d: counted", round).isEqualTo(1000);
			this.clock.advanceMillis(1000); // every bucket of the round leaves the window
			assertThat(engine.get(limit, "k").total()).as("round %d: after one window", round).isZero();
		}
	}

	@Test
	void atTheHardCapacityEveryUnitIsDeclinedUntilTheBucketEnds_aZeroCountStillFits() {
		// the declines after the first one come from the bucket's lease, without the window's lock
		LocalLimitEngine engine = engine(new ScriptedRandom(0.0));
		RateLimit limit = suppressed(3, 1.0, 1000, 100);
		alignTo(100);
		assertThat(engine.inc(limit, "k", 3)).isSameAs(Allowed.ADMITTED);
		assertThat(engine.inc(limit, "k", 1)).isSameAs(Suppressed.FULL);
		assertThat(engine.inc(limit, "k", 2)).isSameAs(Suppressed.FULL);
		assertThat(engine.inc(limit, "k", 0)).as("lands on the hard capacity").isSameAs(Allowed.ADMITTED);
		assertThat(engine.inc(limit, "k", 1)).isSameAs(Suppressed.FULL);
		assertThat(engine.get(limit, "k")).isEqualTo(new Usage(7, 4, 1.0));
		this.clock.advanceMillis(100); // a new bucket: the accepted units are still in the window
		assertThat(engine.inc(limit, "k", 1)).isSameAs(Suppressed.FULL);
		this.clock.advanceMillis(900); // the first bucket leaves the window
		assertThat(engine.inc(limit, "k", 1)).isSameAs(Allowed.ADMITTED);
		assertThat(engine.get(limit, "k")).isEqualTo(new Usage(2, 1, 0.0)); // 1 accepted: below the soft capacity
	}

	@Test
	void concurrentSuppressedDecisionsAcceptExactlyTheCapacity() throws Exception {
		// hard-limit factor 1: the fast path admits below the capacity, the locked path the last unit, then FULL
		LocalLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit limit = suppressed(1000, 1.0, 60_000, 100);
		assertThat(admittedConcurrently(engine, limit, 500, null)).isEqualTo(1000);
		Usage usage = engine.get(limit, "k");
		assertThat(usage.total()).as("offered").isEqualTo(4000);
		assertThat(usage.accepted()).isEqualTo(1000);
		assertThat(usage.suppressionFactor()).isEqualTo(1.0);
	}

	@Test
	void rejectionsWithoutTheLockReportTheOldestBucketAsTimePasses() { // LA-05, LA-06, LA-07 on the fast path
		LocalLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit limit = absolute(3, 1000, 100);
		alignTo(100);
		assertThat(engine.inc(limit, "k", 1)).isSameAs(Allowed.ADMITTED);
		this.clock.advanceMillis(300);
		assertThat(engine.inc(limit, "k", 1)).isSameAs(Allowed.ADMITTED);
		assertThat(engine.inc(limit, "k", 1)).isSameAs(Allowed.ADMITTED); // from the lease
		long at = 300;
		for (long next : new long[] { 350, 360, 399 }) { // the first locks and leaves a full lease; the others use it
			this.clock.advanceMillis(next - at);
			at = next;
			Rejected rejected = (Rejected) engine.inc(limit, "k", 1);
			assertThat(rejected.retryAfter()).as("at %d ms", at).isEqualTo(Duration.ofMillis(1000 - at));
			assertThat(rejected.remainingAfterWaiting()).as("at %d ms", at).isEqualTo(1);
		}
		assertThat(((Rejected) engine.inc(limit, "k", 5)).retryAfter()).as("more than the capacity")
			.isEqualTo(Duration.ZERO);

		// every unit in the newest bucket, some of them taken from the lease
		RateLimit two = absolute(2, 1000, 100);
		this.clock.advanceMillis(1); // 400 ms: a bucket starts
		assertThat(engine.inc(two, "j", 1)).isSameAs(Allowed.ADMITTED);
		assertThat(engine.inc(two, "j", 1)).isSameAs(Allowed.ADMITTED);
		this.clock.advanceMillis(10);
		for (int i = 0; i < 2; i++) {
			Rejected rejected = (Rejected) engine.inc(two, "j", 1);
			assertThat(rejected.remainingAfterWaiting()).isEqualTo(2);
			assertThat(rejected.retryAfter()).isEqualTo(Duration.ofMillis(990));
		}
		assertThat(engine.get(two, "j").total()).isEqualTo(2);
	}

	@Test
	void unitsAdmittedWithoutTheLockLeaveWithTheirBucket() { // LA-08 through the fast path
		LocalLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit limit = absolute(10, 1000, 100);
		alignTo(100);
		for (int i = 0; i < 4; i++) {
			assertThat(engine.inc(limit, "k", 1)).isSameAs(Allowed.ADMITTED); // first call locks, the rest take the lease
		}
		this.clock.advanceMillis(500);
		for (int i = 0; i < 6; i++) {
			assertThat(engine.inc(limit, "k", 1)).isSameAs(Allowed.ADMITTED);
		}
		assertThat(engine.inc(limit, "k", 1)).isInstanceOf(Rejected.class);
		Rejected rejected = (Rejected) engine.inc(limit, "k", 1);
		assertThat(rejected.remainingAfterWaiting()).isEqualTo(4);
		assertThat(rejected.retryAfter()).isEqualTo(Duration.ofMillis(500));
		this.clock.advanceMillis(500); // the first four leave; the six stay
		assertThat(engine.get(limit, "k").total()).isEqualTo(6);
		for (int i = 0; i < 4; i++) {
			assertThat(engine.inc(limit, "k", 1)).isSameAs(Allowed.ADMITTED);
		}
		assertThat(engine.inc(limit, "k", 1)).isInstanceOf(Rejected.class);
		assertThat(engine.get(limit, "k").total()).isEqualTo(10);
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

	/** Moves the clock to the start of the next bucket of {@code bucketMillis} (unless it is at one). */
	private void alignTo(long bucketMillis) {
		long bucketNanos = bucketMillis * 1_000_000L;
		long into = Math.floorMod(this.clock.nanoTime(), bucketNanos);
		if (into != 0) {
			this.clock.advance(Duration.ofNanos(bucketNanos - into));
		}
	}

	@Test
	void unknownKeyReadsAndMissedSetsCreateNoWindow() { // LA-01, LA-17, LA-26, LS-16, LS-34
		LocalLimitEngine engine = engine(new ScriptedRandom(0.5));
		RateLimit abs = absolute(5, 10_000, 100);
		RateLimit sup = suppressed(5, 2, 10_000, 100);
		assertThat(engine.isAllowed(abs, "k")).isSameAs(Allowed.ADMITTED);
		assertThat(engine.get(abs, "k")).isEqualTo(Usage.NONE);
		assertThat(engine.get(sup, "k")).isEqualTo(Usage.NONE);
		assertThat(engine.suppressionFactor(sup, "k")).isZero();
		for (RateLimit limit : List.of(abs, sup)) {
			assertThat(engine.setIf(limit, "k", gt(5), 9, null)).isEqualTo(new ConditionalSetOutcome(false, 0, 0));
			assertThat(engine.setIf(limit, "k", eq(0), 0, null)).isEqualTo(new ConditionalSetOutcome(true, 0, 0));
			for (HistoryPreservation preservation : HistoryPreservation.values()) {
				assertThat(engine.setIf(limit, "k", eq(0), 0, preservation))
					.isEqualTo(new ConditionalSetOutcome(true, 0, 0));
			}
		}
		assertThat(engine.size()).as("no window was created").isZero();
		for (int i = 0; i < 3; i++) {
			engine.inc(abs, "k", 1);
		}
		assertThat(engine.get(abs, "k").total()).isEqualTo(3);
		assertThat(engine.size()).isEqualTo(1);
	}

	@Test
	void rejection_oldestBucketReleasesItsUnitsWhenItLeavesTheWindow() { // LA-05, LA-07
		LocalLimitEngine engine = engine(new SplittableRandom(1));
		// LA-05: W=1 s, B=10 ms, r=5: one unit, then four 20 ms later; the one unit leaves first, in 980 ms
		RateLimit limit = absolute(5, 1000, 10);
		alignTo(10);
		engine.inc(limit, "k", 1);
		this.clock.advanceMillis(20);
		engine.inc(limit, "k", 4);
		assertThat(engine.isAllowed(limit, "k"))
			.isEqualTo(new Rejected(Duration.ofSeconds(1), Duration.ofMillis(980), 1));
		// LA-07 (W=6 s, B=200 ms, r=1): units 100 ms apart share a bucket and leave together
		RateLimit grouped = absolute(6, 6000, 200);
		alignTo(200);
		engine.inc(grouped, "merged", 3);
		this.clock.advanceMillis(100);
		engine.inc(grouped, "merged", 3);
		assertThat(engine.inc(grouped, "merged", 1))
			.isEqualTo(new Rejected(Duration.ofSeconds(6), Duration.ofMillis(5900), 6));
		// units 250 ms apart do not
		alignTo(200);
		engine.inc(grouped, "separate", 2);
		this.clock.advanceMillis(250);
		engine.inc(grouped, "separate", 4);
		assertThat(engine.inc(grouped, "separate", 1))
			.isEqualTo(new Rejected(Duration.ofSeconds(6), Duration.ofMillis(5750), 2));
	}

	@Test
	void coalescing_unitsOfOneAlignedBucketLeaveTogether() { // LA-10 (W=1 s, B=50 ms)
		LocalLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit six = absolute(6, 1000, 50);
		alignTo(50);
		engine.inc(six, "a", 3);
		this.clock.advanceMillis(10);
		engine.inc(six, "a", 3);
		assertThat(engine.isAllowed(six, "a"))
			.as("one bucket of 6").isEqualTo(new Rejected(Duration.ofSeconds(1), Duration.ofMillis(990), 6));
		RateLimit ten = absolute(10, 1000, 50);
		alignTo(50);
		engine.inc(ten, "b", 2);
		this.clock.advanceMillis(75);
		engine.inc(ten, "b", 3);
		assertThat(engine.get(ten, "b").total()).isEqualTo(5);
		assertThat(engine.isAllowed(ten, "b")).isSameAs(Allowed.ADMITTED);
		this.clock.advanceMillis(925);
		assertThat(engine.get(ten, "b").total()).as("two buckets [2, 3]: the 2 left first").isEqualTo(3);
		this.clock.advanceMillis(50);
		assertThat(engine.get(ten, "b").total()).isZero();
	}

	@Test
	void rejectedCallsCountNothingAndTheWindowResets() { // LA-15, LA-08 (W=1 s, r=2)
		LocalLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit limit = absolute(2, 1000, 100);
		for (int round = 0; round < 2; round++) {
			assertThat(engine.inc(limit, "k", 1)).isSameAs(Allowed.ADMITTED);
			assertThat(engine.inc(limit, "k", 1)).isSameAs(Allowed.ADMITTED);
			for (int i = 0; i < 20; i++) {
				assertThat(engine.inc(limit, "k", 1)).isInstanceOf(Rejected.class);
			}
			assertThat(engine.get(limit, "k").total()).isEqualTo(2);
			this.clock.advanceMillis(1100);
			assertThat(engine.isAllowed(limit, "k")).isSameAs(Allowed.ADMITTED);
		}
	}

	@Test
	void get_countsOnlyLiveBuckets() { // LA-17 (W=1 s, B=50 ms, r=100)
		LocalLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit limit = absolute(100, 1000, 50);
		alignTo(50);
		engine.inc(limit, "k2", 5);
		engine.inc(limit, "k", 5);
		this.clock.advanceMillis(200);
		engine.inc(limit, "k", 3);
		this.clock.advanceMillis(850);
		assertThat(engine.get(limit, "k").total()).isEqualTo(3);
		assertThat(engine.get(limit, "k2")).isEqualTo(Usage.NONE);
	}

	@Test
	void setIf_expiredHistoryCountsAsZero() { // LA-25 (W=1 s, r=100)
		LocalLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit limit = absolute(100, 1000, 100);
		engine.inc(limit, "k", 50);
		this.clock.advanceMillis(1100);
		assertThat(engine.setIf(limit, "k", eq(0), 9, null)).isEqualTo(new ConditionalSetOutcome(true, 0, 9));
		assertThat(engine.get(limit, "k").total()).isEqualTo(9);
		this.clock.advanceMillis(1000);
		assertThat(engine.get(limit, "k").total()).as("one bucket, made by the set").isZero();
	}

	@Test
	void preserveHistory_unchangedTotalKeepsTheBucketsUnderTheNewLimit() {
		// LA-28 (W=6 s) changed on purpose (spec §13 item 7): the set's limit applies from the next call, not a
		// stored one
		LocalLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit one = absolute(6, 6000, 100);
		RateLimit ten = one.toBuilder().capacity(60).build();
		alignTo(100);
		engine.inc(one, "k", 2);
		this.clock.advanceMillis(100);
		engine.inc(one, "k", 3);
		assertThat(engine.setIf(ten, "k", eq(5), 5, HistoryPreservation.PRESERVE_NEWEST))
			.isEqualTo(new ConditionalSetOutcome(true, 5, 5));
		assertThat(engine.inc(ten, "k", 55)).isSameAs(Allowed.ADMITTED);
		assertThat(engine.inc(one, "k", 1)).isInstanceOf(Rejected.class);
		this.clock.advanceMillis(5900);
		assertThat(engine.get(ten, "k").total()).as("buckets [2, 3 + 55]: the 2 left first").isEqualTo(58);
	}

	@Test
	void preserveHistory_prunesExpiredBucketsBeforeReshaping() { // LA-29 (W=1 s, B=1 ms)
		LocalLimitEngine engine = engine(new SplittableRandom(1));
		RateLimit limit = absolute(100, 1000, 1);
		engine.inc(limit, "k", 4);
		this.clock.advanceMillis(200);
		engine.inc(limit, "k", 5);
		this.clock.advanceMillis(200);
		engine.inc(limit, "k", 6);
		this.clock.advanceMillis(700);
		assertThat(engine.setIf(limit, "k", eq(11), 8, HistoryPreservation.PRESERVE_NEWEST))
			.isEqualTo(new ConditionalSetOutcome(true, 11, 8));
		// [5, 6] became [2, 6]
		this.clock.advanceMillis(100);
		assertThat(engine.get(limit, "k").total()).isEqualTo(6);
		this.clock.advanceMillis(200);
		assertThat(engine.get(limit, "k").total()).isZero();
	}

	@Test
	void builderDefaultsShapeTheFacadesLimits() { // C-09: W=1 s, B=10 ms, H=1.5, C=25 ms
		try (RateLimiter limiter = RateLimiter.builder()
			.defaultWindow(Duration.ofSeconds(1))
			.defaultBucket(Duration.ofMillis(10))
			.defaultHardLimitFactor(1.5)
			.defaultSuppressionFactorCache(Duration.ofMillis(25))
			.clock(this.clock::nanoTime)
			.build()) {
			BoundLimit limit = limiter.local().absolute().limit(1.0);
			assertThat(limit.limit().window()).isEqualTo(Duration.ofSeconds(1));
			assertThat(limit.limit().bucket()).isEqualTo(Duration.ofMillis(10));
			assertThat(limit.limit().capacity()).isEqualTo(1);
			assertThat(limit.inc("k")).isSameAs(Allowed.ADMITTED);
			assertThat(limit.inc("k")).isInstanceOf(Rejected.class);
			RateLimit suppressed = limiter.local().suppressed().limit(2.0).limit();
			assertThat(suppressed.capacity()).isEqualTo(2);
			assertThat(suppressed.hardCapacity()).isEqualTo(3);
			assertThat(suppressed.suppressionFactorCache()).isEqualTo(Duration.ofMillis(25));
		}
	}

	@Test
	void suppressed_expiredBucketsLeaveBothCounters() { // LS-17 (W=1 s, B=50 ms, H=1, r=10)
		LocalLimitEngine engine = engine(new ScriptedRandom(0.5));
		RateLimit limit = suppressed(10, 1, 1000, 50);
		alignTo(50);
		assertThat(engine.inc(limit, "k2", 10)).isSameAs(Allowed.ADMITTED);
		assertThat(engine.inc(limit, "k2", 6)).isSameAs(Suppressed.FULL);
		assertThat(engine.inc(limit, "k", 10)).isSameAs(Allowed.ADMITTED);
		this.clock.advanceMillis(300);
		assertThat(engine.inc(limit, "k", 7)).isSameAs(Suppressed.FULL);
		this.clock.advanceMillis(800);
		assertThat(engine.get(limit, "k")).as("one bucket 7/7 left; factor recomputed").isEqualTo(new Usage(7, 7, 0.0));
		assertThat(engine.get(limit, "k2")).isEqualTo(Usage.NONE);
	}

	@Test
	void suppressed_cachedFactorIsReusedForItsPeriodThenRecomputed() { // LS-11 (C = 100 ms)
		LocalLimitEngine engine = engine(new ScriptedRandom(0.99));
		RateLimit limit = suppressed(10, 2, 10_000, 100); // soft 10, hard 20
		alignTo(100);
		assertThat(engine.inc(limit, "k", 10)).isSameAs(Allowed.ADMITTED);
		this.clock.advanceMillis(200);
		// 10 accepted within the last second: 1 - 1/10
		assertThat(engine.inc(limit, "k", 1)).isEqualTo(new Suppressed(0.9, false));
		this.clock.advanceMillis(50);
		// a fresh computation would give 1 - 1/11; the cached 0.9 decides within its period
		assertThat(engine.inc(limit, "k", 1)).isEqualTo(new Suppressed(0.9, false));
		this.clock.advanceMillis(100);
		assertThat(engine.suppressionFactor(limit, "k")).isCloseTo(1 - 1.0 / 12, within(1e-12));
	}

	@Test
	void suppressed_drawAdmitsExactlyBelowOneMinusTheFactor() { // LS-08, LS-13: p = 1 - factor
		ScriptedRandom random = new ScriptedRandom(0.0999, 0.1001);
		LocalLimitEngine engine = engine(random);
		RateLimit limit = suppressed(10, 2, 10_000, 100);
		engine.inc(limit, "k", 10);
		this.clock.advanceMillis(200);
		assertThat(engine.inc(limit, "k", 1)).isEqualTo(new Suppressed(0.9, true));
		assertThat(engine.inc(limit, "k", 1)).isEqualTo(new Suppressed(0.9, false));
		assertThat(random.draws()).isEqualTo(2);
		assertThat(engine.get(limit, "k")).isEqualTo(new Usage(12, 1, 0.9));
	}

	@Test
	void suppressed_preserveHistoryKeepsDeclinesInProportion() { // LS-24, LS-26 (W=10 s, H=1, r=2: capacity 20)
		LocalLimitEngine engine = engine(new ScriptedRandom(0.5));
		RateLimit limit = suppressed(20, 1, 10_000, 50);
		alignTo(50);
		assertThat(engine.inc(limit, "a", 4)).isSameAs(Allowed.ADMITTED);
		this.clock.advanceMillis(50);
		assertThat(engine.inc(limit, "a", 16)).isSameAs(Allowed.ADMITTED);
		assertThat(engine.inc(limit, "a", 7)).isSameAs(Suppressed.FULL);
		assertThat(engine.get(limit, "a")).isEqualTo(new Usage(27, 7, 1.0));
		// [4/0, 23/7], newest kept: the 4 goes, 23 becomes 10 with floor(7 x 10 / 23) = 3 declined
		assertThat(engine.setIf(limit, "a", nil(), 10, HistoryPreservation.PRESERVE_NEWEST))
			.isEqualTo(new ConditionalSetOutcome(true, 27, 10));
		assertThat(engine.get(limit, "a")).isEqualTo(new Usage(10, 3, 0.0));
		alignTo(50);
		assertThat(engine.inc(limit, "b", 20)).isSameAs(Allowed.ADMITTED);
		assertThat(engine.inc(limit, "b", 12)).isSameAs(Suppressed.FULL);
		this.clock.advanceMillis(60);
		assertThat(engine.inc(limit, "b", 6)).isSameAs(Suppressed.FULL);
		// [32/12, 6/6], oldest kept: the 6 goes, 32 becomes 7 with floor(12 x 7 / 32) = 2 declined
		assertThat(engine.setIf(limit, "b", nil(), 7, HistoryPreservation.PRESERVE_OLDEST))
			.isEqualTo(new ConditionalSetOutcome(true, 38, 7));
		assertThat(engine.get(limit, "b")).isEqualTo(new Usage(7, 2, 0.0));
	}

	@Test
	void suppressed_preserveHistoryScalesDeclinesExactlyAtTheTopOfTheRange() {
		// LS-25 adapted: counts lie in [0, 2^53), so the reference's counts above 2^63 become 9 x 10^15
		LocalLimitEngine engine = engine(new ScriptedRandom(0.5));
		RateLimit limit = suppressed(6_000_000_000_000_000L, 1, 10_000, 100);
		engine.setIf(limit, "k", nil(), 6_000_000_000_000_000L, null);
		assertThat(engine.inc(limit, "k", 3_000_000_000_000_000L)).isSameAs(Suppressed.FULL);
		long target = 8_999_999_999_999_999L;
		assertThat(engine.setIf(limit, "k", nil(), target, HistoryPreservation.PRESERVE_NEWEST))
			.isEqualTo(new ConditionalSetOutcome(true, 9_000_000_000_000_000L, target));
		// floor(3e15 x (9e15 - 1) / 9e15); in double arithmetic the product rounds and gives 3e15
		assertThat(engine.get(limit, "k").declined()).isEqualTo(2_999_999_999_999_999L);
	}

	@Test
	void suppressed_preserveHistoryGrowsTheNewestOrOldestBucketWithoutDeclines() { // LS-27, LS-29
		LocalLimitEngine engine = engine(new ScriptedRandom(0.5));
		RateLimit limit = suppressed(100, 2, 1000, 50); // W=1 s, H=2, r=100
		alignTo(50);
		engine.inc(limit, "n", 4);
		engine.inc(limit, "o", 4);
		this.clock.advanceMillis(100);
		engine.inc(limit, "n", 4);
		engine.inc(limit, "o", 4);
		assertThat(engine.setIf(limit, "n", nil(), 10, HistoryPreservation.PRESERVE_NEWEST))
			.isEqualTo(new ConditionalSetOutcome(true, 8, 10));
		assertThat(engine.setIf(limit, "o", nil(), 10, HistoryPreservation.PRESERVE_OLDEST))
			.isEqualTo(new ConditionalSetOutcome(true, 8, 10));
		assertThat(engine.get(limit, "n").declined()).isZero();
		this.clock.advanceMillis(900);
		assertThat(engine.get(limit, "n").total()).as("[4, 6] without its first bucket").isEqualTo(6);
		assertThat(engine.get(limit, "o").total()).as("[6, 4] without its first bucket").isEqualTo(4);
		// LS-29: 4 at 0 ms, 5 at 300 ms; at 1100 ms the 4 has left; both directions keep one bucket of 3
		alignTo(50);
		engine.inc(limit, "p", 4);
		engine.inc(limit, "q", 4);
		this.clock.advanceMillis(300);
		engine.inc(limit, "p", 5);
		engine.inc(limit, "q", 5);
		this.clock.advanceMillis(800);
		assertThat(engine.setIf(limit, "p", nil(), 3, HistoryPreservation.PRESERVE_NEWEST))
			.isEqualTo(new ConditionalSetOutcome(true, 5, 3));
		assertThat(engine.setIf(limit, "q", nil(), 3, HistoryPreservation.PRESERVE_OLDEST))
			.isEqualTo(new ConditionalSetOutcome(true, 5, 3));
		assertThat(engine.get(limit, "p")).isEqualTo(new Usage(3, 0, 0.0));
		assertThat(engine.get(limit, "q")).isEqualTo(new Usage(3, 0, 0.0));
		this.clock.advanceMillis(200);
		assertThat(engine.get(limit, "p")).isEqualTo(Usage.NONE);
	}

	@Test
	void suppressed_missOfAComparatorChangesNothing() { // LS-34 (as LA-19)
		LocalLimitEngine engine = engine(new ScriptedRandom(0.5));
		RateLimit limit = suppressed(100, 2, 1000, 1);
		engine.inc(limit, "k", 4);
		this.clock.advanceMillis(200);
		engine.inc(limit, "k", 5);
		this.clock.advanceMillis(850);
		assertThat(engine.setIf(limit, "k", eq(99), 10, null)).isEqualTo(new ConditionalSetOutcome(false, 5, 5));
		assertThat(engine.setIf(limit, "k", eq(99), 10, HistoryPreservation.PRESERVE_NEWEST))
			.isEqualTo(new ConditionalSetOutcome(false, 5, 5));
		assertThat(engine.get(limit, "k")).isEqualTo(new Usage(5, 0, 0.0));
	}

}
