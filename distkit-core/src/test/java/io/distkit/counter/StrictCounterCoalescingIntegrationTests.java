package io.distkit.counter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.distkit.CircuitBreakerOptions;
import io.distkit.CounterOverflowException;
import io.distkit.DistkitBackendException;
import io.distkit.RedisBackend;
import io.distkit.test.RedisAdmin;
import io.distkit.test.RedisProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link CounterOptions#coalesceIncrements()}: concurrent increments of one strict key share script calls, and every
 * caller still gets its own exact result. Against a Redis of the test's own, whose command statistics count the
 * calls.
 */
class StrictCounterCoalescingIntegrationTests {

	private static final int THREADS = 32;

	private RedisProcess redis;

	private LettuceConnectionFactory connectionFactory;

	private RedisBackend backend;

	private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

	@BeforeEach
	void start() {
		this.redis = RedisProcess.start();
		this.connectionFactory = this.redis.endpoint().connectionFactory(Duration.ofMillis(500));
		this.backend = RedisBackend.builder(this.connectionFactory)
			.circuitBreaker(new CircuitBreakerOptions(1000, Duration.ofMillis(200)))
			.build();
	}

	@AfterEach
	void stop() {
		this.pool.shutdownNow();
		this.connectionFactory.destroy();
		this.redis.close();
	}

	private StrictCounter counter(boolean coalesce) {
		return StrictCounter.create(this.backend,
				CounterOptions.builder().prefix("coalesce").coalesceIncrements(coalesce).build());
	}

	@Test
	void concurrentIncrementsOfOneKeyEachGetTheirOwnValueInFewerCalls() throws Exception {
		StrictCounter counter = counter(true);
		int rounds = 300;
		counter.inc("warm", 1); // loads the script: no NOSCRIPT retry is counted below
		try (RedisAdmin admin = this.redis.endpoint().admin()) {
			admin.resetStats();
			List<Long> values = new ArrayList<>();
			for (Future<List<Long>> future : runTogether(THREADS, () -> {
				List<Long> mine = new ArrayList<>();
				for (int i = 0; i < rounds; i++) {
					mine.add(counter.inc("hot", 1));
				}
				return mine;
			})) {
				values.addAll(future.get(60, TimeUnit.SECONDS));
			}
			long total = (long) THREADS * rounds;
			// every increment produced one value of 1..total, and no two produced the same one
			assertThat(values).hasSize((int) total)
				.containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
			assertThat(counter.get("hot")).isEqualTo(total);
			long calls = admin.commandCalls("evalsha") + admin.commandCalls("eval");
			assertThat(calls).as("script calls for %d increments", total).isLessThan(total / 2);
		}
	}

	@Test
	void theValuesAreThePrefixSumsOfOneOrderOfAllIncrements() throws Exception {
		StrictCounter counter = counter(true);
		List<long[]> all = new ArrayList<>();
		int[] thread = { 0 };
		List<Future<List<long[]>>> futures = runTogether(THREADS, () -> {
			long delta;
			synchronized (thread) {
				delta = 1 + (thread[0]++ % 5); // deltas of 1 to 5
			}
			List<long[]> mine = new ArrayList<>();
			for (int i = 0; i < 200; i++) {
				mine.add(new long[] { delta, counter.inc("sizes", delta) });
			}
			return mine;
		});
		for (Future<List<long[]>> future : futures) {
			all.addAll(future.get(60, TimeUnit.SECONDS));
		}
		// positive deltas: in the order Redis applied them the values rise, so sorting by value recovers that order,
		// and then every value must be the previous one plus the caller's own delta
		all.sort((a, b) -> Long.compare(a[1], b[1]));
		long previous = 0;
		for (long[] increment : all) {
			assertThat(increment[1]).as("value after the previous one plus own delta").isEqualTo(previous + increment[0]);
			previous = increment[1];
		}
		assertThat(counter.get("sizes")).isEqualTo(previous);
	}

	@Test
	void anIncrementThatOverflowsOnItsOwnIsTheOnlyOneRefused() throws Exception {
		StrictCounter counter = counter(true);
		counter.set("edge", CounterOverflowException.MAX_VALUE - 10);
		int succeeded = 0;
		int refused = 0;
		for (Future<Long> future : runTogether(8, () -> counter.inc("edge", 3))) {
			try {
				future.get(30, TimeUnit.SECONDS);
				succeeded++;
			}
			catch (java.util.concurrent.ExecutionException ex) {
				assertThat(ex.getCause()).isInstanceOf(CounterOverflowException.class);
				refused++;
			}
		}
		assertThat(succeeded).isEqualTo(3);
		assertThat(refused).isEqualTo(5);
		assertThat(counter.get("edge")).isEqualTo(CounterOverflowException.MAX_VALUE - 1);
	}

	@Test
	void whenRedisIsDownEveryCallerFailsAndNoneWaitsForever() throws Exception {
		StrictCounter counter = counter(true);
		counter.inc("k", 1);
		this.redis.pause(); // calls time out: whether they ran is unknown, so every caller must fail
		try {
			int failed = 0;
			for (Future<Long> future : runTogether(THREADS, () -> counter.inc("k", 1))) {
				try {
					future.get(30, TimeUnit.SECONDS);
				}
				catch (java.util.concurrent.ExecutionException ex) {
					assertThat(ex.getCause()).isInstanceOf(DistkitBackendException.class);
					failed++;
				}
			}
			assertThat(failed).isEqualTo(THREADS);
		}
		finally {
			this.redis.resume();
		}
		assertThat(counter.inc("k", 1)).isGreaterThanOrEqualTo(2); // the key takes new increments again
		assertThat(((RedisStrictCounter) counter).coalescingKeys()).isZero();
	}

	@Test
	void withoutTheOptionEveryIncrementIsItsOwnCall() throws Exception {
		StrictCounter counter = counter(false);
		counter.inc("warm", 1); // loads the script: no NOSCRIPT retry is counted below
		try (RedisAdmin admin = this.redis.endpoint().admin()) {
			admin.resetStats();
			for (Future<Long> future : runTogether(THREADS, () -> counter.inc("hot", 1))) {
				future.get(30, TimeUnit.SECONDS);
			}
			assertThat(admin.commandCalls("evalsha") + admin.commandCalls("eval")).isEqualTo(THREADS);
		}
	}

	@Test
	void badInputIsRefusedBeforeAnyCall() {
		StrictCounter counter = counter(true);
		assertThatExceptionOfType(CounterOverflowException.class).isThrownBy(() -> counter.inc("k", Long.MAX_VALUE))
			.withMessageContaining("value=9223372036854775807");
		assertThat(counter.get("k")).isZero();
	}

	/** Runs {@code task} on {@code threads} threads that start together. */
	private <T> List<Future<T>> runTogether(int threads, Callable<T> task) {
		CountDownLatch go = new CountDownLatch(1);
		List<Future<T>> futures = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			futures.add(this.pool.submit(() -> {
				go.await();
				return task.call();
			}));
		}
		go.countDown();
		return futures;
	}

}
