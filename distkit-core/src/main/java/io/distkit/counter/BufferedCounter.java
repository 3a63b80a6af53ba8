package io.distkit.counter;

import io.distkit.DistkitBackendException;

/**
 * A counter that buffers its changes in memory and flushes them to Redis in the background: {@link LaxCounter} and
 * {@link io.distkit.icounter.LaxInstanceAwareCounter}. What metrics and health need to watch its flushes.
 *
 * @since 0.1.0
 */
public interface BufferedCounter {

	/**
	 * Sends every change buffered so far to Redis and waits for the confirmation.
	 * @throws DistkitBackendException if Redis failed; the changes stay buffered and are retried
	 */
	void flush();

	/** How many keys this counter holds in memory. */
	int size();

	/** How many keys hold changes that are buffered or not yet confirmed by Redis. */
	int pendingKeys();

	/** What this counter has flushed, failed and refused so far (for metrics and health). */
	LaxCounterStats stats();

}
