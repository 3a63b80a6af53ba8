package io.distkit.internal.redis;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.distkit.CircuitBreakerOptions;
import io.distkit.CircuitOpenException;
import io.distkit.CircuitState;
import io.distkit.NanoClock;

/**
 * Counts consecutive connection failures and timeouts of one connection factory and stops calls while Redis looks
 * down. See {@link CircuitBreakerOptions} for the rules. Thread-safe and lock-free.
 */
public final class CircuitBreaker {

	private final int failureThreshold;

	private final long openForNanos;

	private final NanoClock clock;

	private final AtomicReference<CircuitState> state = new AtomicReference<>(CircuitState.CLOSED);

	private final AtomicInteger consecutiveFailures = new AtomicInteger();

	private final AtomicLong openedAt = new AtomicLong();

	private final AtomicLong opened = new AtomicLong();

	private final AtomicLong probeSentAt = new AtomicLong();

	public CircuitBreaker(CircuitBreakerOptions options, NanoClock clock) {
		this.failureThreshold = options.failureThreshold();
		this.openForNanos = options.openFor().toNanos();
		this.clock = clock;
	}

	/**
	 * Asks to send one call.
	 * @return {@code true} if the call is a half-open probe (report its outcome as for any call)
	 * @throws CircuitOpenException if the breaker is open, or half-open with a probe already in flight
	 */
	public boolean acquire() {
		CircuitState current = this.state.get();
		if (current == CircuitState.CLOSED) {
			return false;
		}
		long now = this.clock.nanoTime();
		long elapsed = now - this.openedAt.get();
		if (current == CircuitState.OPEN && elapsed >= this.openForNanos
				&& this.state.compareAndSet(CircuitState.OPEN, CircuitState.HALF_OPEN)) {
			this.probeSentAt.set(now);
			return true;
		}
		if (this.state.get() == CircuitState.CLOSED) {
			return false;
		}
		throw new CircuitOpenException(Duration.ofNanos(Math.max(0, this.openForNanos - elapsed)));
	}

	/** Reports a call that reached Redis and got an answer (including a script's error reply). */
	public void onSuccess() {
		if (this.consecutiveFailures.get() != 0) { // no shared write on the common path
			this.consecutiveFailures.set(0);
		}
		if (this.state.get() != CircuitState.CLOSED) {
			this.state.set(CircuitState.CLOSED);
		}
	}

	/**
	 * Reports a connection failure or timeout.
	 * @param probe whether the call was the half-open probe
	 */
	public void onFailure(boolean probe) {
		if (probe) {
			// the next period counts from the probe's start: a probe that times out does not add its deadline to the
			// outage, so one probe goes out every open period whatever the deadline
			open(this.probeSentAt.get());
			return;
		}
		if (this.consecutiveFailures.incrementAndGet() >= this.failureThreshold
				&& this.state.get() == CircuitState.CLOSED) {
			open(this.clock.nanoTime());
		}
	}

	/** Releases a probe that ended with neither success nor a counted failure (e.g. it was interrupted). */
	public void releaseProbe() {
		this.state.compareAndSet(CircuitState.HALF_OPEN, CircuitState.OPEN);
	}

	private void open(long at) {
		this.openedAt.set(at);
		this.state.set(CircuitState.OPEN);
		this.consecutiveFailures.set(0);
		this.opened.incrementAndGet();
	}

	public CircuitState state() {
		return this.state.get();
	}

	/** How many times the breaker has opened. */
	public long timesOpened() {
		return this.opened.get();
	}

	public Duration openFor() {
		return Duration.ofNanos(this.openForNanos);
	}

}
