package io.distkit.spring.boot.aop;

import java.time.Duration;

import org.apache.commons.logging.Log;

import io.distkit.NanoClock;
import io.distkit.ratelimit.BoundLimit;

/**
 * Gives back the units an admitted limit took when a later limit of the same call (or web request) refused it. A
 * refund that fails is logged at most once a minute and metered ({@link AnnotationMetrics#refundFailed(String)}),
 * never thrown: its units stay taken until the window moves on. Thread-safe.
 *
 * @since 0.1.0
 */
public final class Refunds {

	private final AnnotationMetrics metrics;

	private final ThrottledLog failures;

	/**
	 * Creates the refunds of one kind of caller.
	 * @param metrics where failed refunds are metered
	 * @param logger where failed refunds are logged
	 */
	public Refunds(AnnotationMetrics metrics, Log logger) {
		this(metrics, logger, NanoClock.system());
	}

	Refunds(AnnotationMetrics metrics, Log logger, NanoClock clock) {
		this.metrics = metrics;
		this.failures = new ThrottledLog(logger, Duration.ofMinutes(1), clock);
	}

	/**
	 * Gives back {@code cost} units of {@code limit} for {@code key}.
	 * @param limit the limit
	 * @param key the key
	 * @param cost the units
	 * @param after why, for the log line, such as {@code "after a later limit rejected the call"}
	 * @return whether the units were given back
	 */
	public boolean refund(BoundLimit limit, String key, long cost, String after) {
		try {
			limit.refund(key, cost);
			return true;
		}
		catch (RuntimeException ex) {
			this.metrics.refundFailed(limit.limit().name());
			this.failures.warn("Could not refund " + cost + " unit(s) to rate limit '" + limit.limit().name() + "' "
					+ after + "; they stay taken until the window moves on", ex);
			return false;
		}
	}

}
