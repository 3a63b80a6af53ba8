package io.distkit.ratelimit;

/**
 * What a key used in its current window.
 *
 * @param total units counted in the live window (suppressed: every unit offered, admitted or not)
 * @param declined suppressed only: units refused, at most {@code total}
 * @param suppressionFactor suppressed only: the current suppression factor in [0, 1]
 * @since 0.1.0
 */
public record Usage(long total, long declined, double suppressionFactor) {

	/** Nothing used. */
	public static final Usage NONE = new Usage(0, 0, 0.0);

	/** Units admitted: {@code total - declined}. */
	public long accepted() {
		return this.total - this.declined;
	}

}
