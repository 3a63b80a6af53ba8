package io.distkit.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import io.distkit.counter.CounterComparator;
import io.distkit.ratelimit.BoundLimit;
import io.distkit.ratelimit.ConditionalSetOutcome;
import io.distkit.ratelimit.HistoryPreservation;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.ratelimit.Usage;
import io.distkit.ratelimit.hybrid.HybridLimitEngine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every rate-limit operation of every provider and strategy on Redis Cluster, with the {@code fail-closed} policy so
 * that a Redis failure reaches the test instead of being admitted as degraded. The hybrid provider's per-tick commits
 * of many keys, spread over every master, are checked key by key through the Redis provider (same data model).
 */
class RateLimiterClusterIntegrationTests extends ClusterIntegrationSupport {

	private static final int CAPACITY = 3;

	static Stream<Arguments> providersAndStrategies() {
		List<Arguments> all = new ArrayList<>();
		for (RateLimit.Provider provider : RateLimit.Provider.values()) {
			for (RateLimit.Strategy strategy : RateLimit.Strategy.values()) {
				all.add(Arguments.of(provider, strategy));
			}
		}
		return all.stream();
	}

	private void withLimit(RateLimit.Provider provider, RateLimit.Strategy strategy,
			BiConsumer<RateLimiter, BoundLimit> test) {
		runner().withPropertyValues("distkit.rate-limit.on-backend-failure=fail-closed").run((context) -> {
			RateLimiter limiter = context.getBean(RateLimiter.class);
			test.accept(limiter, limiter.limit(limit("api", provider, strategy, CAPACITY)));
		});
	}

	private static RateLimit limit(String name, RateLimit.Provider provider, RateLimit.Strategy strategy,
			long capacity) {
		return RateLimit.builder(name)
			.capacity(capacity)
			.window(Duration.ofSeconds(60))
			.bucket(Duration.ofSeconds(1))
			.provider(provider)
			.strategy(strategy)
			.build();
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("providersAndStrategies")
	void inc(RateLimit.Provider provider, RateLimit.Strategy strategy) {
		withLimit(provider, strategy, (limiter, limit) -> {
			for (int i = 0; i < CAPACITY; i++) {
				assertThat(limit.inc("user-1").isAdmitted()).as("unit %d", i + 1).isTrue();
			}
			RateLimitDecision over = limit.inc("user-1");
			assertThat(over.isAdmitted()).isFalse();
			assertThat(over).isInstanceOf((strategy == RateLimit.Strategy.ABSOLUTE) ? RateLimitDecision.Rejected.class
					: RateLimitDecision.Suppressed.class);
			assertThat(limit.inc("user-2", CAPACITY).isAdmitted()).as("another key, another slot").isTrue();
		});
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("providersAndStrategies")
	void incDetailed(RateLimit.Provider provider, RateLimit.Strategy strategy) {
		withLimit(provider, strategy, (limiter, limit) -> {
			RateLimitDecision decision = limit.incDetailed("user-1", 2);
			assertThat(decision).isInstanceOfSatisfying(RateLimitDecision.Allowed.class, (allowed) -> {
				assertThat(allowed.remaining()).isEqualTo(CAPACITY - 2);
				assertThat(allowed.resetAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(60));
			});
		});
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("providersAndStrategies")
	void isAllowed(RateLimit.Provider provider, RateLimit.Strategy strategy) {
		withLimit(provider, strategy, (limiter, limit) -> {
			assertThat(limit.isAllowed("user-1").isAdmitted()).isTrue();
			assertThat(limit.inc("user-1", CAPACITY).isAdmitted()).isTrue();
			assertThat(limit.isAllowed("user-1").isAdmitted()).isFalse();
		});
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("providersAndStrategies")
	void get(RateLimit.Provider provider, RateLimit.Strategy strategy) {
		withLimit(provider, strategy, (limiter, limit) -> {
			assertThat(limit.get("user-1").total()).isZero();
			limit.inc("user-1", 2);
			limit.inc("user-1", 2); // over capacity: rejected (absolute) or offered and declined (suppressed)
			Usage usage = limit.get("user-1");
			if (strategy == RateLimit.Strategy.ABSOLUTE) {
				assertThat(usage.total()).isEqualTo(2);
			}
			else {
				assertThat(usage.total()).isEqualTo(4);
				assertThat(usage.declined()).isEqualTo(2);
			}
		});
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("providersAndStrategies")
	void getEstimate(RateLimit.Provider provider, RateLimit.Strategy strategy) {
		withLimit(provider, strategy, (limiter, limit) -> {
			limit.inc("user-1", 2);
			assertThat(limit.getEstimate("user-1").total()).isEqualTo(2);
		});
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("providersAndStrategies")
	void getSuppressionFactor(RateLimit.Provider provider, RateLimit.Strategy strategy) {
		withLimit(provider, strategy, (limiter, limit) -> {
			assertThat(limit.getSuppressionFactor("user-1")).isZero();
			limit.inc("user-1", CAPACITY);
			limit.inc("user-1", 1);
			assertThat(limit.getSuppressionFactor("user-1"))
				.isEqualTo((strategy == RateLimit.Strategy.ABSOLUTE) ? 0.0 : 1.0);
		});
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("providersAndStrategies")
	void setIf(RateLimit.Provider provider, RateLimit.Strategy strategy) {
		withLimit(provider, strategy, (limiter, limit) -> {
			limit.inc("user-1", CAPACITY);
			assertThat(limit.setIf("user-1", CounterComparator.eq(CAPACITY), 1))
				.isEqualTo(new ConditionalSetOutcome(true, CAPACITY, 1));
			assertThat(limit.setIf("user-1", CounterComparator.eq(CAPACITY), 0))
				.isEqualTo(new ConditionalSetOutcome(false, 1, 1));
			assertThat(limit.get("user-1").total()).isEqualTo(1);
			assertThat(limit.inc("user-1", CAPACITY - 1).isAdmitted()).isTrue();
		});
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("providersAndStrategies")
	void setIfPreserveHistory(RateLimit.Provider provider, RateLimit.Strategy strategy) {
		withLimit(provider, strategy, (limiter, limit) -> {
			limit.inc("user-1", 2);
			assertThat(limit.setIfPreserveHistory("user-1", CounterComparator.nil(), 1,
					HistoryPreservation.PRESERVE_NEWEST))
				.isEqualTo(new ConditionalSetOutcome(true, 2, 1));
			assertThat(limit.get("user-1").total()).isEqualTo(1);
		});
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("providersAndStrategies")
	void refund(RateLimit.Provider provider, RateLimit.Strategy strategy) {
		withLimit(provider, strategy, (limiter, limit) -> {
			assertThat(limit.inc("user-1", CAPACITY).isAdmitted()).isTrue();
			limit.refund("user-1", 2);
			assertThat(limit.get("user-1").total()).isEqualTo(1);
			assertThat(limit.inc("user-1", 2).isAdmitted()).isTrue();
		});
	}

	/** The hybrid tick commits keys of many slots at once: each commit must reach the master of its own slot. */
	@Test
	void hybrid_commitsKeysOfEveryMasterInOneTick() {
		runner().withPropertyValues("distkit.rate-limit.on-backend-failure=fail-closed").run((context) -> {
			RateLimiter limiter = context.getBean(RateLimiter.class);
			for (RateLimit.Strategy strategy : RateLimit.Strategy.values()) {
				BoundLimit hybrid = limiter.limit(limit("many-" + strategy, RateLimit.Provider.HYBRID, strategy, 1000));
				BoundLimit redis = limiter.limit(limit("many-" + strategy, RateLimit.Provider.REDIS, strategy, 1000));
				int keys = 64;
				for (int i = 0; i < keys; i++) {
					assertThat(hybrid.inc("user-" + i).isAdmitted()).isTrue(); // synchronises: the key is new
				}
				for (int i = 0; i < keys; i++) {
					assertThat(hybrid.inc("user-" + i, i).isAdmitted()).isTrue(); // local: committed by the tick
				}
				HybridLimitEngine engine = (HybridLimitEngine) limiter.engine(RateLimit.Provider.HYBRID);
				await().atMost(Duration.ofSeconds(10)).until(() -> engine.commitQueueLength() == 0);
				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
					for (int i = 0; i < keys; i++) {
						assertThat(redis.get("user-" + i).total()).as("user-%d in Redis", i).isEqualTo(1 + i);
					}
				});
			}
			assertThat(mastersOf(context.getBean(RedisConnectionFactory.class), "many-ABSOLUTE", 64))
				.as("the keys are spread over every master")
				.hasSize(3);
		});
	}

	private static Set<String> mastersOf(RedisConnectionFactory factory, String limit, int keys) {
		Set<String> masters = new HashSet<>();
		try (RedisClusterConnection connection = factory.getClusterConnection()) {
			for (int i = 0; i < keys; i++) {
				String tag = "{" + limit + ":user-" + i + "}";
				masters.add(connection.clusterGetNodeForKey(tag.getBytes(StandardCharsets.UTF_8)).asString());
			}
		}
		return masters;
	}

}
