package io.distkit.reliability;

import java.time.Duration;
import java.util.List;

/**
 * One primitive under load in a reliability test: what its callers did, and the check of what Redis holds once the
 * load stopped. {@link LoadRunner} calls {@link #step()} from several threads. A new primitive (e.g. the
 * instance-aware counters) joins the fault and failover suites by adding an implementation.
 */
interface Workload {

	/** A readable name for messages. */
	String name();

	/** One caller operation. Never throws: outcomes are counted. */
	void step();

	/** Operations that succeeded so far, to wait for progress. */
	long successes();

	/** The Redis keys this workload writes (their slots decide which cluster masters it uses). */
	List<String> redisKeys();

	/**
	 * Once the load stopped and Redis is healthy: waits up to {@code timeout} for buffered state to reach Redis and
	 * asserts the workload's guarantee (exact totals, or acknowledged ≤ total ≤ attempted).
	 */
	void verify(Duration timeout);

}
