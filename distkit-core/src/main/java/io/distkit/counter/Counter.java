package io.distkit.counter;

import java.util.List;

import io.distkit.CounterOverflowException;
import io.distkit.DistkitBackendException;
import io.distkit.RedisKey;

/**
 * Operations every distributed counter offers: named {@code long} values in one namespace (prefix), with
 * conditional writes and batches. A key that was never written reads as 0; values can go negative.
 *
 * <p>Every value that passes through a counter (operand, result, set value, comparator operand) must lie within
 * ±(2<sup>53</sup> − 1) ({@link CounterOverflowException#MAX_VALUE}); otherwise the operation throws
 * {@link CounterOverflowException} naming the value and writes nothing for that item. Batch results come in input
 * order, one row per item.
 *
 * <p>Implementations are thread-safe. See {@link StrictCounter} and {@code LaxCounter} for consistency and cost.
 *
 * @since 0.1.0
 */
public interface Counter {

	/**
	 * Adds {@code delta} (negative to subtract) to {@code key}.
	 * @param key the counter key
	 * @param delta the amount to add
	 * @return the value after the increment
	 * @throws CounterOverflowException if {@code delta} or the result leaves the supported range
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	long inc(RedisKey key, long delta);

	/**
	 * Adds {@code delta} (negative to subtract) to {@code key} when the caller does not need the new value: the same
	 * effect as {@link #inc(RedisKey, long)}. A {@code LaxCounter} skips computing its estimate; other counters
	 * simply call {@code inc}.
	 * @param key the counter key
	 * @param delta the amount to add
	 * @throws CounterOverflowException if {@code delta} or the result leaves the supported range
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	default void add(RedisKey key, long delta) {
		inc(key, delta);
	}

	/**
	 * Subtracts {@code delta} from {@code key}: {@code inc(key, -delta)}.
	 * @param key the counter key
	 * @param delta the amount to subtract
	 * @return the value after the decrement
	 * @throws CounterOverflowException if {@code -delta} or the result leaves the supported range (including
	 * {@code delta == Long.MIN_VALUE})
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	default long dec(RedisKey key, long delta) {
		if (delta == Long.MIN_VALUE) {
			throw new CounterOverflowException(key.value(), "9223372036854775808");
		}
		return inc(key, -delta);
	}

	/**
	 * Adds {@code delta} to {@code key} if {@code comparator} matches its current value.
	 * @param key the counter key
	 * @param comparator the condition on the current value
	 * @param delta the amount to add
	 * @return the new and old value; both the current value when the condition did not match
	 * @throws CounterOverflowException if {@code delta} or the result leaves the supported range
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	CounterUpdate incIf(RedisKey key, CounterComparator comparator, long delta);

	/**
	 * Reads {@code key}.
	 * @param key the counter key
	 * @return its value, 0 if it was never written
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	long get(RedisKey key);

	/**
	 * Sets {@code key} to {@code value}.
	 * @param key the counter key
	 * @param value the new value
	 * @return {@code value}
	 * @throws CounterOverflowException if {@code value} leaves the supported range
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	long set(RedisKey key, long value);

	/**
	 * Sets {@code key} to {@code value} if {@code comparator} matches its current value.
	 * @param key the counter key
	 * @param comparator the condition on the current value
	 * @param value the new value
	 * @return the new and old value; both the current value when the condition did not match
	 * @throws CounterOverflowException if {@code value} leaves the supported range
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	CounterUpdate setIf(RedisKey key, CounterComparator comparator, long value);

	/**
	 * Deletes {@code key}.
	 * @param key the counter key
	 * @return its value before the deletion, 0 if it did not exist
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	long del(RedisKey key);

	/**
	 * Deletes every key of this counter's namespace.
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	void clear();

	/**
	 * Reads several keys.
	 * @param keys the keys, duplicates allowed
	 * @return one row per key in input order; an empty list without contacting Redis for empty input
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	List<KeyValue> getAll(List<RedisKey> keys);

	/**
	 * Applies several increments in input order; a later item on the same key sees the earlier ones.
	 * @param deltas the increments
	 * @return one row per item in input order: the key and its value after the item
	 * @throws CounterOverflowException if an item leaves the supported range
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	List<KeyValue> incAll(List<KeyDelta> deltas);

	/**
	 * Applies several conditional increments in input order.
	 * @param items the conditional increments
	 * @return one row per item in input order
	 * @throws CounterOverflowException if an item leaves the supported range
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	List<KeyUpdate> incAllIf(List<ConditionalDelta> items);

	/**
	 * Sets several keys in input order.
	 * @param values the keys and their new values
	 * @return one row per item in input order: the key and its value after the item
	 * @throws CounterOverflowException if a value leaves the supported range
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	List<KeyValue> setAll(List<KeyValue> values);

	/**
	 * Applies several conditional sets in input order.
	 * @param items the conditional sets
	 * @return one row per item in input order
	 * @throws CounterOverflowException if a value leaves the supported range
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	List<KeyUpdate> setAllIf(List<ConditionalValue> items);

	/** {@link #inc(RedisKey, long)} with a key validated by {@link RedisKey#of(String)}. */
	default long inc(String key, long delta) {
		return inc(RedisKey.of(key), delta);
	}

	/** {@link #add(RedisKey, long)} with a key validated by {@link RedisKey#of(String)}. */
	default void add(String key, long delta) {
		add(RedisKey.of(key), delta);
	}

	/** {@link #dec(RedisKey, long)} with a key validated by {@link RedisKey#of(String)}. */
	default long dec(String key, long delta) {
		return dec(RedisKey.of(key), delta);
	}

	/** {@link #incIf(RedisKey, CounterComparator, long)} with a key validated by {@link RedisKey#of(String)}. */
	default CounterUpdate incIf(String key, CounterComparator comparator, long delta) {
		return incIf(RedisKey.of(key), comparator, delta);
	}

	/** {@link #get(RedisKey)} with a key validated by {@link RedisKey#of(String)}. */
	default long get(String key) {
		return get(RedisKey.of(key));
	}

	/** {@link #set(RedisKey, long)} with a key validated by {@link RedisKey#of(String)}. */
	default long set(String key, long value) {
		return set(RedisKey.of(key), value);
	}

	/** {@link #setIf(RedisKey, CounterComparator, long)} with a key validated by {@link RedisKey#of(String)}. */
	default CounterUpdate setIf(String key, CounterComparator comparator, long value) {
		return setIf(RedisKey.of(key), comparator, value);
	}

	/** {@link #del(RedisKey)} with a key validated by {@link RedisKey#of(String)}. */
	default long del(String key) {
		return del(RedisKey.of(key));
	}

}
