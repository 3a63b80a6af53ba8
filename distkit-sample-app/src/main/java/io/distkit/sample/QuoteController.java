package io.distkit.sample;

import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import io.distkit.spring.boot.annotation.Counted;
import io.distkit.spring.boot.annotation.RateLimited;

/**
 * Quotes, rate-limited per client address and counted per product with distkit's annotations: three quotes per
 * minute per client. Admitted responses carry the {@code RateLimit-Policy} and {@code RateLimit} fields; the fourth
 * quote within a minute is distkit's standard answer, {@code 429} with an RFC 9457 problem body and
 * {@code Retry-After}.
 */
@RestController
class QuoteController {

	@GetMapping("/quotes/{product}")
	@RateLimited(capacity = 3, window = "1m", key = "#clientIp")
	@Counted(name = "quotes", key = "#product", type = Counted.Type.STRICT, when = Counted.When.SUCCESS)
	public Map<String, Object> quote(@PathVariable String product) {
		return Map.of("product", product, "price", 42);
	}

}
