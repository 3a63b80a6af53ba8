package io.distkit.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.distkit.RedisIntegrationSupport;
import io.distkit.RedisKey;
import io.distkit.ratelimit.RateLimitDecision.Rejected;

import static io.distkit.counter.CounterComparator.nil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The hybrid provider with two instances on one Redis: spec §10.7 and §10.8 scenarios. */
class HybridLimitEngineIntegrationTests extends RedisIntegrationSupport {

	private final List<RateLimiter> limiters = new ArrayList<>();

	@AfterEach
	void close() {
		this.limiters.forEach(RateLimiter::close);
	}

	private BoundLimit instance(Duration syncInterval, RateLimit limit) {
		RateLimiter limiter = RateLimiter.builder()
			.redis(backend, RedisKey.prefix(this.prefix))
			.syncInterval(syncInterval)
			.limit(limit)
			.build();
		this.limiters.add(limiter);
		return limiter.limit(limit.name());
	}

	private static RateLimit limit(long capacity) {
		return RateLimit.builder("h").capacity(capacity).window(Duration.ofSeconds(60)).provider(RateLimit.Provider.HYBRID)
			.build();
	}

	@Test
	void localBudgetIsInvisibleUntilCommittedThenShared() { // HA-05
		RateLimit limit = limit(5);
		BoundLimit a = instance(Duration.ofSeconds(60), limit);
		BoundLimit b = instance(Duration.ofSeconds(60), limit);
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
	void tickCommitsExactly() throws Exception { // HA-27
		RateLimit limit = limit(1_000_000);
		BoundLimit a = instance(Duration.ofMillis(25), limit);
		ExecutorService pool = Executors.newFixedThreadPool(8);
		List<Future<?>> futures = new ArrayList<>();
		for (int t = 0; t < 8; t++) {
			futures.add(pool.submit(() -> {
				for (int i = 0; i < 1000; i++) {
					assertThat(a.inc("k").isAdmitted()).isTrue();
				}
			}));
		}
		for (Future<?> future : futures) {
			future.get(30, TimeUnit.SECONDS);
		}
		pool.shutdown();
		BoundLimit reader = instance(Duration.ofSeconds(60), limit);
		await().atMost(Duration.ofSeconds(5)).until(() -> reader.get("k").total() == 8000);
	}

	@Test
	void estimateAnswersLocallyGetReadsRedis() { // HA-14, HA-15
		RateLimit limit = limit(100);
		BoundLimit writer = instance(Duration.ofSeconds(60), limit);
		BoundLimit reader = instance(Duration.ofSeconds(60), limit);
		writer.setIf("k", nil(), 5);
		assertThat(reader.getEstimate("k").total()).isEqualTo(5);
		reader.inc("k", 0);
		writer.setIf("k", nil(), 9);
		assertThat(reader.getEstimate("k").total()).as("local view").isEqualTo(5);
		assertThat(reader.get("k").total()).isEqualTo(9);
	}

	@Test
	void setIfCommitsPendingFirst() { // HA-22
		RateLimit limit = limit(100);
		BoundLimit a = instance(Duration.ofSeconds(60), limit);
		for (int i = 0; i < 5; i++) {
			a.inc("k");
		}
		assertThat(a.setIf("k", io.distkit.counter.CounterComparator.lt(3), 3))
			.isEqualTo(new ConditionalSetOutcome(false, 5, 5));
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
		io.distkit.ratelimit.hybrid.HybridLimitEngine engine = (io.distkit.ratelimit.hybrid.HybridLimitEngine) limiter
			.engine(RateLimit.Provider.HYBRID);
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

}
