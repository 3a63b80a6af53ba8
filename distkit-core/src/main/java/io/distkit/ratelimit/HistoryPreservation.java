package io.distkit.ratelimit;

/**
 * How a conditional set that preserves history reshapes the buckets to reach its target total.
 *
 * @since 0.1.0
 */
public enum HistoryPreservation {

	/** Keep the newest history: remove from the oldest buckets, add to the newest. */
	PRESERVE_NEWEST,

	/** Keep the oldest history: remove from the newest buckets, add to the oldest. */
	PRESERVE_OLDEST

}
