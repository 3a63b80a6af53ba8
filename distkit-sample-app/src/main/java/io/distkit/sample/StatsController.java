package io.distkit.sample;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.distkit.counter.StrictCounter;
import io.distkit.icounter.LaxInstanceAwareCounter;
import io.distkit.icounter.StrictInstanceAwareCounter;
import io.distkit.icounter.Totals;

/** What the counters say right now, and sessions to open and close. */
@RestController
class StatsController {

	private final StrictInstanceAwareCounter inFlight;

	private final LaxInstanceAwareCounter sessions;

	private final StrictCounter strict;

	StatsController(StrictInstanceAwareCounter inFlight, LaxInstanceAwareCounter sessions, StrictCounter strict) {
		this.inFlight = inFlight;
		this.sessions = sessions;
		this.strict = strict;
	}

	@GetMapping("/stats")
	Map<String, Object> stats() {
		Totals requests = this.inFlight.get(InFlightRequestsFilter.KEY);
		Totals active = this.sessions.get(ActiveSessions.KEY);
		Map<String, Object> stats = new LinkedHashMap<>();
		stats.put("instanceId", this.inFlight.instanceId());
		stats.put("liveInstances", this.inFlight.liveInstances());
		stats.put("inFlightRequests", Map.of("total", requests.cumulative(), "thisInstance", requests.slice()));
		stats.put("activeSessions", Map.of("total", active.cumulative(), "thisInstance", active.slice()));
		stats.put("ordersPlaced", this.strict.get("orders_placed"));
		return stats;
	}

	@PostMapping("/sessions")
	Map<String, Object> openSession(HttpServletRequest request) {
		HttpSession session = request.getSession(true);
		return Map.of("session", session.getId());
	}

	@DeleteMapping("/sessions")
	Map<String, Object> closeSession(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		if (session != null) {
			session.invalidate();
		}
		return Map.of("closed", session != null);
	}

}
