package io.distkit.test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A monotonic clock that only moves when a test moves it. Pass {@code clock::nanoTime} wherever
 * distkit takes a {@code NanoClock}.
 *
 * <p>Thread-safe.
 */
public final class ManualClock {

	private final AtomicLong nanos;

	/** Starts at an arbitrary non-zero instant, as {@link System#nanoTime()} does. */
	public ManualClock() {
		this(1_000_000_000L);
	}

	public ManualClock(long startNanos) {
		this.nanos = new AtomicLong(startNanos);
	}

	public long nanoTime() {
		return this.nanos.get();
	}

	/**
	 * Moves the clock forward.
	 * @param duration how far; must not be negative
	 * @return the new time in nanoseconds
	 */
	public long advance(Duration duration) {
		if (duration.isNegative()) {
			throw new IllegalArgumentException("A monotonic clock cannot go back (duration=" + duration + ")");
		}
		return this.nanos.addAndGet(duration.toNanos());
	}

	public long advanceMillis(long millis) {
		return advance(Duration.ofMillis(millis));
	}

}
