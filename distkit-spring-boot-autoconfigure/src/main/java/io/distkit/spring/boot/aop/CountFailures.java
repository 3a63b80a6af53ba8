package io.distkit.spring.boot.aop;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.distkit.NanoClock;

/**
 * What happens when a {@code @Counted} increment fails: it is logged (at most once a minute) and metered, and thrown
 * only when {@code distkit.counted.propagate-failures} is true.
 */
final class CountFailures {

	private static final Log logger = LogFactory.getLog(CountedInterceptor.class);

	private final AnnotationMetrics metrics;

	private final boolean propagate;

	private final ThrottledLog log;

	CountFailures(AnnotationMetrics metrics, boolean propagate, NanoClock clock) {
		this.metrics = metrics;
		this.propagate = propagate;
		this.log = new ThrottledLog(logger, Duration.ofMinutes(1), clock);
	}

	/**
	 * Handles one failed increment.
	 * @return the failure when it propagates, else {@code null}
	 */
	@Nullable RuntimeException failed(CountedOperation operation, RuntimeException failure) {
		this.metrics.countFailed(operation.name(), operation.typeName());
		if (this.propagate) {
			return failure;
		}
		this.log.warn("Could not count a call of @Counted '" + operation.name() + "' (" + operation.typeName()
				+ " counter); the call's result is unaffected (distkit.counted.propagate-failures=false)", failure);
		return null;
	}

}
