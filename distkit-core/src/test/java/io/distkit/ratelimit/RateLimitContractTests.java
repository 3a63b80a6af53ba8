package io.distkit.ratelimit;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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

/**
 * The behaviour every provider shares, run against local, Redis and hybrid (spec §10 scenarios that do not depend on
 * time). Time-dependent scenarios live in the provider-specific tests.
 */
class RateLimitContractTests extends RedisIntegrationSupport {

	private RateLimiter limiter;

	@BeforeEach
	void createLimiter(TestInfo info) {
		this.limiter = RateLimiter.builder().redis(backend, RedisKey.prefix(this.prefix)).build();
	}

	@AfterEach
	void closeLimiter() {
		this.limiter.close();
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
		// one bucket per window, so all five units share the oldest bucket whatever the timing
		BoundLimit limit = absolute(provider, 5, Duration.ofSeconds(60), Duration.ofSeconds(60));
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
	@EnumSource(RateLimit.Provider.class)
	void setIf_primingAndComparators(RateLimit.Provider provider) { // LA-20, LA-22, RA-14, HA-18
		BoundLimit limit = absolute(provider, 100, Duration.ofSeconds(60));
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
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Provider.class)
	void setIf_zeroTargetRemovesState(RateLimit.Provider provider) { // LA-21, LA-26, RA-14, HA-20
		BoundLimit limit = absolute(provider, 100, Duration.ofSeconds(60));
		assertThat(limit.setIf("missing", gt(5), 9)).isEqualTo(new ConditionalSetOutcome(false, 0, 0));
		assertThat(limit.setIf("missing", eq(0), 0)).isEqualTo(new ConditionalSetOutcome(true, 0, 0));
		limit.setIf("k", nil(), 30);
		assertThat(limit.setIf("k", nil(), 0)).isEqualTo(new ConditionalSetOutcome(true, 30, 0));
		assertThat(limit.get("k").total()).isZero();
		assertThat(limit.inc("k").isAdmitted()).isTrue();
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
	}

	@ParameterizedTest
	@EnumSource(RateLimit.Provider.class)
	void setIfPreserveHistory_missingKey(RateLimit.Provider provider) { // LA-30, RA-15, HA-19
		BoundLimit limit = absolute(provider, 100, Duration.ofSeconds(60));
		for (HistoryPreservation preservation : HistoryPreservation.values()) {
			assertThat(limit.setIfPreserveHistory("k" + preservation, eq(0), 9, preservation))
				.isEqualTo(new ConditionalSetOutcome(true, 0, 9));
			assertThat(limit.get("k" + preservation).total()).isEqualTo(9);
		}
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
	void suppressed_exactHardIsAdmittedThenRefused(RateLimit.Provider provider) { // LS-15, RS-10, RSS-02
		BoundLimit limit = suppressed(provider, 10, 2.0, Duration.ofSeconds(60));
		assertThat(limit.inc("k", 20)).isSameAs(Allowed.ADMITTED);
		assertThat(limit.getSuppressionFactor("k")).isEqualTo(1.0);
		assertThat(limit.inc("k")).isSameAs(Suppressed.FULL);
		assertThat(limit.get("k")).isEqualTo(new Usage(21, 1, 1.0));
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
