package io.distkit.spring.boot.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

import io.distkit.counter.LaxCounter;

/**
 * Flushes and closes every {@link LaxCounter} bean when the application context stops: after the web server's
 * graceful shutdown and the application's executors (higher phases stop first), before the Redis connection factory
 * (phase 0). Each counter's final flush is bounded by {@code distkit.shutdown-timeout}.
 *
 * @since 0.1.0
 */
public final class LaxCounterShutdown implements SmartLifecycle {

	/** The phase: far below the web server's shutdown phases, above the connection factory's phase 0. */
	public static final int PHASE = 1 << 20;

	private final ObjectProvider<LaxCounter> laxCounters;

	private volatile boolean running;

	LaxCounterShutdown(ObjectProvider<LaxCounter> laxCounters) {
		this.laxCounters = laxCounters;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.laxCounters.orderedStream().forEach(LaxCounter::close);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
