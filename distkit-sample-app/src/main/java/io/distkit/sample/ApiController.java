package io.distkit.sample;

import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.distkit.spring.boot.annotation.RateLimited;

/**
 * Endpoints limited in every way distkit offers; the limits are configured in {@code application.yml} under
 * {@code distkit.rate-limit.limits}. A call beyond its limit is answered 429 with the standard headers.
 */
@RestController
class ApiController {

	/** Ten calls per minute per client address. */
	@GetMapping("/api/hello")
	@RateLimited(limit = "per-ip", key = "#clientIp")
	Map<String, Object> hello() {
		return Map.of("message", "hello");
	}

	/** Thirty calls per minute per API key ({@code X-API-Key} header; callers without one share a key). */
	@GetMapping("/api/data")
	@RateLimited(limit = "per-api-key", key = "#request.getHeader('X-API-Key') ?: 'anonymous'")
	Map<String, Object> data() {
		return Map.of("data", List.of(1, 2, 3));
	}

	/** A search costs 5 units of a 20-unit budget per minute and client: four searches a minute. */
	@GetMapping("/api/search")
	@RateLimited(limit = "search", key = "#clientIp", cost = "5")
	Map<String, Object> search(@RequestParam(defaultValue = "") String q) {
		return Map.of("query", q, "results", List.of());
	}

	/**
	 * A feed on the suppressed strategy: everything up to 20 per 10 s, then a growing share refused up to the hard
	 * capacity of 30.
	 */
	@GetMapping("/api/feed")
	@RateLimited(limit = "feed", key = "#clientIp")
	Map<String, Object> feed() {
		return Map.of("items", List.of("a", "b"));
	}

	/** A burst endpoint on the hybrid provider: decided in memory, synchronised with Redis every 10 ms. */
	@GetMapping("/api/burst")
	@RateLimited(limit = "burst", key = "#clientIp")
	Map<String, Object> burst() {
		return Map.of("ok", true);
	}

}
