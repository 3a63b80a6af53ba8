package io.distkit.counter;

import io.distkit.CounterOverflowException;
import io.distkit.DistkitBackendException;
import io.distkit.RedisBackend;
import io.distkit.RedisKey;

/**
 * A counter whose increments cost nanoseconds: {@code inc}, {@code dec} and {@code incAll} only touch memory and
 * return the local estimate (last known Redis value + increments on their way + increments buffered here); a
 * background flush sends the buffered increments to Redis every {@link CounterOptions#flushInterval()} (20 ms by
 * default), one script call per chunk of keys. Use it for page views, analytics, metrics: counts that must not be
 * lost but may arrive a few milliseconds late.
 *
 * <h2>Guarantees</h2>
 * <ul>
 * <li>Nothing is counted twice: every flushed chunk carries this counter's writer id and a sequence number; Redis
 * records the numbers it applied (for 24 hours) and ignores a chunk it has seen, so a chunk whose reply was lost is
 * simply sent again. An outage longer than 24 hours may double count.</li>
 * <li>Nothing is lost while the process lives: a failed flush keeps every increment and retries on the next tick.
 * {@link #close()} (and Spring's context shutdown) flushes within {@link CounterOptions#shutdownTimeout()}. A crash
 * loses what was buffered since the last successful flush: at most one flush interval while Redis is healthy;
 * during an outage everything buffered since, bounded by {@link CounterOptions#maxPendingKeys()}.</li>
 * <li>Memory is bounded: at most {@link CounterOptions#maxKeys()} keys stay in memory (idle keys without buffered
 * increments are evicted); when {@link CounterOptions#maxPendingKeys()} keys hold increments that could not be
 * flushed, {@code inc} of a new key throws {@link DistkitBackendException} rather than lose data.</li>
 * </ul>
 *
 * <h2>Reads and writes</h2>
 * {@code get}, {@code getAll}, {@code incIf} and {@code incAllIf} read or compare the local view; a key that was never
 * loaded, or whose last load or confirmed flush is older than {@link CounterOptions#allowedLag()}, is reloaded first
 * (synchronously, one script call per chunk). Conditionals are atomic within this process, never across processes.
 * {@code set}, {@code setIf}, {@code setAll}, {@code setAllIf}, {@code del} and {@code clear} are synchronous: they
 * settle unconfirmed chunks, then apply the keys' buffered increments and the write in one script. If that fails
 * they throw {@link DistkitBackendException} and keep every buffered increment.
 *
 * <p>A key's first {@code inc} loads its Redis value in the background; until then the estimate counts only this
 * process's increments. Other processes see an increment after it is flushed and their own copy is reloaded.
 *
 * <p>Data: hash {@code {<prefix>:lax}} (field = key) and, per writer, a sorted set of applied chunk numbers
 * {@code {<prefix>:lax}:w:<writerId>} with a 24 h TTL. Thread-safe. After {@link #close()} every operation throws
 * {@link IllegalStateException}.
 *
 * @since 0.1.0
 */
public interface LaxCounter extends Counter, BufferedCounter, AutoCloseable {

	/**
	 * Creates a lax counter and starts its background flush. Does not contact Redis.
	 * @param backend the Redis backend
	 * @param options prefix, chunk size and the lax options
	 * @return the counter; close it when done
	 */
	static LaxCounter create(RedisBackend backend, CounterOptions options) {
		return new BufferedLaxCounter(backend.scriptRunner(), options);
	}

	/**
	 * Adds {@code delta} to the key's buffered increments without any I/O.
	 *
	 * <p>While the key is uncontended this is one compare-and-set, and the estimate counts every increment this
	 * process made. Once threads keep meeting on the key, each thread adds to a stripe of its own (a few cache lines
	 * per contended key, dropped with the key when it is evicted), so they no longer queue for one value, and the
	 * estimate no longer reads the other threads' stripes: it counts all of the calling thread's increments, and the
	 * other threads' up to the last time the stripes were added up (every flush tick, every read or conditional, and
	 * every 1,024th call to a stripe). So it may leave out about the last 1,024 calls of each other stripe; a thread's
	 * successive estimates never go back while all deltas are positive, and {@code get} adds every stripe up.
	 * @return the local estimate after the increment
	 * @throws CounterOverflowException if {@code delta} or the estimate leaves ±(2<sup>53</sup> − 1)
	 * @throws DistkitBackendException if the key is new and {@link CounterOptions#maxPendingKeys()} keys already hold
	 * increments that could not be flushed
	 */
	@Override
	long inc(RedisKey key, long delta);

	/**
	 * Adds {@code delta} to the key's buffered increments without any I/O and without computing the estimate: the
	 * same path as {@link #inc(RedisKey, long)}, striped once threads keep meeting on the key ({@code @Counted} counts
	 * with it). Reads, conditionals and flushes add the stripes up, so every completed {@code add} is in the next
	 * {@code get} of this process; {@code incIf} and {@code setIf} are atomic with each other, while an increment to
	 * a stripe at the same moment may land on either side of them.
	 * @throws CounterOverflowException if {@code delta} or the estimate leaves ±(2<sup>53</sup> − 1)
	 * @throws DistkitBackendException if the key is new and {@link CounterOptions#maxPendingKeys()} keys already hold
	 * increments that could not be flushed
	 */
	@Override
	void add(RedisKey key, long delta);

	/** The options this counter was created with. */
	CounterOptions options();

	/**
	 * Stops the background flush and flushes what is buffered, waiting at most
	 * {@link CounterOptions#shutdownTimeout()}. Increments that could not be flushed are logged. Idempotent.
	 */
	@Override
	void close();

}
