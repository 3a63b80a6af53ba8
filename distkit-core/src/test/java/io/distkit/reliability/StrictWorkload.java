package io.distkit.reliability;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.distkit.CircuitOpenException;
import io.distkit.DistkitBackendException;
import io.distkit.counter.StrictCounter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Callers incrementing one strict counter key by 1. A call that returned is acknowledged; a call that failed after
 * it was sent may or may not have run (attempted); a call the open breaker refused was never sent.
 */
final class StrictWorkload implements Workload {

	private final StrictCounter counter;

	private final String key;

	private final AtomicLong acknowledged = new AtomicLong();

	private final AtomicLong attempted = new AtomicLong();

	private final AtomicLong failures = new AtomicLong();

	private final AtomicLong refusedByBreaker = new AtomicLong();

	private final AtomicLong slowestFailureNanos = new AtomicLong();

	private final AtomicLong slowestRefusalNanos = new AtomicLong();

	private final AtomicLong firstSuccessAfter = new AtomicLong(Long.MAX_VALUE);

	private volatile long watchFrom = Long.MAX_VALUE;

	StrictWorkload(StrictCounter counter, String key) {
		this.counter = counter;
		this.key = key;
	}

	@Override
	public String name() {
		return "strict";
	}

	@Override
	public void step() {
		long start = System.nanoTime();
		try {
			this.counter.inc(this.key, 1);
			this.attempted.incrementAndGet();
			this.acknowledged.incrementAndGet();
			long now = System.nanoTime();
			if (now >= this.watchFrom) {
				this.firstSuccessAfter.accumulateAndGet(now, Math::min);
			}
		}
		catch (CircuitOpenException ex) {
			this.refusedByBreaker.incrementAndGet();
			this.slowestRefusalNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
			LockSupport.parkNanos(1_000_000); // a caller backing off while the breaker is open
		}
		catch (DistkitBackendException ex) {
			this.attempted.incrementAndGet();
			this.failures.incrementAndGet();
			this.slowestFailureNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
		}
	}

	@Override
	public long successes() {
		return this.acknowledged.get();
	}

	@Override
	public List<String> redisKeys() {
		return List.of("{" + this.counter.options().prefix().value() + ":strict}");
	}

	/** Records the time of the first success at or after {@code nanoTime}. */
	void watchFirstSuccessFrom(long nanoTime) {
		this.firstSuccessAfter.set(Long.MAX_VALUE);
		this.watchFrom = nanoTime;
	}

	/** When the first success at or after the watched instant came, or empty. */
	java.util.OptionalLong firstSuccessAfterWatch() {
		long value = this.firstSuccessAfter.get();
		return (value == Long.MAX_VALUE) ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(value);
	}

	long acknowledged() {
		return this.acknowledged.get();
	}

	long attempted() {
		return this.attempted.get();
	}

	long failures() {
		return this.failures.get();
	}

	long refusedByBreaker() {
		return this.refusedByBreaker.get();
	}

	Duration slowestFailure() {
		return Duration.ofNanos(this.slowestFailureNanos.get());
	}

	Duration slowestRefusal() {
		return Duration.ofNanos(this.slowestRefusalNanos.get());
	}

	/** The stored total, read once Redis answers again. */
	long total(Duration timeout) {
		AtomicLong total = new AtomicLong();
		await().atMost(timeout).ignoreExceptionsInstanceOf(DistkitBackendException.class).until(() -> {
			total.set(this.counter.get(this.key));
			return true;
		});
		return total.get();
	}

	@Override
	public void verify(Duration timeout) {
		assertThat(total(timeout)).as("strict total (acknowledged %d, attempted %d)", acknowledged(), attempted())
			.isBetween(acknowledged(), attempted());
	}

	@Override
	public String toString() {
		return "strict[acknowledged=" + acknowledged() + ", attempted=" + attempted() + ", failures=" + failures()
				+ ", refusedByBreaker=" + refusedByBreaker() + ", slowestFailure=" + slowestFailure() + "]";
	}

}
