package io.distkit.counter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.ClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.distkit.CircuitBreakerOptions;
import io.distkit.CircuitOpenException;
import io.distkit.CircuitState;
import io.distkit.DistkitBackendException;
import io.distkit.RedisBackend;
import io.distkit.test.RedisProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** A Redis of the test's own, killed and restarted under load (persistence on, every write fsynced). */
class StrictCounterFaultIntegrationTests {

	private static final Duration DEADLINE = Duration.ofMillis(500);

	private RedisProcess redis;

	private LettuceConnectionFactory connectionFactory;

	private RedisBackend backend;

	private StrictCounter counter;

	@BeforeEach
	void start() {
		this.redis = RedisProcess.builder().durable().start();
		// without REJECT_COMMANDS Lettuce replays the commands in flight after reconnecting: one that already ran
		// would count twice and the total could exceed the attempted increments (see docs/reliability.md)
		this.connectionFactory = this.redis.endpoint()
			.connectionFactory(DEADLINE,
					ClientOptions.builder().disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
		this.backend = RedisBackend.builder(this.connectionFactory)
			.circuitBreaker(new CircuitBreakerOptions(5, Duration.ofSeconds(1)))
			.build();
		this.counter = StrictCounter.create(this.backend, CounterOptions.builder().prefix("faults").build());
	}

	@AfterEach
	void stop() {
		this.connectionFactory.destroy();
		this.redis.close();
	}

	@Test
	void killedUnderLoad_failsWithinDeadlineOpensBreakerAndRecoversWithoutLosingAcknowledgedWrites() throws Exception {
		AtomicLong acknowledged = new AtomicLong();
		AtomicLong attempted = new AtomicLong();
		AtomicLong slowestFailureNanos = new AtomicLong();
		AtomicLong failures = new AtomicLong();
		AtomicBoolean running = new AtomicBoolean(true);
		ExecutorService pool = Executors.newFixedThreadPool(8);
		List<Future<?>> workers = new ArrayList<>();
		for (int t = 0; t < 8; t++) {
			workers.add(pool.submit(() -> {
				while (running.get()) {
					long start = System.nanoTime();
					try {
						this.counter.inc("hits", 1);
						attempted.incrementAndGet();
						acknowledged.incrementAndGet();
					}
					catch (CircuitOpenException ex) {
						// not sent
						sleepBriefly();
					}
					catch (DistkitBackendException ex) {
						attempted.incrementAndGet();
						failures.incrementAndGet();
						slowestFailureNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
					}
				}
			}));
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> acknowledged.get() > 500);

		this.redis.kill();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.backend.circuitState() != CircuitState.CLOSED);
		assertThatExceptionOfType(DistkitBackendException.class).isThrownBy(() -> this.counter.get("hits"));
		long acknowledgedBeforeRestart = acknowledged.get();

		this.redis.restart();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> acknowledged.get() > acknowledgedBeforeRestart + 500
					&& this.backend.circuitState() == CircuitState.CLOSED);
		running.set(false);
		for (Future<?> worker : workers) {
			worker.get(10, TimeUnit.SECONDS);
		}
		pool.shutdown();

		assertThat(failures.get()).as("calls failed while Redis was down").isPositive();
		assertThat(Duration.ofNanos(slowestFailureNanos.get())).as("slowest failure")
			.isLessThan(DEADLINE.plusMillis(750));
		assertThat(this.backend.circuitOpenings()).isPositive();
		long total = this.counter.get("hits");
		assertThat(total).isBetween(acknowledged.get(), attempted.get());
	}

	private static void sleepBriefly() {
		try {
			Thread.sleep(5); // back off while the breaker is open, as a caller would
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
