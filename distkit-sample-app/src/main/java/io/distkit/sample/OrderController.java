package io.distkit.sample;

import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.distkit.counter.StrictCounter;
import io.distkit.spring.boot.annotation.Counted;

/**
 * Counts orders per product with a strict counter (exact across every instance of the application), and every order
 * placed with {@code @Counted}.
 */
@RestController
class OrderController {

	private final StrictCounter counter;

	OrderController(StrictCounter counter) {
		this.counter = counter;
	}

	@PostMapping("/orders/{product}")
	@Counted(name = "orders_placed", type = Counted.Type.STRICT, when = Counted.When.SUCCESS)
	Map<String, Object> placeOrder(@PathVariable String product) {
		long orders = this.counter.inc("orders_" + product, 1);
		return Map.of("product", product, "orders", orders);
	}

	@GetMapping("/orders/{product}")
	Map<String, Object> orders(@PathVariable String product) {
		return Map.of("product", product, "orders", this.counter.get("orders_" + product));
	}

}
