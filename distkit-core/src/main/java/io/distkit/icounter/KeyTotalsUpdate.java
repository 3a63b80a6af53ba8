package io.distkit.icounter;

import io.distkit.RedisKey;

/**
 * A row of an instance-aware conditional batch result: the key and its totals after and before the item. Rows come in
 * input order, one per item, so duplicate keys each report their own outcome.
 *
 * @param key the counter key
 * @param newTotals the totals after the item
 * @param oldTotals the totals before it
 * @since 0.1.0
 */
public record KeyTotalsUpdate(RedisKey key, Totals newTotals, Totals oldTotals) {

}
