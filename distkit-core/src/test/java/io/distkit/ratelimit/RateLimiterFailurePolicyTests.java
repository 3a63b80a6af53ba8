package io.distkit.ratelimit;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.distkit.CircuitBreakerOptions;
import io.distkit.DistkitBackendException;
import io.distkit.RedisBackend;
import io.distkit.RedisKey;
import io.distkit.ratelimit.RateLimitDecision.Allowed;
import io.distkit.test.RedisProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** DESIGN decision 7 with a Redis the test stops. */
class RateLimiterFailurePolicyTests {

	private RedisProcess redis;

	private LettuceConnectionFactory connectionFactory;

	private RedisBackend backend;

	@BeforeEach
	void start() {
		this.redis = RedisProcess.start();
		this.connectionFactory = this.redis.endpoint().connectionFactory(Duration.ofMillis(300));
		this.backend = RedisBackend.builder(this.connectionFactory)
			.circuitBreaker(new CircuitBreakerOptions(2, Duration.ofSeconds(7)))
			.build();
	}

	@AfterEach
	void stop() {
		this.connectionFactory.destroy();
		this.redis.close();
	}

	private RateLimiter limiter(BackendFailurePolicy policy, RateLimit.Provider provider) {
		return RateLimiter.builder()
			.redis(this.backend, RedisKey.prefix("policy"))
			// a hybrid budget stays usable for 10 sync intervals: 20 s, longer than stopping Redis on a loaded machine
			.syncInterval(Duration.ofSeconds(2))
			.onBackendFailure(policy, Duration.ofSeconds(7))
			.limit(RateLimit.builder("api").capacity(2).window(Duration.ofSeconds(60)).provider(provider).build())
			.build();
	}

	@Test
	void failOpen_admitsDegradedWithoutCounting() {
		try (RateLimiter limiter = limiter(BackendFailurePolicy.FAIL_OPEN, RateLimit.Provider.REDIS)) {
			this.redis.stop();
			for (int i = 0; i < 5; i++) {
				assertThat(limiter.limit("api").inc("k")).isSameAs(Allowed.DEGRADED);
			}
			assertThatExceptionOfType(DistkitBackendException.class).isThrownBy(() -> limiter.limit("api").get("k"));
		}
	}

	@Test
	void failClosed_throwsWithTheBreakersOpenPeriod() {
		try (RateLimiter limiter = limiter(BackendFailurePolicy.FAIL_CLOSED, RateLimit.Provider.REDIS)) {
			this.redis.stop();
			assertThatExceptionOfType(RateLimitBackendUnavailableException.class)
				.isThrownBy(() -> limiter.limit("api").inc("k"))
				.withMessageStartingWith("Rate limit 'api' cannot decide: Redis is unavailable")
				.satisfies((ex) -> {
					assertThat(ex.getRetryAfter()).isEqualTo(Duration.ofSeconds(7));
					assertThat(ex.getLimitName()).isEqualTo("api");
				});
		}
	}

	@Test
	void localFallback_decidesWithTheSameLimitLocally() {
		try (RateLimiter limiter = limiter(BackendFailurePolicy.LOCAL_FALLBACK, RateLimit.Provider.REDIS)) {
			this.redis.stop();
			assertThat(limiter.limit("api").inc("k")).isSameAs(Allowed.ADMITTED);
			assertThat(limiter.limit("api").inc("k")).isSameAs(Allowed.ADMITTED);
			assertThat(limiter.limit("api").inc("k").isAdmitted()).isFalse();
		}
	}

	@Test
	void hybrid_localBudgetKeepsServingDuringAnOutage() {
		try (RateLimiter limiter = limiter(BackendFailurePolicy.FAIL_CLOSED, RateLimit.Provider.HYBRID)) {
			BoundLimit limit = limiter.limit("api");
			assertThat(limit.inc("known")).isSameAs(Allowed.ADMITTED); // synchronised: budget 2
			this.redis.stop();
			assertThat(limit.inc("known")).as("within the local budget: no Redis needed").isSameAs(Allowed.ADMITTED);
			assertThatExceptionOfType(RateLimitBackendUnavailableException.class).as("an unknown key needs Redis")
				.isThrownBy(() -> limit.inc("unknown"));
		}
	}

	@Test
	void redisBack_decisionsCountAgain() {
		try (RateLimiter limiter = limiter(BackendFailurePolicy.FAIL_OPEN, RateLimit.Provider.REDIS)) {
			this.redis.stop();
			assertThat(limiter.limit("api").inc("k")).isSameAs(Allowed.DEGRADED);
			this.redis.restart();
			org.awaitility.Awaitility.await()
				.atMost(Duration.ofSeconds(20))
				.until(() -> limiter.limit("api").inc("k") == Allowed.ADMITTED);
		}
	}

}
