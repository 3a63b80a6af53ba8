package io.distkit.sample;

import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import org.springframework.stereotype.Component;

import io.distkit.icounter.LaxInstanceAwareCounter;

/**
 * Counts the active HTTP sessions across every instance with a lax instance-aware counter: a session's creation and
 * end cost nanoseconds, and an instance that dies takes its sessions out of the total.
 */
@Component
class ActiveSessions implements HttpSessionListener {

	static final String KEY = "active_sessions";

	private final LaxInstanceAwareCounter counter;

	ActiveSessions(LaxInstanceAwareCounter counter) {
		this.counter = counter;
	}

	@Override
	public void sessionCreated(HttpSessionEvent event) {
		this.counter.inc(KEY, 1);
	}

	@Override
	public void sessionDestroyed(HttpSessionEvent event) {
		this.counter.dec(KEY, 1);
	}

}
