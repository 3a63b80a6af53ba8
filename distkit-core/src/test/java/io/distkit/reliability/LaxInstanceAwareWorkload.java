package io.distkit.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import io.distkit.DistkitBackendException;
import io.distkit.RedisBackend;
import io.distkit.RedisKey;
import io.distkit.icounter.KeyTotals;
import io.distkit.icounter.LaxInstanceAwareCounter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Callers incrementing keys by 1 on several lax instance-aware counters (instances of one application sharing a
 * prefix), in turn; callers also read and flush now and then (synchronous, may fail while Redis is away). The
 * guarantee once Redis is healthy again: every increment reached Redis exactly once — each instance's slice of each
 * key equals its increments and the cumulative their sum (nobody is reaped: the outages are far shorter than the
 * dead-instance threshold).
 */
final class LaxInstanceAwareWorkload implements Workload {

	/** Callers pause between operations, so a 2-core machine keeps serving the other workloads. */
	private static final long PACE_NANOS = 100_000;

	private static final int KEYS = 4;

	private final List<LaxInstanceAwareCounter> instances;

	private final RedisBackend backend;

	/** Increments per instance and key: index {@code instance * KEYS + key}. */
	private final AtomicLongArray increments;

	private final AtomicLong calls = new AtomicLong();

	private final AtomicLong total = new AtomicLong();

	private final AtomicLong slowestNanos = new AtomicLong();

	private final AtomicLong synchronousFailures = new AtomicLong();

	LaxInstanceAwareWorkload(List<LaxInstanceAwareCounter> instances, RedisBackend backend) {
		if (instances.isEmpty()) {
			throw new IllegalArgumentException("At least one instance is needed");
		}
		this.instances = List.copyOf(instances);
		this.backend = backend;
		this.increments = new AtomicLongArray(instances.size() * KEYS);
	}

	@Override
	public String name() {
		return "lax-instance-aware";
	}

	@Override
	public void step() {
		long n = this.calls.getAndIncrement();
		int key = (int) (n % KEYS);
		int i = (int) ((n / KEYS) % this.instances.size());
		LaxInstanceAwareCounter instance = this.instances.get(i);
		long start = System.nanoTime();
		instance.inc("hits-" + key, 1); // buffered: never waits for Redis, never fails for a known key
		this.slowestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
		this.increments.incrementAndGet(i * KEYS + key);
		this.total.incrementAndGet();
		if (n % 200 == 0) {
			try { // callers also read (a synchronous load when stale) and flush (synchronous)
				instance.get("hits-" + key);
				if (n % 1000 == 0) {
					instance.flush();
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
		return this.total.get();
	}

	@Override
	public List<String> redisKeys() {
		return List.of("{" + this.instances.get(0).options().prefix().value() + ":lia}");
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
			for (LaxInstanceAwareCounter instance : this.instances) {
				instance.flush();
			}
			return this.instances.stream().allMatch((instance) -> instance.pendingKeys() == 0);
		});
		List<RedisKey> keys = new ArrayList<>(KEYS);
		for (int k = 0; k < KEYS; k++) {
			keys.add(RedisKey.of("hits-" + k));
		}
		// another instance, with nothing buffered or cached, reads what Redis holds
		try (LaxInstanceAwareCounter reader = LaxInstanceAwareCounter.create(this.backend,
				this.instances.get(0).options())) {
			List<KeyTotals> stored = reader.getAll(keys);
			long sum = 0;
			for (int k = 0; k < KEYS; k++) {
				long expected = 0;
				for (int i = 0; i < this.instances.size(); i++) {
					expected += this.increments.get(i * KEYS + k);
				}
				assertThat(stored.get(k).cumulative()).as("cumulative of hits-%d in Redis", k).isEqualTo(expected);
				sum += stored.get(k).cumulative();
			}
			assertThat(sum).as("lax instance-aware total in Redis").isEqualTo(this.total.get());
		}
		for (int i = 0; i < this.instances.size(); i++) {
			List<KeyTotals> own = this.instances.get(i).getAll(keys);
			for (int k = 0; k < KEYS; k++) {
				assertThat(own.get(k).slice()).as("slice of instance %d for hits-%d", i, k)
					.isEqualTo(this.increments.get(i * KEYS + k));
			}
		}
	}

	@Override
	public String toString() {
		return "lax-instance-aware[increments=" + this.total.get() + ", synchronousFailures=" + synchronousFailures()
				+ ", slowestIncrement=" + slowestIncrement() + "]";
	}

}
