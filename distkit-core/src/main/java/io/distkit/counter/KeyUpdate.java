package io.distkit.counter;

import io.distkit.RedisKey;

/**
 * A row of a conditional batch's result: the key, its value after the item and before it. Rows come in input order,
 * one per item, so duplicate keys each report their own outcome.
 *
 * @param key the counter key
 * @param newValue the value after the item
 * @param oldValue the value before the item
 * @since 0.1.0
 */
public record KeyUpdate(RedisKey key, long newValue, long oldValue) {

}
