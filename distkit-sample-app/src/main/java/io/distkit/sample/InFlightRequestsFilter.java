package io.distkit.sample;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import io.distkit.icounter.StrictInstanceAwareCounter;

/**
 * Counts the requests in flight across every instance: each instance owns its slice, so the cumulative drops by an
 * instance's share as soon as it dies (no stuck counts after a crash).
 */
@Component
class InFlightRequestsFilter extends OncePerRequestFilter {

	static final String KEY = "in_flight_requests";

	private final StrictInstanceAwareCounter counter;

	InFlightRequestsFilter(StrictInstanceAwareCounter counter) {
		this.counter = counter;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getRequestURI().startsWith("/actuator") || request.getRequestURI().startsWith("/stats")) {
			chain.doFilter(request, response);
			return;
		}
		this.counter.inc(KEY, 1);
		try {
			chain.doFilter(request, response);
		}
		finally {
			this.counter.dec(KEY, 1);
		}
	}

}
