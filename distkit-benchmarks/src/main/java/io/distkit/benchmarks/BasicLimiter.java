package io.distkit.benchmarks;

/**
 * The facade every rate-limit contestant is measured through: one decision for one unit of one key. Adapters of
 * peers that have no per-key lookup keep one limiter per key in a {@link java.util.concurrent.ConcurrentHashMap}, so
 * every contestant pays for finding its key. Implementations are thread-safe.
 */
public interface BasicLimiter extends AutoCloseable {

	/**
	 * Decides one unit for {@code key} and takes it if admitted.
	 * @param key the key
	 * @return whether the unit was admitted
	 */
	boolean tryAcquire(CounterKey key);

	/** Releases what the contestant holds; Redis keys are deleted by the benchmark. */
	@Override
	default void close() {
	}

}
