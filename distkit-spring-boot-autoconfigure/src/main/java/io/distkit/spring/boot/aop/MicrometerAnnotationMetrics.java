package io.distkit.spring.boot.aop;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;

/**
 * {@link AnnotationMetrics} as Micrometer counters, when the application has a {@link MeterRegistry} bean:
 * {@value #REFUND_FAILURES} (tag {@code limit}) and {@value #COUNT_FAILURES} (tags {@code counter}, {@code type}).
 * The registry is looked up at the first failure, so it may be created after this object.
 *
 * @since 0.1.0
 */
public final class MicrometerAnnotationMetrics implements AnnotationMetrics {

	/** Refunds of earlier limits that failed after a later limit rejected a call. */
	public static final String REFUND_FAILURES = "distkit.ratelimit.refund.failures";

	/** {@code @Counted} increments that failed. */
	public static final String COUNT_FAILURES = "distkit.counted.failures";

	private final ObjectProvider<MeterRegistry> registry;

	/**
	 * Creates the metrics.
	 * @param registry the application's registry, if it has one
	 */
	public MicrometerAnnotationMetrics(ObjectProvider<MeterRegistry> registry) {
		this.registry = registry;
	}

	@Override
	public void refundFailed(String limit) {
		MeterRegistry registry = registry();
		if (registry != null) {
			Counter.builder(REFUND_FAILURES)
				.description("Refunds to an earlier limit of a rejected @RateLimited call that failed")
				.tag("limit", limit)
				.register(registry)
				.increment();
		}
	}

	@Override
	public void countFailed(String counter, String type) {
		MeterRegistry registry = registry();
		if (registry != null) {
			Counter.builder(COUNT_FAILURES)
				.description("@Counted increments that failed and were not counted")
				.tag("counter", counter)
				.tag("type", type)
				.register(registry)
				.increment();
		}
	}

	private @Nullable MeterRegistry registry() {
		try {
			return this.registry.getIfUnique();
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

}
