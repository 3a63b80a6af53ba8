package io.distkit.icounter;

import io.distkit.DistkitBackendException;
import io.distkit.RedisBackend;

/**
 * An instance-aware counter that is always exact: every operation is one atomic Lua script on Redis (batches: one
 * per chunk of {@link InstanceAwareOptions#chunkSize()} items), which also refreshes this instance's heartbeat, removes
 * a bounded part of the slices of dead instances and adds back this instance's own slices if it had been reaped. Use
 * it for live connections, sessions, leases: per-node contributions to a total that must drop when a node dies.
 *
 * <h2>Guarantees</h2>
 * <ul>
 * <li>The cumulative of a key is the sum of the counting slices of the live instances, and of the slices of dead
 * instances whose removal is not finished yet. Liveness uses Redis {@code TIME} only; client clocks play no part.</li>
 * <li>A dead instance's slices leave the cumulatives within the dead-instance threshold plus one heartbeat of the last
 * heartbeat it sent, as long as one live instance of the namespace remains. Removal walks the dead instance's own
 * slices, at most 1,000 per script call, and goes on where the previous call stopped.</li>
 * <li>An instance that was reaped (a long pause, a partition) adds back all its removed slices, positive and negative,
 * whose key was not set, deleted or cleared meanwhile, at most 1,000 per call, on its next calls or heartbeats. The
 * removed slices wait 24 hours for it.</li>
 * <li>A global {@code set} or {@code del} and {@code clear} are final: no slice written before them ever counts
 * again.</li>
 * </ul>
 *
 * <p>Data: hash tag {@code {<prefix>:ia}}, see {@code docs/redis-layout.md}. Thread-safe. A heartbeat is sent every
 * {@link InstanceAwareOptions#heartbeat()} once the instance has made its first call, unless one of its calls did it
 * meanwhile.
 *
 * @since 0.1.0
 */
public interface StrictInstanceAwareCounter extends InstanceAwareCounter {

	/**
	 * Creates a strict instance-aware counter with a new instance id. Does not contact Redis; the instance registers
	 * with its first call.
	 * @param backend the Redis backend
	 * @param options prefix, liveness and chunk options
	 * @return the counter; close it when done
	 */
	static StrictInstanceAwareCounter create(RedisBackend backend, InstanceAwareOptions options) {
		return new RedisStrictInstanceAwareCounter(backend.scriptRunner(), options);
	}

	/**
	 * Sends a heartbeat now, and goes on with reaping dead instances and recovering this instance's reaped slices
	 * until both are done (one script call per 1,000 slices). The background heartbeat does the same.
	 * @throws DistkitBackendException if Redis failed or did not answer in time
	 */
	void heartbeat();

}
