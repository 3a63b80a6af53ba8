package io.distkit.spring.boot.aop;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;

import io.distkit.NanoClock;

/**
 * Logs a recurring failure at most once per period: the first failure of a period is logged with its cause and the
 * number of failures left unlogged since the previous line. Thread-safe.
 */
final class ThrottledLog {

	private final Log logger;

	private final long periodNanos;

	private final NanoClock clock;

	private final AtomicLong nextLogAt;

	private final AtomicLong suppressed = new AtomicLong();

	ThrottledLog(Log logger, Duration period, NanoClock clock) {
		this.logger = logger;
		this.periodNanos = period.toNanos();
		this.clock = clock;
		this.nextLogAt = new AtomicLong(clock.nanoTime());
	}

	/**
	 * Logs {@code message} at WARN unless a line was logged less than one period ago.
	 * @param message what failed
	 * @param failure the cause
	 * @return whether a line was logged
	 */
	boolean warn(String message, Throwable failure) {
		long now = this.clock.nanoTime();
		long next = this.nextLogAt.get();
		if (now - next < 0 || !this.nextLogAt.compareAndSet(next, now + this.periodNanos)) {
			this.suppressed.incrementAndGet();
			return false;
		}
		long unlogged = this.suppressed.getAndSet(0);
		this.logger.warn(message + ((unlogged > 0) ? " (" + unlogged + " similar failures not logged since the last "
				+ "report; at most one line per " + Duration.ofNanos(this.periodNanos).toSeconds() + " s)" : ""),
				failure);
		return true;
	}

}
