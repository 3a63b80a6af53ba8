package io.distkit.benchmarks;

/**
 * The facade every counter contestant is measured through: one increment of one key. Adapters of peers that have no
 * per-key lookup keep one object per key in a {@link java.util.concurrent.ConcurrentHashMap}, so every contestant pays
 * for finding its key. Implementations are thread-safe.
 */
public interface BasicCounter extends AutoCloseable {

	/**
	 * Adds one to {@code key}.
	 * @param key the key
	 * @return the value after the increment where the contestant reports one (distkit's is an estimate for lax
	 * counters); 0 where it does not
	 */
	long inc(CounterKey key);

	/** Releases what the contestant holds (flushes, listeners); Redis keys are deleted by the benchmark. */
	@Override
	default void close() {
	}

}
