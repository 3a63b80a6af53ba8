package io.distkit.sample;

import java.util.Map;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A login form protected without code: the URL limit {@code distkit.web.limits} in {@code application.yml} allows
 * five attempts per client address every ten minutes, before the request reaches this controller.
 */
@RestController
class LoginController {

	@PostMapping("/login")
	Map<String, Object> login(@RequestParam(defaultValue = "") String user) {
		return Map.of("user", user, "authenticated", false, "message", "this sample has no users");
	}

}
