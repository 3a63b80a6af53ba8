package io.distkit.reliability;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.distkit.CircuitOpenException;
import io.distkit.DistkitBackendException;

/**
 * What the callers of a strict primitive saw. A call that returned is acknowledged; a call that failed after it was
 * sent may or may not have run (attempted); a call the open breaker refused was never sent. Shared by the strict
 * workloads so that every strict primitive is held to the same timing and counting rules. Thread-safe.
 */
final class StrictOutcomes {

	/** How one call ended. */
	enum Outcome {

		ACKNOWLEDGED, FAILED, REFUSED

	}

	private final AtomicLong acknowledged = new AtomicLong();

	private final AtomicLong attempted = new AtomicLong();

	private final AtomicLong failures = new AtomicLong();

	private final AtomicLong refusedByBreaker = new AtomicLong();

	private final AtomicLong slowestFailureNanos = new AtomicLong();

	private final AtomicLong slowestRefusalNanos = new AtomicLong();

	/** What the slowest failure threw and when it started (System.nanoTime), for the messages of the tests. */
	private volatile String slowestFailureDetail = "none";

	private final AtomicLong firstSuccessAfter = new AtomicLong(Long.MAX_VALUE);

	private volatile long watchFrom = Long.MAX_VALUE;

	/**
	 * Makes one call and counts how it ended. A caller refused by the open breaker backs off for 1 ms.
	 * @param call the call
	 * @return how it ended
	 */
	Outcome call(Runnable call) {
		long start = System.nanoTime();
		try {
			call.run();
			this.attempted.incrementAndGet();
			this.acknowledged.incrementAndGet();
			long now = System.nanoTime();
			if (now >= this.watchFrom) {
				this.firstSuccessAfter.accumulateAndGet(now, Math::min);
			}
			return Outcome.ACKNOWLEDGED;
		}
		catch (CircuitOpenException ex) {
			this.refusedByBreaker.incrementAndGet();
			this.slowestRefusalNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
			LockSupport.parkNanos(1_000_000); // a caller backing off while the breaker is open
			return Outcome.REFUSED;
		}
		catch (DistkitBackendException ex) {
			this.attempted.incrementAndGet();
			this.failures.incrementAndGet();
			long took = System.nanoTime() - start;
			if (took > this.slowestFailureNanos.getAndAccumulate(took, Math::max)) {
				this.slowestFailureDetail = Duration.ofNanos(took) + " from nanoTime " + start + ": " + ex;
			}
			return Outcome.FAILED;
		}
	}

	/** Records the time of the first success at or after {@code nanoTime}. */
	void watchFirstSuccessFrom(long nanoTime) {
		this.firstSuccessAfter.set(Long.MAX_VALUE);
		this.watchFrom = nanoTime;
	}

	/** When the first success at or after the watched instant came, or empty. */
	OptionalLong firstSuccessAfterWatch() {
		long value = this.firstSuccessAfter.get();
		return (value == Long.MAX_VALUE) ? OptionalLong.empty() : OptionalLong.of(value);
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

	/** The slowest failure: how long it took, when it started, what it threw. */
	String slowestFailureDetail() {
		return this.slowestFailureDetail;
	}

	Duration slowestRefusal() {
		return Duration.ofNanos(this.slowestRefusalNanos.get());
	}

	@Override
	public String toString() {
		return "acknowledged=" + acknowledged() + ", attempted=" + attempted() + ", failures=" + failures()
				+ ", refusedByBreaker=" + refusedByBreaker() + ", slowestFailure=" + slowestFailureDetail();
	}

}
