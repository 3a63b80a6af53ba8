package io.distkit.icounter;

import io.distkit.CounterOverflowException;
import io.distkit.DistkitBackendException;
import io.distkit.RedisBackend;
import io.distkit.RedisKey;
import io.distkit.counter.BufferedCounter;

/**
 * An instance-aware counter whose increments cost nanoseconds: {@code inc}, {@code dec}, {@code incAll},
 * {@code setOnInstance} and their conditional forms only touch memory and return the local estimate (last known Redis
 * values + amounts on their way + amounts buffered here); the buffered changes of this instance's slices are flushed
 * every {@link InstanceAwareOptions#flushInterval()} in numbered, idempotent chunks, on the same engine as the
 * {@link io.distkit.counter.LaxCounter}. Use it for high-rate per-node metrics whose total must drop when a node dies.
 *
 * <h2>Guarantees</h2>
 * <ul>
 * <li>The instance-aware guarantees of {@link StrictInstanceAwareCounter} for what reached Redis: dead instances are
 * reaped, a reaped instance adds its slices back, global writes and {@code clear} are final.</li>
 * <li>The lax guarantees of {@link io.distkit.counter.LaxCounter}: nothing counted twice (every chunk carries this
 * instance's id and a sequence number that Redis remembers for 24 hours), nothing lost while the process lives (a
 * failed flush keeps everything and retries), bounded memory, a flush on {@link #close()}.</li>
 * <li>{@code set}, {@code setIf}, {@code setAll}, {@code setAllIf}, {@code del}, {@code delOnInstance}, {@code clear}
 * and {@code clearOnInstance} are synchronous: they settle unconfirmed chunks, then one script applies the keys'
 * buffered increments and does the write, so no buffered increment lands on top of a later global set. If that fails
 * they throw {@link DistkitBackendException} and keep every buffered increment.</li>
 * </ul>
 *
 * <p>Reads ({@code get}, {@code getAll}, {@code getAllOnInstance}) and conditionals compare the local view; a key never
 * loaded, or whose last load or confirmed flush is older than {@link InstanceAwareOptions#allowedLag()}, is reloaded
 * first. Conditionals are atomic within this process, never across processes.
 *
 * <p>Data: hash tag {@code {<prefix>:lia}}, see {@code docs/redis-layout.md}. Thread-safe.
 *
 * @since 0.1.0
 */
public interface LaxInstanceAwareCounter extends InstanceAwareCounter, BufferedCounter {

	/**
	 * Creates a lax instance-aware counter with a new instance id and starts its background flush. Does not contact
	 * Redis.
	 * @param backend the Redis backend
	 * @param options prefix, liveness and lax options
	 * @return the counter; close it when done
	 */
	static LaxInstanceAwareCounter create(RedisBackend backend, InstanceAwareOptions options) {
		return new BufferedLaxInstanceAwareCounter(backend.scriptRunner(), options);
	}

	/**
	 * Adds {@code delta} to this instance's buffered slice without any I/O.
	 * @return the local estimate after the increment
	 * @throws CounterOverflowException if {@code delta} or an estimate leaves ±(2<sup>53</sup> − 1)
	 * @throws DistkitBackendException if the key is new and {@link InstanceAwareOptions#maxPendingKeys()} keys already
	 * hold increments that could not be flushed
	 */
	@Override
	Totals inc(RedisKey key, long delta);

}
