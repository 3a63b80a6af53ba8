package io.distkit.ratelimit;

import java.math.BigDecimal;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.distkit.InvalidOptionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Limits as DESIGN decision 8 defines them; degenerate ones are rejected at creation. */
class RateLimitTests {

	@Test
	void defaultsFollowTheReference() {
		RateLimit limit = RateLimit.builder("api").capacity(100).build();
		assertThat(limit.window()).isEqualTo(Duration.ofSeconds(10));
		assertThat(limit.bucket()).isEqualTo(Duration.ofMillis(100));
		assertThat(limit.windowBuckets()).isEqualTo(100);
		assertThat(limit.strategy()).isEqualTo(RateLimit.Strategy.ABSOLUTE);
		assertThat(limit.provider()).isEqualTo(RateLimit.Provider.REDIS);
		assertThat(limit.hardLimitFactor()).isEqualByComparingTo(BigDecimal.ONE);
		assertThat(limit.suppressionFactorCache()).isEqualTo(Duration.ofMillis(100));
		assertThat(limit.hardCapacity()).isEqualTo(100);
	}

	@Test
	void hardCapacityIsComputedInExactDecimal() {
		// 0.1 + 0.2 style errors must not lose a unit: 10 x 1.1 is 11, not 10.999...
		RateLimit limit = RateLimit.builder("s").capacity(10).strategy(RateLimit.Strategy.SUPPRESSED)
			.hardLimitFactor(1.1).build();
		assertThat(limit.hardCapacity()).isEqualTo(11);
		assertThat(RateLimit.builder("s").capacity(3).strategy(RateLimit.Strategy.SUPPRESSED).hardLimitFactor(1.5)
			.build()
			.hardCapacity()).isEqualTo(4);
	}

	@Test
	void capacityOfRateUsesToleranceBeforeFloor() { // C-02, LA-16, RA-12
		assertThat(RateLimit.capacityOf(1.0, Duration.ofSeconds(60))).isEqualTo(60);
		assertThat(RateLimit.capacityOf(60.0 / 60, Duration.ofMinutes(1))).isEqualTo(60);
		assertThat(RateLimit.capacityOf(2.9, Duration.ofSeconds(1))).isEqualTo(2);
		assertThat(RateLimit.capacityOf(0.1, Duration.ofSeconds(30))).isEqualTo(3);
		assertThat(RateLimit.programmaticName(3, Duration.ofSeconds(30))).isEqualTo("r3w30000");
	}

	@Test
	void capacityOfRate_invalid() { // C-01, spec §13 item 9
		assertThatExceptionOfType(InvalidOptionException.class).isThrownBy(() -> RateLimit.capacityOf(0, Duration.ofSeconds(1)))
			.withMessage("Invalid option 'rate': must be finite and greater than 0 (value=0.0)");
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> RateLimit.capacityOf(Double.NaN, Duration.ofSeconds(1)))
			.withMessageContaining("value=NaN");
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> RateLimit.capacityOf(Double.POSITIVE_INFINITY, Duration.ofSeconds(1)))
			.withMessageContaining("value=Infinity");
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> RateLimit.capacityOf(0.5, Duration.ofSeconds(1)))
			.withMessage("Invalid option 'rate': gives less than 1 unit per window of PT1S; raise the rate or the "
					+ "window (value=0.5)");
	}

	@Test
	void capacity_belowOne() {
		assertThatExceptionOfType(InvalidOptionException.class).isThrownBy(() -> RateLimit.builder("a").capacity(0))
			.withMessage("Invalid option 'capacity': must be at least 1 (value=0)");
		assertThatExceptionOfType(InvalidOptionException.class).isThrownBy(() -> RateLimit.builder("a").build())
			.withMessage("Invalid option 'capacity': is required for limit 'a' (value=null)");
	}

	@Test
	void window_shorterThanBucket() {
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> RateLimit.builder("a").capacity(1).window(Duration.ofMillis(50)).build())
			.withMessage("Invalid option 'window': must not be shorter than the bucket (PT0.1S) (value=PT0.05S)");
	}

	@Test
	void window_notWholeBuckets() {
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> RateLimit.builder("a").capacity(1).window(Duration.ofMillis(250)).build())
			.withMessage("Invalid option 'window': must be a whole number of buckets (bucket PT0.1S) (value=PT0.25S)");
	}

	@Test
	void window_tooManyBuckets() {
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> RateLimit.builder("a").capacity(1).window(Duration.ofHours(1)).bucket(Duration.ofMillis(1))
				.build())
			.withMessageContaining("must hold at most 10000 buckets");
	}

	@Test
	void hardLimitFactor_invalid() { // C-06
		for (double factor : new double[] { 0.5, 0, -1, Double.NaN, Double.POSITIVE_INFINITY }) {
			assertThatExceptionOfType(InvalidOptionException.class)
				.isThrownBy(() -> RateLimit.builder("a").hardLimitFactor(factor))
				.withMessage("Invalid option 'hardLimitFactor': must be finite and at least 1 (value=" + factor + ")");
		}
	}

	@Test
	void bucket_invalid() {
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> RateLimit.builder("a").bucket(Duration.ZERO))
			.withMessageContaining("'bucket': must be a whole number of milliseconds, at least 1ms (value=PT0S)");
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> RateLimit.builder("a").bucket(Duration.ofNanos(1_500_000)))
			.withMessageContaining("value=PT0.0015S");
	}

	@Test
	void name_invalid() {
		for (String name : new String[] { "", "with space", "a:b", "{x}", "x".repeat(65) }) {
			assertThatExceptionOfType(InvalidOptionException.class).isThrownBy(() -> RateLimit.builder(name))
				.withMessageStartingWith("Invalid option 'name': must match [A-Za-z0-9._-]{1,64}");
		}
		assertThat(RateLimit.builder("Api_v2.login-1").capacity(1).build().name()).isEqualTo("Api_v2.login-1");
	}

	@Test
	void unlimitedAboveMaxCount() {
		assertThat(RateLimit.builder("a").capacity(RateLimit.MAX_COUNT + 1).build().isUnlimited()).isTrue();
		assertThat(RateLimit.builder("a").capacity(RateLimit.MAX_COUNT).build().isUnlimited()).isFalse();
	}

	@Test
	void unknownLimitName() {
		try (RateLimiter limiter = RateLimiter.builder()
			.limit(RateLimit.builder("api").capacity(1).provider(RateLimit.Provider.LOCAL).build())
			.build()) {
			assertThatExceptionOfType(InvalidOptionException.class).isThrownBy(() -> limiter.limit("apj"))
				.withMessage("Invalid option 'limit': is not a configured rate limit (configured: api) (value=apj)");
		}
	}

	@Test
	void redisProviderWithoutRedis() {
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> RateLimiter.builder().limit(RateLimit.builder("api").capacity(1).build()).build())
			.withMessage("Invalid option 'provider': needs Redis, but the rate limiter has no Redis backend "
					+ "(limit 'api') (value=REDIS)");
	}

	@Test
	void badCountsAndKeys() {
		try (RateLimiter limiter = RateLimiter.builder().build()) {
			BoundLimit limit = limiter.local().absolute().limit(10);
			assertThatExceptionOfType(InvalidOptionException.class).isThrownBy(() -> limit.inc("k", -1))
				.withMessage("Invalid option 'count': must be between 0 and 9007199254740991 (value=-1)");
			assertThatExceptionOfType(InvalidOptionException.class).isThrownBy(() -> limit.inc(""))
				.withMessage("Invalid option 'key': must not be empty (value=)");
		}
	}

	@Test
	void keysAreEncoded() {
		assertThat(RateLimitKeys.encode("user-1")).isEqualTo("user-1");
		assertThat(RateLimitKeys.encode("a:b{c}|d e%")).isEqualTo("a%3Ab%7Bc%7D%7Cd%20e%25");
		assertThat(RateLimitKeys.encode("tab\there")).isEqualTo("tab%09here");
		assertThat(RateLimitKeys.encode("é")).isEqualTo("é");
		String longKey = "x".repeat(256);
		assertThat(RateLimitKeys.encode(longKey)).startsWith("h_").hasSize(45);
		assertThat(RateLimitKeys.encode(longKey)).isNotEqualTo(RateLimitKeys.encode("x".repeat(257)));
	}

	@Test
	void capacityOfRate_negativeUnderflowingAndUnboundedRates() {
		// C-01: rates are per second in code (no unit constructors: a per-minute 60 is 60.0 / 60); -1 is invalid,
		// a monthly 1 gives less than one unit per window, and the largest rate is unlimited (the reference's max())
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> RateLimit.capacityOf(-1, Duration.ofSeconds(1)))
			.withMessage("Invalid option 'rate': must be finite and greater than 0 (value=-1.0)");
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> RateLimit.capacityOf(1.0 / 2_592_000, Duration.ofSeconds(10)))
			.withMessageStartingWith("Invalid option 'rate': gives less than 1 unit per window of PT10S");
		assertThat(RateLimit.capacityOf(1.0 / 2_592_000, Duration.ofDays(30))).isEqualTo(1);
		long unbounded = RateLimit.capacityOf(Double.MAX_VALUE, Duration.ofSeconds(10));
		assertThat(RateLimit.builder("a").capacity(unbounded).build().isUnlimited()).isTrue();
	}

	@Test
	void window_zeroNegativeOrMissing() { // C-03: windows are Durations (any unit); zero is invalid
		for (Duration window : new Duration[] { Duration.ZERO, Duration.ofSeconds(-1), null }) {
			assertThatExceptionOfType(InvalidOptionException.class)
				.isThrownBy(() -> RateLimit.builder("a").window(window))
				.withMessage("Invalid option 'window': must be at least 1ms (value=" + window + ")");
		}
		RateLimit month = RateLimit.builder("a").capacity(1).window(Duration.ofDays(30)).bucket(Duration.ofHours(1))
			.build();
		assertThat(month.window().toSeconds()).isEqualTo(2_592_000);
		assertThat(month.windowBuckets()).isEqualTo(720);
	}

	@Test
	void suppressionFactorCacheAndSyncInterval_invalid() { // C-05
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> RateLimit.builder("a").suppressionFactorCache(Duration.ZERO))
			.withMessage("Invalid option 'suppressionFactorCache': must be at least 1ms (value=PT0S)");
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> RateLimiter.builder().syncInterval(Duration.ZERO))
			.withMessage("Invalid option 'syncInterval': must be at least 1ms (value=PT0S)");
		assertThat(RateLimit.builder("a").suppressionFactorCache(Duration.ofDays(1))).isNotNull();
	}

	@Test
	void bucket_atMostTheWindowWhateverTheSetterOrder() {
		// C-12 (W=1 s): a bucket of the whole window is valid, 1001 ms is not, whichever setter comes first; 999 ms is
		// not either here, because a window is a whole number of aligned buckets
		assertThat(RateLimit.builder("a").capacity(1).window(Duration.ofSeconds(1)).bucket(Duration.ofSeconds(1)).build()
			.windowBuckets()).isEqualTo(1);
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> RateLimit.builder("a").capacity(1).bucket(Duration.ofMillis(1001))
				.window(Duration.ofSeconds(1)).build())
			.withMessage("Invalid option 'window': must not be shorter than the bucket (PT1.001S) (value=PT1S)");
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> RateLimit.builder("a").capacity(1).window(Duration.ofSeconds(1))
				.bucket(Duration.ofMillis(1001)).build())
			.withMessage("Invalid option 'window': must not be shorter than the bucket (PT1.001S) (value=PT1S)");
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> RateLimit.builder("a").capacity(1).window(Duration.ofSeconds(1))
				.bucket(Duration.ofMillis(999)).build())
			.withMessageContaining("must be a whole number of buckets");
	}

}
