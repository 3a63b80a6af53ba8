package io.distkit.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.ClientOptions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.distkit.CircuitBreakerOptions;
import io.distkit.CircuitState;
import io.distkit.RedisBackend;
import io.distkit.RedisKey;
import io.distkit.counter.CounterOptions;
import io.distkit.counter.LaxCounter;
import io.distkit.counter.StrictCounter;
import io.distkit.icounter.InstanceAwareCounter;
import io.distkit.icounter.InstanceAwareOptions;
import io.distkit.icounter.LaxInstanceAwareCounter;
import io.distkit.icounter.StrictInstanceAwareCounter;
import io.distkit.ratelimit.BackendFailurePolicy;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.test.RedisProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Strict and lax counters, strict and lax instance-aware counters (two instances each) and the hybrid rate limiter
 * under concurrent load against a Redis of the test's own that is restarted, has its scripts flushed, or is frozen
 * with {@code SIGSTOP}. Killing Redis under load is covered by
 * {@code StrictCounterFaultIntegrationTests} and {@code LaxCounterFaultIntegrationTests}, unreachable Redis at
 * application start by {@code DistkitRedisUnreachableAtStartupTests} (auto-configuration module).
 */
class StandaloneFaultIntegrationTests {

	private static final Log logger = LogFactory.getLog(StandaloneFaultIntegrationTests.class);

	private static final Duration DEADLINE = Duration.ofMillis(500);

	private static final Duration OPEN_FOR = Duration.ofSeconds(1);

	private RedisProcess redis;

	private LettuceConnectionFactory connectionFactory;

	private RedisBackend backend;

	private LaxCounter laxCounter;

	private RateLimiter limiter;

	private final List<InstanceAwareCounter> instanceAwareCounters = new ArrayList<>();

	private void start(RedisProcess.Builder redis) {
		this.redis = redis.start();
		// commands in flight when the connection drops fail instead of being replayed after the reconnect (a strict
		// increment that already ran would be applied twice); distkit's dedicated connection is configured this way
		this.connectionFactory = this.redis.endpoint()
			.connectionFactory(DEADLINE,
					ClientOptions.builder().disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
		this.backend = RedisBackend.builder(this.connectionFactory)
			.circuitBreaker(new CircuitBreakerOptions(5, OPEN_FOR))
			.build();
	}

	@AfterEach
	void stop() {
		this.instanceAwareCounters.forEach(InstanceAwareCounter::close);
		if (this.laxCounter != null) {
			this.laxCounter.close();
		}
		if (this.limiter != null) {
			this.limiter.close();
		}
		if (this.connectionFactory != null) {
			this.connectionFactory.destroy();
		}
		if (this.redis != null) {
			this.redis.close();
		}
	}

	private StrictWorkload strict() {
		return new StrictWorkload(StrictCounter.create(this.backend, CounterOptions.builder().prefix("faults").build()),
				"hits");
	}

	private LaxWorkload lax() {
		this.laxCounter = LaxCounter.create(this.backend, CounterOptions.builder().prefix("faults").build());
		return new LaxWorkload(this.laxCounter, this.backend);
	}

	private HybridWorkload hybrid(BackendFailurePolicy policy) {
		this.limiter = RateLimiter.builder()
			.redis(this.backend, RedisKey.prefix("faults"))
			.onBackendFailure(policy, OPEN_FOR)
			.build();
		return new HybridWorkload(this.limiter, "faults");
	}

	/** Default liveness (threshold 30 s): the outages here are far shorter, so nobody may be reaped. */
	private InstanceAwareOptions instanceAwareOptions() {
		return InstanceAwareOptions.builder().prefix("faults").shutdownTimeout(Duration.ofSeconds(2)).build();
	}

	private StrictInstanceAwareWorkload strictInstanceAware() {
		List<StrictInstanceAwareCounter> instances = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			instances.add(StrictInstanceAwareCounter.create(this.backend, instanceAwareOptions()));
		}
		this.instanceAwareCounters.addAll(instances);
		return new StrictInstanceAwareWorkload(instances, "connections");
	}

	private LaxInstanceAwareWorkload laxInstanceAware() {
		List<LaxInstanceAwareCounter> instances = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			instances.add(LaxInstanceAwareCounter.create(this.backend, instanceAwareOptions()));
		}
		this.instanceAwareCounters.addAll(instances);
		return new LaxInstanceAwareWorkload(instances, this.backend);
	}

	@Test
	void restartedUnderConcurrentLoad_strictFailsWithinTheDeadlineThenSucceeds_laxAndHybridConvergeExactly() {
		start(RedisProcess.builder().durable());
		StrictWorkload strict = strict();
		LaxWorkload lax = lax();
		HybridWorkload hybrid = hybrid(BackendFailurePolicy.FAIL_OPEN);
		StrictInstanceAwareWorkload strictInstanceAware = strictInstanceAware();
		LaxInstanceAwareWorkload laxInstanceAware = laxInstanceAware();
		try (LoadRunner load = LoadRunner.start(3, strict, lax, hybrid, strictInstanceAware, laxInstanceAware)) {
			load.awaitProgress(300, Duration.ofSeconds(20));
			this.redis.stop();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.backend.circuitOpenings() > 0);
			long failuresWhileDown = strict.failures() + strictInstanceAware.failures();
			this.redis.restart();
			load.awaitProgress(300, Duration.ofSeconds(30));
			load.stop(DEADLINE.multipliedBy(3));
			assertThat(failuresWhileDown).as("strict calls failed while Redis was down").isPositive();
		}
		logger.info("Restarted under load: " + strict + ", " + lax + ", " + hybrid + ", " + strictInstanceAware + ", "
				+ laxInstanceAware);
		assertStrictCallsMetTheDeadlineOrTheBreaker(strict.slowestFailure(), strict.slowestFailureDetail(),
				strict.slowestRefusal());
		assertStrictCallsMetTheDeadlineOrTheBreaker(strictInstanceAware.slowestFailure(),
				strictInstanceAware.slowestFailureDetail(), strictInstanceAware.slowestRefusal());
		assertThat(lax.slowestIncrement()).as("slowest lax increment: never waits for Redis").isLessThan(DEADLINE);
		assertThat(laxInstanceAware.slowestIncrement()).as("slowest lax instance-aware increment").isLessThan(DEADLINE);
		assertThat(this.backend.circuitState()).isEqualTo(CircuitState.CLOSED);
		strict.verify(Duration.ofSeconds(10));
		lax.verify(Duration.ofSeconds(10));
		hybrid.verify(Duration.ofSeconds(10));
		strictInstanceAware.verify(Duration.ofSeconds(10));
		laxInstanceAware.verify(Duration.ofSeconds(10));
	}

	@Test
	void scriptFlushUnderLoad_noErrorReachesACaller() {
		start(RedisProcess.builder());
		StrictWorkload strict = strict();
		LaxWorkload lax = lax();
		HybridWorkload hybrid = hybrid(BackendFailurePolicy.FAIL_CLOSED); // a failed decision would throw
		StrictInstanceAwareWorkload strictInstanceAware = strictInstanceAware();
		LaxInstanceAwareWorkload laxInstanceAware = laxInstanceAware();
		try (LoadRunner load = LoadRunner.start(3, strict, lax, hybrid, strictInstanceAware, laxInstanceAware)) {
			load.awaitProgress(100, Duration.ofSeconds(20));
			for (int i = 0; i < 20; i++) {
				assertThat(this.redis.query("SCRIPT", "FLUSH")).isEqualTo("OK");
				load.awaitProgress(20, Duration.ofSeconds(20));
			}
			load.stop(DEADLINE.multipliedBy(3)); // fails if any exception reached a caller
		}
		logger.info("SCRIPT FLUSH under load: " + strict + ", " + lax + ", " + hybrid + ", " + strictInstanceAware
				+ ", " + laxInstanceAware);
		assertThat(strict.failures()).as("strict calls that failed").isZero();
		assertThat(strictInstanceAware.failures()).as("strict instance-aware calls that failed").isZero();
		assertThat(lax.synchronousFailures()).as("lax reads and flushes that failed").isZero();
		assertThat(laxInstanceAware.synchronousFailures()).as("lax instance-aware reads and flushes that failed")
			.isZero();
		assertThat(hybrid.degraded()).as("hybrid decisions that failed").isZero();
		assertThat(this.backend.circuitOpenings()).isZero();
		strict.verify(Duration.ofSeconds(10));
		lax.verify(Duration.ofSeconds(10));
		hybrid.verify(Duration.ofSeconds(10));
		strictInstanceAware.verify(Duration.ofSeconds(10));
		laxInstanceAware.verify(Duration.ofSeconds(10));
	}

	@Test
	void pausedWithSigstop_callersSeeTheDeadlineAndTheBreakerNotHangs_andTheProbeClosesTheBreaker() {
		start(RedisProcess.builder());
		StrictWorkload strict = strict();
		LaxWorkload lax = lax();
		HybridWorkload hybrid = hybrid(BackendFailurePolicy.FAIL_OPEN);
		StrictInstanceAwareWorkload strictInstanceAware = strictInstanceAware();
		LaxInstanceAwareWorkload laxInstanceAware = laxInstanceAware();
		try (LoadRunner load = LoadRunner.start(3, strict, lax, hybrid, strictInstanceAware, laxInstanceAware)) {
			load.awaitProgress(300, Duration.ofSeconds(20));
			logger.info("SIGSTOP at nanoTime " + System.nanoTime());
			this.redis.pause();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.backend.circuitState() == CircuitState.OPEN);
			long refusedBefore = strict.refusedByBreaker() + strictInstanceAware.refusedByBreaker();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> strict.refusedByBreaker() + strictInstanceAware.refusedByBreaker() > refusedBefore + 100);
			this.redis.resume();
			long resumedAt = System.nanoTime();
			logger.info("SIGCONT at nanoTime " + resumedAt);
			await().atMost(OPEN_FOR.plus(DEADLINE).plusSeconds(5))
				.until(() -> this.backend.circuitState() == CircuitState.CLOSED);
			logger.info("Breaker closed " + Duration.ofNanos(System.nanoTime() - resumedAt) + " after SIGCONT");
			load.awaitProgress(300, Duration.ofSeconds(20));
			load.stop(DEADLINE.multipliedBy(3));
		}
		logger.info("Paused under load: " + strict + ", " + lax + ", " + hybrid + ", " + strictInstanceAware + ", "
				+ laxInstanceAware);
		assertThat(strict.failures() + strictInstanceAware.failures()).as("strict calls that met the deadline")
			.isPositive();
		assertStrictCallsMetTheDeadlineOrTheBreaker(strict.slowestFailure(), strict.slowestFailureDetail(),
				strict.slowestRefusal());
		assertStrictCallsMetTheDeadlineOrTheBreaker(strictInstanceAware.slowestFailure(),
				strictInstanceAware.slowestFailureDetail(), strictInstanceAware.slowestRefusal());
		assertThat(lax.slowestIncrement()).as("slowest lax increment: never waits for Redis").isLessThan(DEADLINE);
		assertThat(laxInstanceAware.slowestIncrement()).as("slowest lax instance-aware increment").isLessThan(DEADLINE);
		strict.verify(Duration.ofSeconds(10));
		lax.verify(Duration.ofSeconds(10));
		hybrid.verify(Duration.ofSeconds(10));
		strictInstanceAware.verify(Duration.ofSeconds(10));
		laxInstanceAware.verify(Duration.ofSeconds(10));
	}

	/** A strict call fails within the deadline (plus scheduling slack), and the open breaker refuses without I/O. */
	private static void assertStrictCallsMetTheDeadlineOrTheBreaker(Duration slowestFailure, String detail,
			Duration slowestRefusal) {
		assertThat(slowestFailure).as("slowest strict failure (%s)", detail).isLessThan(DEADLINE.plusMillis(750));
		assertThat(slowestRefusal).as("slowest refusal by the open breaker: no I/O, never the deadline")
			.isLessThan(DEADLINE);
	}

}
