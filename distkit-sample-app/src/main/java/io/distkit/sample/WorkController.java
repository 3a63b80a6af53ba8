package io.distkit.sample;

import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * A request that takes its time, so that the in-flight request counter ({@link InFlightRequestsFilter}) has something
 * to show: {@code GET /work?millis=5000} holds its request for five seconds while {@code GET /stats} (on any instance)
 * counts it.
 */
@RestController
class WorkController {

	static final long MAX_MILLIS = 60_000;

	@GetMapping("/work")
	Map<String, Object> work(@RequestParam(defaultValue = "1000") long millis) throws InterruptedException {
		if (millis < 0 || millis > MAX_MILLIS) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"millis must be between 0 and " + MAX_MILLIS + " (value=" + millis + ")");
		}
		Thread.sleep(millis);
		return Map.of("worked", millis);
	}

}
