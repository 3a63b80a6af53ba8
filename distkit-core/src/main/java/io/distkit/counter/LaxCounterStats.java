package io.distkit.counter;

import java.time.Duration;

/**
 * What a lax counter has done so far, for metrics and health. Counts are cumulative since the counter was created.
 *
 * @param size keys held in memory
 * @param pendingKeys keys whose increments are buffered or not yet confirmed by Redis
 * @param flushes flushes that sent something and succeeded
 * @param failedFlushes flushes that failed (their increments stay buffered and are retried)
 * @param flushedKeys keys sent in confirmed chunks
 * @param refusedKeys keys whose increment Redis refused (out of range or not an integer) and that were dropped
 * @param flushTime total time spent in flushes that sent something
 * @param failingFor how long flushes have been failing ({@link Duration#ZERO} when the last one succeeded)
 * @since 0.1.0
 */
public record LaxCounterStats(int size, int pendingKeys, long flushes, long failedFlushes, long flushedKeys,
		long refusedKeys, Duration flushTime, Duration failingFor) {

}
