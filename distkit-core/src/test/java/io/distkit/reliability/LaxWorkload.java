package io.distkit.reliability;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.distkit.DistkitBackendException;
import io.distkit.RedisBackend;
import io.distkit.counter.CounterOptions;
import io.distkit.counter.LaxCounter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Callers incrementing lax counter keys by 1; every increment must reach Redis exactly once. */
final class LaxWorkload implements Workload {

	/** Callers pause between operations, so a 2-core machine keeps serving the other workloads. */
	private static final long PACE_NANOS = 100_000;

	private static final int KEYS = 4;

	private final LaxCounter counter;

	private final RedisBackend backend;

	private final AtomicLong increments = new AtomicLong();

	private final AtomicLong slowestNanos = new AtomicLong();

	private final AtomicLong synchronousFailures = new AtomicLong();

	LaxWorkload(LaxCounter counter, RedisBackend backend) {
		this.counter = counter;
		this.backend = backend;
	}

	@Override
	public String name() {
		return "lax";
	}

	@Override
	public void step() {
		long start = System.nanoTime();
		long n = this.increments.incrementAndGet();
		this.counter.inc("hits-" + (n % KEYS), 1); // buffered: never waits for Redis, never fails for a known key
		this.slowestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
		if (n % 200 == 0) {
			try { // callers also read (a synchronous load when stale) and flush (synchronous)
				this.counter.get("hits-" + (n % KEYS));
				if (n % 1000 == 0) {
					this.counter.flush();
				}
			}
			catch (DistkitBackendException ex) {
				this.synchronousFailures.incrementAndGet();
			}
		}
		LockSupport.parkNanos(PACE_NANOS);
	}

	@Override
	public long successes() {
		return this.increments.get();
	}

	@Override
	public List<String> redisKeys() {
		return List.of("{" + this.counter.options().prefix().value() + ":lax}");
	}

	/** The slowest {@code inc}: buffered increments never wait for Redis. */
	Duration slowestIncrement() {
		return Duration.ofNanos(this.slowestNanos.get());
	}

	/** Synchronous reads and flushes by callers that failed. */
	long synchronousFailures() {
		return this.synchronousFailures.get();
	}

	@Override
	public void verify(Duration timeout) {
		await().atMost(timeout).ignoreExceptionsInstanceOf(DistkitBackendException.class).until(() -> {
			this.counter.flush();
			return this.counter.pendingKeys() == 0;
		});
		// another writer reads what Redis holds
		try (LaxCounter reader = LaxCounter.create(this.backend,
				CounterOptions.builder().prefix(this.counter.options().prefix()).build())) {
			long total = 0;
			for (int i = 0; i < KEYS; i++) {
				total += reader.get("hits-" + i);
			}
			assertThat(total).as("lax total in Redis").isEqualTo(this.increments.get());
		}
	}

	@Override
	public String toString() {
		return "lax[increments=" + this.increments.get() + ", synchronousFailures=" + synchronousFailures()
				+ ", slowestIncrement=" + slowestIncrement() + "]";
	}

}
