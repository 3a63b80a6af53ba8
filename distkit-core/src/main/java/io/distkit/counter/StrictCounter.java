package io.distkit.counter;

import io.distkit.RedisBackend;

/**
 * A counter that is always exact: every operation is one atomic Lua script on Redis, so a value returned is the
 * value in Redis at that moment and every process sees every write at once. Costs one Redis round trip per call
 * (batches: one per chunk). Use it for billing, inventory, quotas: anything where a count must not drift.
 *
 * <p>Batches are split into chunks of {@link CounterOptions#chunkSize()} items; each chunk is atomic, a batch of
 * several chunks is not. When a later chunk fails, a {@link io.distkit.BatchPartiallyAppliedException} says which
 * items were applied and which chunk's outcome is unknown.
 *
 * <p>With {@link CounterOptions#coalesceIncrements()}, concurrent {@code inc}/{@code dec} of one key share script
 * calls: while a call for the key is in flight, further increments queue and go out together as the next call. Each
 * caller still returns the value its own increment produced, once Redis has applied it.
 *
 * <p>Data: one Redis hash {@code {<prefix>:strict}}, field = key, value = decimal integer. Works on Redis 6.2+,
 * standalone, Sentinel or Cluster (one namespace lives in one slot). Thread-safe.
 *
 * @since 0.1.0
 */
public interface StrictCounter extends Counter {

	/**
	 * Creates a strict counter. Does not contact Redis.
	 * @param backend the Redis backend
	 * @param options prefix and chunk size
	 * @return the counter
	 */
	static StrictCounter create(RedisBackend backend, CounterOptions options) {
		return new RedisStrictCounter(backend.scriptRunner(), options);
	}

	/** The options this counter was created with. */
	CounterOptions options();

}
