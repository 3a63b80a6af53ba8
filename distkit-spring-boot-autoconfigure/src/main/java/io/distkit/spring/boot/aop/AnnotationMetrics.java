package io.distkit.spring.boot.aop;

/**
 * Meters the failures distkit's annotations absorb instead of throwing. Tags are limit and counter names, never keys.
 * Implementations are thread-safe and must not throw.
 *
 * @since 0.1.0
 */
public interface AnnotationMetrics {

	/**
	 * A refund to an earlier limit of a rejected call failed (the units stay taken until the window moves on).
	 * @param limit the limit's name
	 */
	void refundFailed(String limit);

	/**
	 * A {@code @Counted} increment failed and was not counted.
	 * @param counter the count's name
	 * @param type {@code strict} or {@code lax}
	 */
	void countFailed(String counter, String type);

	/**
	 * Meters nothing.
	 * @return the no-op metrics
	 */
	static AnnotationMetrics none() {
		return NoAnnotationMetrics.INSTANCE;
	}

}

enum NoAnnotationMetrics implements AnnotationMetrics {

	INSTANCE;

	@Override
	public void refundFailed(String limit) {
	}

	@Override
	public void countFailed(String counter, String type) {
	}

}
