package io.distkit.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import io.distkit.RedisIntegrationSupport;
import io.distkit.RedisKey;
import io.distkit.ratelimit.RateLimitDecision.Allowed;
import io.distkit.ratelimit.RateLimitDecision.Rejected;
import io.distkit.ratelimit.RateLimitDecision.Suppressed;
import io.distkit.test.TestRedis;

import static io.distkit.counter.CounterComparator.eq;
import static io.distkit.counter.CounterComparator.gt;
import static io.distkit.counter.CounterComparator.lt;
import static io.distkit.counter.CounterComparator.ne;
import static io.distkit.counter.CounterComparator.nil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The behaviour every provider shares, run against local, Redis and hybrid (spec §10 scenarios that do not depend on
 * time). Time-dependent scenarios live in the provider-specific tests; docs/rate-limit-scenarios.md maps every
 * scenario to its test.
 *
 * <p>The spec's scenarios use windows of 1 to 10 s; these use 10 to 60 s where the scenario does not depend on time,
 * so that a slow machine cannot let a unit leave the window in the middle of a test. Rates become integer capacities
 * ({@code W × r}, DESIGN decision 8). The random draw is scripted (0.99: refuses whenever the factor is above 0.01).
 */
class RateLimitContractTests extends RedisIntegrationSupport {

	private RateLimiter limiter;

	private ScriptedRandom random;

	@BeforeEach
	void createLimiter(TestInfo info) {
		this.random = new ScriptedRandom(0.99);
		this.limiter = RateLimiter.builder().redis(backend, RedisKey.prefix(this.prefix)).random(this.random).build();
	}

	static Stream<Arguments> providersAndStrategies() {
		return Stream.of(RateLimit.Provider.values())
			.flatMap((provider) -> Stream.of(RateLimit.Strategy.values())
				.map((strategy) -> Arguments.of(provider, strategy)));
	}

	/** Draws the provider made for {@code incCalls} calls that never reached the ramp (decision 9). */
	private static int drawsOutsideTheRamp(RateLimit.Provider provider, int incCalls) {
		// local and hybrid draw only in the ramp; the Redis provider draws once per call and passes the number on
		return (provider == RateLimit.Provider.REDIS) ? incCalls : 0;
	}

	/** A limit of {@code capacity} per 60 s; suppressed with hard-limit factor 1 (hard = soft = capacity). */
	private BoundLimit limit(RateLimit.Provider provider, RateLimit.Strategy strategy, long capacity) {
		return (strategy == RateLimit.Strategy.ABSOLUTE) ? absolute(provider, capacity, Duration.ofSeconds(60))
				: suppressed(provider, capacity, 1.0, Duration.ofSeconds(60));
	}

	@AfterEach
	void closeLimiter() {
		this.limiter.close();
	}

	/** Waits while the provider's clock is within 3 s of the end of a minute (local: monotonic; else Redis time). */
	private static void awaitAwayFromMinuteBoundary(RateLimit.Provider provider) {
		java.util.function.LongSupplier millis = (provider == RateLimit.Provider.LOCAL)
				? () -> System.nanoTime() / 1_000_000 : RedisIntegrationSupport::redisTimeMillis;
		org.awaitility.Awaitility.await()
			.pollInterval(Duration.ofMillis(50))
			.atMost(Duration.ofSeconds(10))
			.until(() -> Math.floorMod(millis.getAsLong(), 60_000L) < 57_000L);
	}

	private BoundLimit absolute(RateLimit.Provider provider, long capacity, Duration window) {
		return absolute(provider, capacity, window, Duration.ofMillis(100));
	}

	private BoundLimit absolute(RateLimit.Provider provider, long capacity, Duration window, Duration bucket) {
		return this.limiter.limit(RateLimit.builder("abs")
			.capacity(capacity)
			.window(window)
			.bucket(bucket)
			.provider(provider)
			.build());
	}

	private BoundLimit suppressed(RateLimit.Provider provider, long capacity, double factor, Duration window) {
		return this.limiter.limit(RateLimit.builder("sup")
			.capacity(capacity)
			.window(window)
			.bucket(Duration.ofMillis(100))
			.strategy(RateLimit.Strategy.SUPPRESSED)
			.hardLimitFactor(factor)
			.provider(provider)
			.build());
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Provider.class)
	void absolute_admitsUpToCapacityThenRejects(RateLimit.Provider provider) { // RA-01, HA-01, LA-13
		// one bucket per window, so all five units share the oldest bucket, unless a minute boundary (the bucket's
		// edge on the provider's clock) falls between the calls: start away from it
		BoundLimit limit = absolute(provider, 5, Duration.ofSeconds(60), Duration.ofSeconds(60));
		awaitAwayFromMinuteBoundary(provider);
		for (int i = 0; i < 5; i++) {
			assertThat(limit.inc("k")).isSameAs(Allowed.ADMITTED);
		}
		RateLimitDecision rejected = limit.inc("k");
		assertThat(rejected).isInstanceOf(Rejected.class);
		assertThat(((Rejected) rejected).window()).isEqualTo(Duration.ofSeconds(60));
		assertThat(((Rejected) rejected).retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(60));
		assertThat(((Rejected) rejected).remainingAfterWaiting()).isEqualTo(5);
		assertThat(limit.get("k").total()).isEqualTo(5);
		assertThat(limit.isAllowed("k").isAdmitted()).isFalse();
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Provider.class)
	void absolute_keysAreIndependent(RateLimit.Provider provider) { // LA-03, RA-03
		BoundLimit limit = absolute(provider, 2, Duration.ofSeconds(60));
		limit.inc("a", 2);
		assertThat(limit.isAllowed("a").isAdmitted()).isFalse();
		assertThat(limit.isAllowed("b").isAdmitted()).isTrue();
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Provider.class)
	void absolute_batchesAreAllOrNothing(RateLimit.Provider provider) { // RA-08, RA-12; LA-14 changed (decision 8)
		BoundLimit limit = absolute(provider, 10, Duration.ofSeconds(60));
		assertThat(limit.inc("k", 9).isAdmitted()).isTrue();
		assertThat(limit.inc("k", 2).isAdmitted()).as("the reference's local provider admitted this").isFalse();
		assertThat(limit.inc("k", 1).isAdmitted()).isTrue();
		assertThat(limit.get("k").total()).isEqualTo(10);
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Provider.class)
	void absolute_costAboveCapacityIsRejectedWithoutRetryTime(RateLimit.Provider provider) { // RA-09, HA-03
		BoundLimit limit = absolute(provider, 5, Duration.ofSeconds(60));
		RateLimitDecision decision = limit.inc("k", 6);
		assertThat(decision).isEqualTo(new Rejected(Duration.ofSeconds(60), Duration.ZERO, 0));
		assertThat(limit.get("k").total()).isZero();
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Provider.class)
	void absolute_unknownKeyIsAllowedAndReadsZero(RateLimit.Provider provider) { // LA-01, RA-07, RA-13, HA-12
		BoundLimit limit = absolute(provider, 5, Duration.ofSeconds(60));
		assertThat(limit.isAllowed("missing")).isSameAs(Allowed.ADMITTED);
		assertThat(limit.get("missing")).isEqualTo(Usage.NONE);
		assertThat(limit.getEstimate("missing")).isEqualTo(Usage.NONE);
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Provider.class)
	void incDetailed_reportsRemainingAndReset(RateLimit.Provider provider) {
		BoundLimit limit = absolute(provider, 5, Duration.ofSeconds(60));
		RateLimitDecision decision = limit.incDetailed("k", 2);
		assertThat(decision).isInstanceOf(Allowed.class);
		Allowed allowed = (Allowed) decision;
		assertThat(allowed.hasDetails()).isTrue();
		assertThat(allowed.remaining()).isEqualTo(3);
		assertThat(allowed.resetAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(60));
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Provider.class)
	void incDetailed_suppressedFirstUnitReportsItsReset(RateLimit.Provider provider) { // found by the cluster suite
		BoundLimit limit = suppressed(provider, 5, 1.0, Duration.ofSeconds(60));
		RateLimitDecision decision = limit.incDetailed("k", 2);
		assertThat(decision).isInstanceOfSatisfying(Allowed.class, (allowed) -> {
			assertThat(allowed.remaining()).isEqualTo(3);
			assertThat(allowed.resetAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(60));
		});
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Provider.class)
	void getSuppressionFactor_isZeroForAnAbsoluteLimitEvenWhenFull(RateLimit.Provider provider) { // cluster suite
		BoundLimit limit = absolute(provider, 2, Duration.ofSeconds(60));
		limit.inc("k", 2);
		assertThat(limit.inc("k").isAdmitted()).isFalse();
		assertThat(limit.getSuppressionFactor("k")).isZero();
	}

	@ParameterizedTest
	@MethodSource("providersAndStrategies")
	void setIf_primingAndComparators(RateLimit.Provider provider, RateLimit.Strategy strategy) {
		// LA-20, LA-22, RA-14, HA-18, LS-18, RS-15, HS-24, C-10; set_if takes the limit bound to the key, no rate
		BoundLimit limit = limit(provider, strategy, 100);
		assertThat(limit.setIf("k", lt(100), 100)).isEqualTo(new ConditionalSetOutcome(true, 0, 100));
		assertThat(limit.setIf("k", lt(100), 100)).isEqualTo(new ConditionalSetOutcome(false, 100, 100));
		assertThat(limit.setIf("k", lt(50), 50)).isEqualTo(new ConditionalSetOutcome(false, 100, 100));
		assertThat(limit.get("k").total()).isEqualTo(100);
		assertThat(limit.setIf("j", nil(), 10)).isEqualTo(new ConditionalSetOutcome(true, 0, 10));
		assertThat(limit.setIf("j", gt(5), 3)).isEqualTo(new ConditionalSetOutcome(true, 10, 3));
		assertThat(limit.setIf("j", ne(3), 7)).isEqualTo(new ConditionalSetOutcome(false, 3, 3));
		assertThat(limit.setIf("j", ne(5), 7)).isEqualTo(new ConditionalSetOutcome(true, 3, 7));
		assertThat(limit.get("j").total()).isEqualTo(7);
		assertThat(limit.setIf("e", eq(0), 25)).isEqualTo(new ConditionalSetOutcome(true, 0, 25));
		assertThat(limit.setIf("e", eq(0), 99)).isEqualTo(new ConditionalSetOutcome(false, 25, 25));
		// C-10: a matching set to the same total is a match that changes nothing; a miss reports the total
		assertThat(limit.setIf("c", nil(), 5)).isEqualTo(new ConditionalSetOutcome(true, 0, 5));
		assertThat(limit.setIf("c", eq(5), 5)).isEqualTo(new ConditionalSetOutcome(true, 5, 5));
		assertThat(limit.setIf("c", eq(99), 10)).isEqualTo(new ConditionalSetOutcome(false, 5, 5));
		assertThat(limit.get("c").total()).isEqualTo(5);
	}

	@ParameterizedTest
	@MethodSource("providersAndStrategies")
	void setIf_zeroTargetRemovesState(RateLimit.Provider provider, RateLimit.Strategy strategy) {
		// LA-21, LA-26, RA-14, HA-20, LS-20, LS-34, RS-15, HS-24: in both forms
		BoundLimit limit = limit(provider, strategy, 100);
		assertThat(limit.setIf("missing", gt(5), 9)).isEqualTo(new ConditionalSetOutcome(false, 0, 0));
		assertThat(limit.setIf("missing", eq(0), 0)).isEqualTo(new ConditionalSetOutcome(true, 0, 0));
		for (HistoryPreservation preservation : HistoryPreservation.values()) {
			assertThat(limit.setIfPreserveHistory("missing", eq(0), 0, preservation))
				.isEqualTo(new ConditionalSetOutcome(true, 0, 0));
		}
		assertThat(limit.get("missing")).isEqualTo(Usage.NONE);
		assertThat(limit.setIf("k", nil(), 100)).isEqualTo(new ConditionalSetOutcome(true, 0, 100));
		assertThat(limit.setIf("k", nil(), 30)).isEqualTo(new ConditionalSetOutcome(true, 100, 30));
		assertThat(limit.setIf("k", nil(), 0)).isEqualTo(new ConditionalSetOutcome(true, 30, 0));
		assertThat(limit.get("k").total()).isZero();
		assertThat(limit.inc("k").isAdmitted()).isTrue();
		for (HistoryPreservation preservation : HistoryPreservation.values()) {
			String key = "p" + preservation;
			limit.setIf(key, nil(), 9);
			assertThat(limit.setIfPreserveHistory(key, nil(), 0, preservation))
				.isEqualTo(new ConditionalSetOutcome(true, 9, 0));
			assertThat(limit.get(key)).isEqualTo(Usage.NONE);
		}
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Provider.class)
	void setIf_primeAtCapacityRejects(RateLimit.Provider provider) { // LA-23, RA-14, HA-21
		BoundLimit limit = absolute(provider, 30, Duration.ofSeconds(6));
		limit.setIf("k", lt(27), 27);
		for (int i = 0; i < 3; i++) {
			assertThat(limit.inc("k").isAdmitted()).isTrue();
		}
		assertThat(limit.inc("k").isAdmitted()).isFalse();
		assertThat(limit.get("k").total()).isEqualTo(30);
		assertThat(limit.setIf("full", lt(30), 30)).isEqualTo(new ConditionalSetOutcome(true, 0, 30));
		assertThat(limit.inc("full")).isInstanceOf(Rejected.class);
		assertThat(limit.isAllowed("full")).isInstanceOf(Rejected.class);
	}

	@ParameterizedTest
	@MethodSource("providersAndStrategies")
	void setIfPreserveHistory_missingKey(RateLimit.Provider provider, RateLimit.Strategy strategy) {
		// LA-30, RA-15, HA-19, LS-28
		BoundLimit limit = limit(provider, strategy, 100);
		for (HistoryPreservation preservation : HistoryPreservation.values()) {
			assertThat(limit.setIfPreserveHistory("k" + preservation, eq(0), 9, preservation))
				.isEqualTo(new ConditionalSetOutcome(true, 0, 9));
			assertThat(limit.get("k" + preservation).total()).isEqualTo(9);
			assertThat(limit.get("k" + preservation).declined()).isZero();
		}
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Provider.class)
	void absolute_isAllowedTurnsOnTheLastUnit(RateLimit.Provider provider) {
		// LA-02: W=1, 6, 10 s at r=2 are the capacities 2, 12, 20 (60 s here: the scenario does not depend on time)
		for (long capacity : new long[] { 2, 12, 20 }) {
			BoundLimit limit = absolute(provider, capacity, Duration.ofSeconds(60));
			String key = "k" + capacity;
			assertThat(limit.inc(key, capacity - 1)).isSameAs(Allowed.ADMITTED);
			assertThat(limit.isAllowed(key)).isSameAs(Allowed.ADMITTED);
			assertThat(limit.inc(key, 1)).isSameAs(Allowed.ADMITTED);
			assertThat(limit.isAllowed(key)).isInstanceOf(Rejected.class);
			assertThat(limit.get(key).total()).as("isAllowed counts nothing").isEqualTo(capacity);
		}
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Provider.class)
	void absolute_admitsExactlyTheCapacityOfManyCalls(RateLimit.Provider provider) { // LA-13, RA-12, HA-11
		BoundLimit limit = absolute(provider, 50, Duration.ofSeconds(60));
		int admitted = 0;
		int rejected = 0;
		for (int i = 0; i < 80; i++) {
			if (limit.inc("k").isAdmitted()) {
				admitted++;
			}
			else {
				rejected++;
			}
		}
		assertThat(admitted).isEqualTo(50);
		assertThat(rejected).isEqualTo(30);
		assertThat(limit.get("k").total()).isEqualTo(50);
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Provider.class)
	void facade_fractionalRateFloorsToAnIntegerCapacity(RateLimit.Provider provider) {
		// LA-16, RA-12, HA-28: the spec's r = 2.9 over W = 1 s is a window limit of 2.9; on the facade's default
		// 10 s window that is r = 0.29, which floors to capacity 2
		RateLimiter.StrategyFacade facade = switch (provider) {
			case LOCAL -> this.limiter.local().absolute();
			case REDIS -> this.limiter.redis().absolute();
			case HYBRID -> this.limiter.hybrid().absolute();
		};
		assertThat(facade.limit(0.29).limit().capacity()).isEqualTo(2);
		assertThat(facade.inc("k", 0.29, 1)).isSameAs(Allowed.ADMITTED);
		assertThat(facade.inc("k", 0.29, 1)).isSameAs(Allowed.ADMITTED);
		assertThat(facade.inc("k", 0.29, 1)).isInstanceOf(Rejected.class);
		assertThat(facade.get("k", 0.29).total()).isEqualTo(2);
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Provider.class)
	void absolute_changedCapacityAppliesFromTheNextCallKeepingHistory(RateLimit.Provider provider) {
		// LA-04, LA-24, RA-02, RA-15, HA-17, HA-19, HA-25 changed on purpose (spec §13 item 7): the reference kept
		// the limit a key's state was created with ("sticky"); here the limit bound to the call applies from that
		// call on, and the units already counted stay counted. Rates become capacities per 60 s.
		BoundLimit six = absolute(provider, 6, Duration.ofSeconds(60));
		BoundLimit sixty = absolute(provider, 60, Duration.ofSeconds(60));
		assertThat(six.inc("k", 0)).as("a zero count creates the state").isSameAs(Allowed.ADMITTED);
		assertThat(sixty.inc("k", 6)).isSameAs(Allowed.ADMITTED);
		assertThat(sixty.isAllowed("k")).as("the reference kept 6 and rejected").isSameAs(Allowed.ADMITTED);
		assertThat(six.isAllowed("k")).as("the 6 units count against the capacity 6").isInstanceOf(Rejected.class);
		// LA-24: set_if applies the limit bound to the key; the reference stored 60 and then admitted 12 at r=1
		assertThat(sixty.setIf("k", nil(), 1)).isEqualTo(new ConditionalSetOutcome(true, 6, 1));
		for (int i = 0; i < 5; i++) {
			assertThat(six.inc("k")).isSameAs(Allowed.ADMITTED);
		}
		assertThat(six.inc("k")).isInstanceOf(Rejected.class);
		assertThat(sixty.inc("k")).isSameAs(Allowed.ADMITTED);
		assertThat(sixty.get("k").total()).isEqualTo(7);
		// RA-02, second key: the reference admitted 2 more under the sticky 10; the capacity 2 rejects them
		assertThat(absolute(provider, 10, Duration.ofSeconds(60)).inc("j", 8)).isSameAs(Allowed.ADMITTED);
		assertThat(absolute(provider, 2, Duration.ofSeconds(60)).inc("j", 2)).isInstanceOf(Rejected.class);
		assertThat(six.get("j").total()).isEqualTo(8);
		// RA-15, HA-19: a matched unchanged preserve keeps the total; the limit of each later call decides
		BoundLimit ten = absolute(provider, 10, Duration.ofSeconds(60));
		assertThat(ten.inc("m", 5)).isSameAs(Allowed.ADMITTED);
		assertThat(six.setIfPreserveHistory("m", eq(5), 5, HistoryPreservation.PRESERVE_NEWEST))
			.isEqualTo(new ConditionalSetOutcome(true, 5, 5));
		assertThat(six.inc("m")).isSameAs(Allowed.ADMITTED);
		assertThat(six.inc("m")).isInstanceOf(Rejected.class);
		assertThat(ten.inc("m")).as("the reference had stored 6 for every rate").isSameAs(Allowed.ADMITTED);
		assertThat(ten.get("m").total()).isEqualTo(7);
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Provider.class)
	void suppressed_hardFactorOneActsAsAbsoluteWithoutRejection(RateLimit.Provider provider) { // LS-05, RS-07
		BoundLimit limit = suppressed(provider, 5, 1.0, Duration.ofSeconds(60));
		for (int i = 0; i < 5; i++) {
			assertThat(limit.inc("k")).isSameAs(Allowed.ADMITTED);
		}
		for (int i = 0; i < 5; i++) {
			assertThat(limit.inc("k")).isSameAs(Suppressed.FULL);
		}
		assertThat(limit.get("k")).isEqualTo(new Usage(10, 5, 1.0));
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Provider.class)
	void suppressed_exactHardIsAdmittedThenEveryCallIsRefusedWithoutDraw(RateLimit.Provider provider) {
		// LS-09, LS-15, RS-06, RS-10, RSS-02, HS-07, HS-08 (W=10, H=2, r=1: soft 10, hard 20)
		BoundLimit limit = suppressed(provider, 10, 2.0, Duration.ofSeconds(60));
		assertThat(limit.inc("k", 20)).isSameAs(Allowed.ADMITTED);
		assertThat(limit.getSuppressionFactor("k")).isEqualTo(1.0);
		for (int i = 0; i < 10; i++) {
			assertThat(limit.inc("k")).isSameAs(Suppressed.FULL);
		}
		assertThat(limit.get("k")).isEqualTo(new Usage(30, 10, 1.0));
		assertThat(this.random.draws()).isEqualTo(drawsOutsideTheRamp(provider, 11));
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Provider.class)
	void suppressed_callLandingOnTheHardCapacityIsAdmittedAndTheNextRefused(RateLimit.Provider provider) {
		// LS-04 (W=10, H=1, r=1), HS-04, HS-10, HS-12 (H=1, r=5): soft = hard; no draw on either side
		BoundLimit even = suppressed(provider, 10, 1.0, Duration.ofSeconds(60));
		assertThat(even.inc("a", 9)).isSameAs(Allowed.ADMITTED);
		assertThat(even.inc("a", 1)).isSameAs(Allowed.ADMITTED);
		assertThat(even.getSuppressionFactor("a")).isEqualTo(1.0);
		assertThat(even.inc("a", 1)).isSameAs(Suppressed.FULL);
		assertThat(even.inc("a", 1)).isSameAs(Suppressed.FULL);
		assertThat(even.get("a")).isEqualTo(new Usage(12, 2, 1.0));
		// LS-06: W=1, H=2, r=1.3 is soft 1, hard 2
		BoundLimit small = suppressed(provider, 1, 2.0, Duration.ofSeconds(60));
		assertThat(small.inc("b")).isSameAs(Allowed.ADMITTED);
		assertThat(small.inc("b")).as("exactly the hard capacity").isSameAs(Allowed.ADMITTED);
		assertThat(small.inc("b")).isSameAs(Suppressed.FULL);
		assertThat(small.get("b")).isEqualTo(new Usage(3, 1, 1.0));
		// RS-09, HS-03: W=6, H=1.5, r=0.5 is soft 3, hard floor(4.5) = 4
		BoundLimit odd = suppressed(provider, 3, 1.5, Duration.ofSeconds(60));
		for (int i = 0; i < 4; i++) {
			assertThat(odd.inc("c")).isSameAs(Allowed.ADMITTED);
		}
		assertThat(odd.inc("c")).isSameAs(Suppressed.FULL);
		assertThat(odd.get("c")).isEqualTo(new Usage(5, 1, 1.0));
		assertThat(this.random.draws()).isEqualTo(drawsOutsideTheRamp(provider, 12));
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Provider.class)
	void suppressed_belowTheSoftCapacityIsAllowedWithoutDraw(RateLimit.Provider provider) {
		// LS-01 (W=10, H=10, r=5: soft 50, hard 500), RS-08, HS-02 (W=10, H=2, r=1: soft 10)
		BoundLimit wide = suppressed(provider, 50, 10.0, Duration.ofSeconds(60));
		assertThat(wide.inc("a", 49)).isSameAs(Allowed.ADMITTED);
		assertThat(wide.inc("a", 1)).isSameAs(Allowed.ADMITTED);
		assertThat(wide.get("a").total()).isEqualTo(50);
		assertThat(wide.get("a").declined()).isZero();
		BoundLimit narrow = suppressed(provider, 10, 2.0, Duration.ofSeconds(60));
		for (int i = 0; i < 10; i++) {
			assertThat(narrow.inc("b")).isSameAs(Allowed.ADMITTED);
		}
		assertThat(narrow.get("b").total()).isEqualTo(10);
		assertThat(narrow.get("b").declined()).isZero();
		assertThat(this.random.draws()).isEqualTo(drawsOutsideTheRamp(provider, 12));
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Provider.class)
	void suppressed_betweenSoftAndHardDrawsOnceWithTheFactor(RateLimit.Provider provider) {
		// RS-02, HS-05, HS-13 (W=10, H=2, r=1: soft 10, hard 20): eleven units within the last second against a
		// target of 1/s give 1 - 1/11; the draw 0.99 is not below 1 - factor, so the call is refused
		// the factor is cached for 60 s, so that the later reads see the value the decision used
		BoundLimit limit = this.limiter.limit(RateLimit.builder("sup")
			.capacity(10)
			.window(Duration.ofSeconds(10))
			.strategy(RateLimit.Strategy.SUPPRESSED)
			.hardLimitFactor(2.0)
			.suppressionFactorCache(Duration.ofSeconds(60))
			.provider(provider)
			.build());
		assertThat(limit.setIf("k", nil(), 11)).isEqualTo(new ConditionalSetOutcome(true, 0, 11));
		double factor = limit.getSuppressionFactor("k");
		assertThat(factor).isCloseTo(1 - 1.0 / 11, within(1e-9));
		RateLimitDecision decision = limit.inc("k");
		assertThat(decision).isEqualTo(new Suppressed(factor, false));
		assertThat(this.random.draws()).as("exactly one draw").isEqualTo(1);
		assertThat(limit.getSuppressionFactor("k")).as("HS-13: the cached factor").isEqualTo(factor);
		Usage usage = limit.get("k");
		assertThat(usage.total()).isEqualTo(12);
		assertThat(usage.declined()).isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Provider.class)
	void suppressed_primeBelowSoftAdmitsPrimeAtHardRefuses(RateLimit.Provider provider) {
		// LS-19, RS-15, HS-24 (W=6, H=1, r=5: soft = hard = 30)
		BoundLimit limit = suppressed(provider, 30, 1.0, Duration.ofSeconds(60));
		assertThat(limit.setIf("below", lt(27), 27)).isEqualTo(new ConditionalSetOutcome(true, 0, 27));
		assertThat(limit.inc("below")).isSameAs(Allowed.ADMITTED);
		assertThat(limit.setIf("at", lt(30), 30)).isEqualTo(new ConditionalSetOutcome(true, 0, 30));
		assertThat(limit.inc("at")).isSameAs(Suppressed.FULL);
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Provider.class)
	void suppressed_zeroTargetReopensAdmission(RateLimit.Provider provider) { // LS-20, RS-15, HS-24
		BoundLimit limit = suppressed(provider, 30, 1.0, Duration.ofSeconds(60));
		limit.setIf("k", nil(), 30);
		for (int i = 0; i < 3; i++) {
			assertThat(limit.inc("k")).isSameAs(Suppressed.FULL);
		}
		assertThat(limit.get("k")).isEqualTo(new Usage(33, 3, 1.0));
		assertThat(limit.setIf("k", nil(), 0)).isEqualTo(new ConditionalSetOutcome(true, 33, 0));
		assertThat(limit.getSuppressionFactor("k")).isZero();
		assertThat(limit.inc("k")).isSameAs(Allowed.ADMITTED);
		assertThat(limit.get("k")).isEqualTo(new Usage(1, 0, 0.0));
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Provider.class)
	void suppressed_setIfReplacesHistoryWithoutDeclines(RateLimit.Provider provider) {
		// LS-21 (W=6, H=1, r=5: 30), LS-22 (W=10, H=1, r=2: 20; the same total still replaces the history)
		BoundLimit thirty = suppressed(provider, 30, 1.0, Duration.ofSeconds(60));
		thirty.setIf("a", nil(), 30);
		assertThat(thirty.inc("a", 3)).isSameAs(Suppressed.FULL);
		assertThat(thirty.setIf("a", nil(), 5)).isEqualTo(new ConditionalSetOutcome(true, 33, 5));
		assertThat(thirty.get("a")).as("declines gone, cached factor 1 dropped").isEqualTo(new Usage(5, 0, 0.0));
		BoundLimit twenty = suppressed(provider, 20, 1.0, Duration.ofSeconds(60));
		assertThat(twenty.inc("b", 4)).isSameAs(Allowed.ADMITTED);
		assertThat(twenty.inc("b", 16)).isSameAs(Allowed.ADMITTED);
		assertThat(twenty.inc("b", 7)).isSameAs(Suppressed.FULL);
		assertThat(twenty.get("b")).isEqualTo(new Usage(27, 7, 1.0));
		assertThat(twenty.setIf("b", nil(), 27)).isEqualTo(new ConditionalSetOutcome(true, 27, 27));
		assertThat(twenty.get("b")).isEqualTo(new Usage(27, 0, 1.0));
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Provider.class)
	void suppressed_changedCapacityAppliesFromTheNextCallKeepingHistory(RateLimit.Provider provider) {
		// LS-23, LS-31, LS-32, RS-14 changed on purpose (spec §13 item 7): the reference kept the hard limit the state
		// was created with; here the limit bound to the call applies, with the history kept
		BoundLimit six = suppressed(provider, 6, 1.0, Duration.ofSeconds(60));
		BoundLimit sixty = suppressed(provider, 60, 1.0, Duration.ofSeconds(60));
		assertThat(six.setIf("k", nil(), 6)).isEqualTo(new ConditionalSetOutcome(true, 0, 6));
		assertThat(six.inc("k")).isSameAs(Suppressed.FULL);
		assertThat(sixty.setIf("k", nil(), 1)).isEqualTo(new ConditionalSetOutcome(true, 7, 1));
		for (int i = 0; i < 12; i++) {
			assertThat(sixty.inc("k")).isSameAs(Allowed.ADMITTED);
		}
		assertThat(six.inc("k")).as("the reference had stored 60 and admitted").isSameAs(Suppressed.FULL);
		// LS-31: a preserving set reshapes the history under the limit bound to it, which then decides
		assertThat(sixty.setIfPreserveHistory("k", nil(), 13, HistoryPreservation.PRESERVE_OLDEST))
			.isEqualTo(new ConditionalSetOutcome(true, 14, 13));
		assertThat(sixty.inc("k")).isSameAs(Allowed.ADMITTED);
		// LS-32 (W=6, H=1.5): 1 at r=1 (soft 6, hard 9), then 8 and 1 at r=100 (soft 600): the reference kept hard 9
		BoundLimit small = suppressed(provider, 6, 1.5, Duration.ofSeconds(60));
		BoundLimit large = suppressed(provider, 600, 1.5, Duration.ofSeconds(60));
		assertThat(small.inc("m")).isSameAs(Allowed.ADMITTED);
		assertThat(large.inc("m", 8)).isSameAs(Allowed.ADMITTED);
		assertThat(large.inc("m")).as("the reference refused: 10 > sticky hard 9").isSameAs(Allowed.ADMITTED);
		assertThat(small.inc("m")).isSameAs(Suppressed.FULL);
		assertThat(small.get("m")).isEqualTo(new Usage(11, 1, 1.0));
		// RS-14 (W=1, H=1), second key: 8 at r=10 then 2 at r=2: the reference admitted under the sticky 10
		assertThat(suppressed(provider, 10, 1.0, Duration.ofSeconds(60)).inc("j", 8)).isSameAs(Allowed.ADMITTED);
		assertThat(suppressed(provider, 2, 1.0, Duration.ofSeconds(60)).inc("j", 2)).isSameAs(Suppressed.FULL);
		assertThat(six.get("j")).isEqualTo(new Usage(10, 2, 1.0));
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Provider.class)
	void suppressed_keysAreIndependent(RateLimit.Provider provider) { // HS-09
		BoundLimit limit = suppressed(provider, 2, 1.0, Duration.ofSeconds(60));
		limit.inc("a", 2);
		assertThat(limit.inc("a")).isSameAs(Suppressed.FULL);
		assertThat(limit.inc("b")).isSameAs(Allowed.ADMITTED);
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Provider.class)
	void suppressed_concurrentIncrementsKeepExactTotals(RateLimit.Provider provider) throws Exception {
		// LS-33, HS-16: 8 threads x 500 units under a capacity nothing reaches
		BoundLimit limit = suppressed(provider, RateLimit.MAX_COUNT, 1.0, Duration.ofSeconds(60));
		ExecutorService pool = Executors.newFixedThreadPool(8);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Integer>> admitted = new ArrayList<>();
		for (int t = 0; t < 8; t++) {
			admitted.add(pool.submit(() -> {
				start.await();
				int count = 0;
				for (int i = 0; i < 500; i++) {
					count += (limit.inc("k") == Allowed.ADMITTED) ? 1 : 0;
				}
				return count;
			}));
		}
		start.countDown();
		int total = 0;
		for (Future<Integer> future : admitted) {
			total += future.get(60, TimeUnit.SECONDS);
		}
		pool.shutdown();
		assertThat(total).isEqualTo(4000);
		assertThat(limit.get("k")).isEqualTo(new Usage(4000, 0, 0.0));
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Provider.class)
	void suppressed_refusedBatchDoesNotConsumeAcceptedCapacity(RateLimit.Provider provider) { // LS-07
		BoundLimit limit = suppressed(provider, 10, 2.0, Duration.ofSeconds(60));
		assertThat(limit.inc("k", 19)).isEqualTo(Suppressed.NONE);
		assertThat(limit.inc("k", 2)).isSameAs(Suppressed.FULL);
		Usage usage = limit.get("k");
		assertThat(usage.total()).isEqualTo(21);
		assertThat(usage.declined()).isEqualTo(2);
		assertThat(usage.accepted()).isEqualTo(19);
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Provider.class)
	void suppressed_unknownKey(RateLimit.Provider provider) { // LS-16, RS-01, RS-13, HS-01, RSS-07
		BoundLimit limit = suppressed(provider, 10, 2.0, Duration.ofSeconds(60));
		assertThat(limit.getSuppressionFactor("missing")).isZero();
		assertThat(limit.get("missing")).isEqualTo(Usage.NONE);
		for (int i = 0; i < 3; i++) {
			limit.inc("k");
		}
		assertThat(limit.get("k")).isEqualTo(new Usage(3, 0, 0.0));
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Provider.class)
	void refund_givesUnitsBack(RateLimit.Provider provider) {
		BoundLimit limit = absolute(provider, 3, Duration.ofSeconds(60));
		limit.inc("k", 3);
		assertThat(limit.inc("k").isAdmitted()).isFalse();
		limit.refund("k", 2);
		assertThat(limit.get("k").total()).isEqualTo(1);
		assertThat(limit.inc("k", 2).isAdmitted()).isTrue();
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Provider.class)
	void keysWithSpecialCharactersAreIsolated(RateLimit.Provider provider) {
		BoundLimit limit = absolute(provider, 1, Duration.ofSeconds(60));
		for (String key : List.of("a:b", "a}b", "a{b", "a b", "a%3Ab", "x".repeat(300), "x".repeat(301))) {
			assertThat(limit.inc(key).isAdmitted()).as(key).isTrue();
		}
		if (provider != RateLimit.Provider.LOCAL) {
			assertThat(admin.keysContaining(this.prefix)).allMatch((name) -> name.matches(
					"[^{}]*\\{[^{}]*\\}[^{}]*"));
		}
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Provider.class)
	void facadeNamesLimitsByCapacityAndWindow(RateLimit.Provider provider) {
		BoundLimit limit = switch (provider) {
			case LOCAL -> this.limiter.local().absolute().limit(0.5);
			case REDIS -> this.limiter.redis().absolute().limit(0.5);
			case HYBRID -> this.limiter.hybrid().absolute().limit(0.5);
		};
		assertThat(limit.limit().name()).isEqualTo("r5w10000");
		assertThat(limit.limit().capacity()).isEqualTo(5);
		assertThat(limit.limit().provider()).isEqualTo(provider);
		assertThat(TestRedis.endpoint()).isNotNull();
	}

}
