package io.distkit.icounter;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.distkit.DistkitBackendException;
import io.distkit.NanoClock;

/**
 * The heartbeat of one instance. Its tick runs every heartbeat period; it sends a heartbeat when the instance has
 * reached Redis before (an unused instance stays unregistered) and no call of the instance did so within the last half
 * period, so an idle instance beats once per period and a live one is never silent for more than 1.5 periods (the
 * dead-instance threshold is at least two). A heartbeat goes on while reaping or recovery is unfinished.
 */
final class Heartbeat {

	private static final Log logger = LogFactory.getLog(Heartbeat.class);

	/** Bound of the heartbeat calls of one round: 10,000 calls of 1,000 slices. */
	private static final int MAX_ROUNDS = 10_000;

	private final InstanceAwareScripts scripts;

	private final NanoClock clock;

	private final long halfPeriodNanos;

	private final String name;

	private volatile boolean failing;

	Heartbeat(InstanceAwareScripts scripts, InstanceAwareOptions options, String name) {
		this.scripts = scripts;
		this.clock = options.clock();
		this.halfPeriodNanos = options.heartbeat().toNanos() / 2;
		this.name = name;
	}

	/** The periodic task: a heartbeat unless one is not needed; failures are logged, never thrown. */
	void tick() {
		if (!this.scripts.used() || this.clock.nanoTime() - this.scripts.lastCall() < this.halfPeriodNanos) {
			return;
		}
		try {
			beat();
			if (this.failing) {
				this.failing = false;
				logger.info("distkit " + this.name + ": heartbeats succeed again");
			}
		}
		catch (RuntimeException ex) {
			if (!this.failing) {
				this.failing = true;
				logger.warn("distkit " + this.name + ": heartbeat failed; the instance is reaped if this lasts for the "
						+ "dead-instance threshold (its slices come back when it reaches Redis again): "
						+ ex.getMessage());
			}
		}
	}

	/**
	 * Sends heartbeats until reaping and recovery are done.
	 * @throws DistkitBackendException if Redis failed
	 */
	void beat() {
		for (int round = 0; round < MAX_ROUNDS; round++) {
			InstanceAwareScripts.HeartbeatReply reply = this.scripts.heartbeat();
			if (!reply.pending()) {
				return;
			}
		}
	}

}
