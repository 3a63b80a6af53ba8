package io.distkit.spring.boot.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

import io.distkit.icounter.InstanceAwareCounter;

/**
 * Closes every {@link InstanceAwareCounter} bean when the application context stops, in the phase of
 * {@link LaxCounterShutdown}: after the web server's graceful shutdown, before the Redis connection factory. A lax
 * counter flushes first; then each removes its instance's slices if {@code distkit.instance-aware.remove-on-shutdown}
 * (default) or leaves them to be reaped. Each close is bounded by {@code distkit.shutdown-timeout}.
 *
 * @since 0.1.0
 */
public final class InstanceAwareCounterShutdown implements SmartLifecycle {

	private final ObjectProvider<InstanceAwareCounter> counters;

	private volatile boolean running;

	InstanceAwareCounterShutdown(ObjectProvider<InstanceAwareCounter> counters) {
		this.counters = counters;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.counters.orderedStream().forEach(InstanceAwareCounter::close);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return LaxCounterShutdown.PHASE;
	}

}
