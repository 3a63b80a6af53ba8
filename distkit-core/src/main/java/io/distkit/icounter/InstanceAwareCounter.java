package io.distkit.icounter;

import java.util.List;

import io.distkit.CounterOverflowException;
import io.distkit.DistkitBackendException;
import io.distkit.RedisKey;
import io.distkit.counter.ConditionalDelta;
import io.distkit.counter.ConditionalValue;
import io.distkit.counter.CounterComparator;
import io.distkit.counter.KeyDelta;
import io.distkit.counter.KeyValue;

/**
 * Operations both instance-aware counters offer. Every counter object is one <em>instance</em> with a unique
 * {@link #instanceId()}; for each key it owns a <em>slice</em>, and the key's <em>cumulative</em> is the sum of the
 * slices of the live instances. Increments change this instance's slice; a global {@code set} or {@code del} replaces
 * the whole value, after which the other instances' earlier slices no longer count; {@code setOnInstance},
 * {@code delOnInstance} and {@code clearOnInstance} touch only this instance's slices. An instance that sends no
 * heartbeat for {@link InstanceAwareOptions#deadInstanceThreshold()} is dead: the next call of any live instance
 * removes its slices from the cumulatives. If it comes back, it adds them back (those the key's epoch still matches).
 *
 * <p>Every operation returns the cumulative and this instance's slice ({@link Totals}). A slice that stopped counting
 * (another instance set or deleted the key, or cleared the namespace, since it was written) reads as 0. Values follow
 * {@link io.distkit.counter.Counter}: within ±(2<sup>53</sup> − 1), else {@link CounterOverflowException}. Batch
 * results come in input order, one row per item. Reads are writes too: every call refreshes this instance's heartbeat
 * and does a bounded step of reaping, so none can be served by a replica.
 *
 * <p>Implementations are thread-safe. Close them when done: {@link #close()} stops the heartbeat and, by default,
 * removes this instance's slices.
 *
 * @since 0.1.0
 */
public interface InstanceAwareCounter extends AutoCloseable {

	/** This instance's id: the configured prefix and a random suffix, unique per counter object. */
	String instanceId();

	/** The options this counter was created with. */
	InstanceAwareOptions options();

	/**
	 * Counts the instances of this container whose heartbeat is younger than the dead-instance threshold (one Redis
	 * call, no write).
	 * @return the live instances, this one included once it has reached Redis
	 * @throws io.distkit.DistkitBackendException if Redis failed
	 */
	long liveInstances();

	/**
	 * Adds {@code delta} to this instance's slice of {@code key} (and so to the cumulative).
	 * @param key the counter key
	 * @param delta the amount to add, negative to subtract
	 * @return the totals after the increment
	 * @throws CounterOverflowException if {@code delta}, the slice or the cumulative leaves the supported range
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	Totals inc(RedisKey key, long delta);

	/**
	 * Subtracts {@code delta}: {@code inc(key, -delta)}.
	 * @param key the counter key
	 * @param delta the amount to subtract
	 * @return the totals after the decrement
	 * @throws CounterOverflowException if {@code -delta} or a result leaves the supported range
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	default Totals dec(RedisKey key, long delta) {
		if (delta == Long.MIN_VALUE) {
			throw new CounterOverflowException(key.value(), "9223372036854775808");
		}
		return inc(key, -delta);
	}

	/**
	 * Adds {@code delta} to this instance's slice if {@code comparator} matches the cumulative.
	 * @param key the counter key
	 * @param comparator the condition on the cumulative
	 * @param delta the amount to add
	 * @return the totals after and before; both the current totals when the condition did not match
	 * @throws CounterOverflowException if a value leaves the supported range
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	TotalsUpdate incIf(RedisKey key, CounterComparator comparator, long delta);

	/**
	 * Reads {@code key}.
	 * @param key the counter key
	 * @return the cumulative and this instance's slice; (0, 0) for a key never written
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	Totals get(RedisKey key);

	/**
	 * Sets the whole value of {@code key}: the cumulative becomes {@code value}, this instance's slice holds all of it
	 * and every other instance's slice stops counting.
	 * @param key the counter key
	 * @param value the new value
	 * @return ({@code value}, {@code value})
	 * @throws CounterOverflowException if {@code value} leaves the supported range
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	Totals set(RedisKey key, long value);

	/**
	 * Sets the whole value of {@code key} if {@code comparator} matches the cumulative.
	 * @param key the counter key
	 * @param comparator the condition on the cumulative
	 * @param value the new value
	 * @return the totals after and before; both the current totals when the condition did not match
	 * @throws CounterOverflowException if {@code value} leaves the supported range
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	TotalsUpdate setIf(RedisKey key, CounterComparator comparator, long value);

	/**
	 * Sets this instance's slice of {@code key} to {@code value}; the cumulative moves by the difference.
	 * @param key the counter key
	 * @param value the new slice
	 * @return the totals after the write
	 * @throws CounterOverflowException if {@code value} or the cumulative leaves the supported range
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	Totals setOnInstance(RedisKey key, long value);

	/**
	 * Sets this instance's slice of {@code key} to {@code value} if {@code comparator} matches the slice.
	 * @param key the counter key
	 * @param comparator the condition on this instance's slice
	 * @param value the new slice
	 * @return the totals after and before; both the current totals when the condition did not match
	 * @throws CounterOverflowException if a value leaves the supported range
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	TotalsUpdate setOnInstanceIf(RedisKey key, CounterComparator comparator, long value);

	/**
	 * Deletes {@code key} for every instance: the cumulative goes and every slice stops counting.
	 * @param key the counter key
	 * @return the cumulative and this instance's slice before the deletion (0 for a slice that did not count)
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	Totals del(RedisKey key);

	/**
	 * Removes this instance's slice of {@code key}; the cumulative drops by it.
	 * @param key the counter key
	 * @return the cumulative after the removal and the slice removed (0 for a slice that did not count)
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	Totals delOnInstance(RedisKey key);

	/**
	 * Deletes every key of the namespace for every instance. Nothing written before counts again, not even the
	 * slices of an instance that was reaped and comes back.
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	void clear();

	/**
	 * Removes every slice of this instance; the cumulatives drop by them. Runs in steps of at most 1,000 keys (one
	 * script call each): until the last step, the cumulatives still include the slices not removed yet.
	 * @throws DistkitBackendException if Redis failed or did not answer in time (the steps done stay done)
	 */
	void clearOnInstance();

	/**
	 * Reads several keys.
	 * @param keys the keys, duplicates allowed
	 * @return one row per key in input order; an empty list without contacting Redis for empty input
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	List<KeyTotals> getAll(List<RedisKey> keys);

	/**
	 * Reads this instance's slices of several keys. This reads Redis (a lax counter: like {@link #getAll(List)}, keys
	 * whose local copy is older than the allowed lag), because another instance's global write may have made a slice
	 * stop counting.
	 * @param keys the keys, duplicates allowed
	 * @return one row per key in input order with this instance's slice
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	List<KeyValue> getAllOnInstance(List<RedisKey> keys);

	/**
	 * Applies several increments of this instance's slices in input order; a later item on the same key sees the
	 * earlier ones.
	 * @param deltas the increments
	 * @return one row per item in input order: the key and its totals after the item
	 * @throws CounterOverflowException if an item leaves the supported range
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	List<KeyTotals> incAll(List<KeyDelta> deltas);

	/**
	 * Applies several conditional increments in input order; each condition sees the cumulative after the earlier
	 * items.
	 * @param items the conditional increments
	 * @return one row per item in input order
	 * @throws CounterOverflowException if an item leaves the supported range
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	List<KeyTotalsUpdate> incAllIf(List<ConditionalDelta> items);

	/**
	 * Applies several global sets in input order.
	 * @param values the keys and their new values
	 * @return one row per item in input order: the key and its totals after the item
	 * @throws CounterOverflowException if a value leaves the supported range
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	List<KeyTotals> setAll(List<KeyValue> values);

	/**
	 * Applies several conditional global sets in input order.
	 * @param items the conditional sets (conditions on the cumulative)
	 * @return one row per item in input order
	 * @throws CounterOverflowException if a value leaves the supported range
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	List<KeyTotalsUpdate> setAllIf(List<ConditionalValue> items);

	/**
	 * Sets several of this instance's slices in input order.
	 * @param values the keys and the new slices
	 * @return one row per item in input order: the key and its totals after the item
	 * @throws CounterOverflowException if a value leaves the supported range
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	List<KeyTotals> setAllOnInstance(List<KeyValue> values);

	/**
	 * Applies several conditional sets of this instance's slices in input order.
	 * @param items the conditional sets (conditions on this instance's slice)
	 * @return one row per item in input order
	 * @throws CounterOverflowException if a value leaves the supported range
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	List<KeyTotalsUpdate> setAllOnInstanceIf(List<ConditionalValue> items);

	/**
	 * Stops the heartbeat (a lax counter first flushes what it buffered) and, if
	 * {@link InstanceAwareOptions#removeOnClose()}, removes this instance's slices and deregisters it, all within
	 * {@link InstanceAwareOptions#shutdownTimeout()}. Otherwise the slices stay counted until the instance is reaped,
	 * as after a crash. Failures are logged. After it, every operation throws {@link IllegalStateException}.
	 * Idempotent.
	 */
	@Override
	void close();

	/** {@link #inc(RedisKey, long)} with a key validated by {@link RedisKey#of(String)}. */
	default Totals inc(String key, long delta) {
		return inc(RedisKey.of(key), delta);
	}

	/** {@link #dec(RedisKey, long)} with a key validated by {@link RedisKey#of(String)}. */
	default Totals dec(String key, long delta) {
		return dec(RedisKey.of(key), delta);
	}

	/** {@link #incIf(RedisKey, CounterComparator, long)} with a key validated by {@link RedisKey#of(String)}. */
	default TotalsUpdate incIf(String key, CounterComparator comparator, long delta) {
		return incIf(RedisKey.of(key), comparator, delta);
	}

	/** {@link #get(RedisKey)} with a key validated by {@link RedisKey#of(String)}. */
	default Totals get(String key) {
		return get(RedisKey.of(key));
	}

	/** {@link #set(RedisKey, long)} with a key validated by {@link RedisKey#of(String)}. */
	default Totals set(String key, long value) {
		return set(RedisKey.of(key), value);
	}

	/** {@link #setIf(RedisKey, CounterComparator, long)} with a key validated by {@link RedisKey#of(String)}. */
	default TotalsUpdate setIf(String key, CounterComparator comparator, long value) {
		return setIf(RedisKey.of(key), comparator, value);
	}

	/** {@link #setOnInstance(RedisKey, long)} with a key validated by {@link RedisKey#of(String)}. */
	default Totals setOnInstance(String key, long value) {
		return setOnInstance(RedisKey.of(key), value);
	}

	/**
	 * {@link #setOnInstanceIf(RedisKey, CounterComparator, long)} with a key validated by {@link RedisKey#of(String)}.
	 */
	default TotalsUpdate setOnInstanceIf(String key, CounterComparator comparator, long value) {
		return setOnInstanceIf(RedisKey.of(key), comparator, value);
	}

	/** {@link #del(RedisKey)} with a key validated by {@link RedisKey#of(String)}. */
	default Totals del(String key) {
		return del(RedisKey.of(key));
	}

	/** {@link #delOnInstance(RedisKey)} with a key validated by {@link RedisKey#of(String)}. */
	default Totals delOnInstance(String key) {
		return delOnInstance(RedisKey.of(key));
	}

}
