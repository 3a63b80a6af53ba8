package io.distkit.sample;

import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import io.distkit.ratelimit.RateLimitExceededException;
import io.distkit.spring.boot.annotation.Counted;
import io.distkit.spring.boot.annotation.RateLimited;

/**
 * Quotes, rate-limited per client address and counted per product with distkit's annotations: three quotes per
 * minute per client, then 429 from the fallback method.
 */
@RestController
class QuoteController {

	@GetMapping("/quotes/{product}")
	@RateLimited(capacity = 3, window = "1m", key = "#clientIp", fallbackMethod = "tooManyRequests")
	@Counted(name = "quotes", key = "#product", type = Counted.Type.STRICT, when = Counted.When.SUCCESS)
	public ResponseEntity<Map<String, Object>> quote(@PathVariable String product) {
		return ResponseEntity.ok(Map.of("product", product, "price", 42));
	}

	ResponseEntity<Map<String, Object>> tooManyRequests(String product, RateLimitExceededException rejected) {
		return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
			.header(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, rejected.getRetryAfter().toSeconds())))
			.body(Map.of("error", "rate limit '" + rejected.getLimitName() + "' exceeded"));
	}

}
