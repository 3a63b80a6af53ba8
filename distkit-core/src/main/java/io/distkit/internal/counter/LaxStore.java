package io.distkit.internal.counter;

import java.util.List;

import io.distkit.DistkitBackendException;
import io.distkit.RedisKey;

/**
 * The Redis side of a lax counter type, plugged into a {@link LaxEngine}: how a numbered chunk of buffered increments
 * is applied and how keys are loaded. A plain lax counter stores one value per key; an instance-aware one also reports
 * this instance's slice. Not part of the public API.
 */
public interface LaxStore {

	/**
	 * Applies a numbered chunk idempotently: a chunk whose number was applied before changes nothing.
	 * @param chunk the chunk
	 * @return the values after the chunk, one per item, and the items Redis refused
	 * @throws DistkitBackendException if Redis failed (the chunk may or may not have been applied)
	 */
	FlushReply flush(LaxChunk chunk);

	/**
	 * Reads the keys' values.
	 * @param keys the keys
	 * @return their values, one per key, and the keys whose stored value is unusable
	 * @throws DistkitBackendException if Redis failed
	 */
	LoadReply load(List<RedisKey> keys);

	/**
	 * What Redis answered to a chunk.
	 * @param values the value of each item's key after the chunk
	 * @param slices this instance's slice of each item's key after the chunk, {@code null} for a plain lax counter
	 * @param refused indexes of the items Redis refused (not applied)
	 */
	record FlushReply(long[] values, long[] slices, List<Integer> refused) {
	}

	/**
	 * What Redis answered to a load.
	 * @param values the value of each key
	 * @param slices this instance's slice of each key, {@code null} for a plain lax counter
	 * @param unusable indexes of the keys whose stored value is not an integer within range
	 */
	record LoadReply(long[] values, long[] slices, List<Integer> unusable) {
	}

}
