package io.distkit.internal.counter;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.distkit.BatchPartiallyAppliedException;
import io.distkit.CounterOverflowException;
import io.distkit.DistkitBackendException;
import io.distkit.InvalidOptionException;
import io.distkit.RedisKey;
import io.distkit.counter.CounterComparator;

/**
 * Splits batches into chunks and runs one script call per chunk, reporting partial progress on failure; checks the
 * arguments every counter shares. Not part of the public API.
 */
public final class Batches {

	private Batches() {
	}

	/**
	 * Runs {@code perChunk} on consecutive chunks of {@code items} and concatenates the results.
	 * @param items the batch
	 * @param chunkSize the largest chunk
	 * @param perChunk runs one chunk, returning one result per item
	 * @return the results in input order
	 * @throws BatchPartiallyAppliedException if a chunk after the first failed in Redis
	 * @throws CounterOverflowException if a chunk refused an item (with the number of items applied before)
	 */
	public static <I, R> List<R> inChunks(List<I> items, int chunkSize, Function<List<I>, List<R>> perChunk) {
		if (items.size() <= chunkSize) {
			return perChunk.apply(items);
		}
		List<R> results = new ArrayList<>(items.size());
		for (int from = 0; from < items.size(); from += chunkSize) {
			int to = Math.min(items.size(), from + chunkSize);
			try {
				results.addAll(perChunk.apply(items.subList(from, to)));
			}
			catch (CounterOverflowException ex) {
				if (from == 0) {
					throw ex;
				}
				throw new CounterOverflowException(ex.getKey(), ex.getValue(), from);
			}
			catch (DistkitBackendException ex) {
				if (from == 0) {
					throw ex;
				}
				throw new BatchPartiallyAppliedException(from, to, items.size(), ex);
			}
		}
		return results;
	}

	public static void requireKey(RedisKey key) {
		if (key == null) {
			throw new InvalidOptionException("key", null, "must not be null");
		}
	}

	public static void requireComparator(CounterComparator comparator) {
		if (comparator == null) {
			throw new InvalidOptionException("comparator", null, "must not be null; use CounterComparator.nil()");
		}
	}

	public static <T> List<T> requireList(List<T> items, String name) {
		if (items == null) {
			throw new InvalidOptionException(name, null, "must not be null");
		}
		return items;
	}

}
