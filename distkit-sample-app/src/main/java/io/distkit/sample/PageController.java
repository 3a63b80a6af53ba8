package io.distkit.sample;

import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import io.distkit.counter.LaxCounter;
import io.distkit.spring.boot.annotation.Counted;

/** Pages whose views are counted by a lax counter: nanoseconds per view, flushed to Redis every 20 ms. */
@RestController
class PageController {

	private final LaxCounter views;

	PageController(LaxCounter views) {
		this.views = views;
	}

	@GetMapping("/pages/{page}")
	@Counted(name = "page_views", key = "#page", type = Counted.Type.LAX)
	Map<String, Object> page(@PathVariable String page) {
		return Map.of("page", page, "content", "Welcome to " + page);
	}

	@GetMapping("/pages/{page}/views")
	Map<String, Object> views(@PathVariable String page) {
		return Map.of("page", page, "views", this.views.get(CountedKeys.field("page_views", page)));
	}

}
