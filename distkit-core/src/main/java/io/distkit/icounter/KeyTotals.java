package io.distkit.icounter;

import io.distkit.RedisKey;

/**
 * A row of an instance-aware batch result: a key with its cumulative and this instance's slice. Rows come in input
 * order, one per item.
 *
 * @param key the counter key
 * @param cumulative the key's cumulative
 * @param slice this instance's slice
 * @since 0.1.0
 */
public record KeyTotals(RedisKey key, long cumulative, long slice) {

	/** The cumulative and the slice as {@link Totals}. */
	public Totals totals() {
		return new Totals(this.cumulative, this.slice);
	}

}
