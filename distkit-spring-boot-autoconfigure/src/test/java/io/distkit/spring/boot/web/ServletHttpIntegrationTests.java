package io.distkit.spring.boot.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.distkit.spring.boot.annotation.RateLimited;
import io.distkit.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring Boot servlet application on Tomcat at a random port, with Spring Security, called over real HTTP: a
 * {@code @RateLimited} endpoint's admitted and rejected responses, a URL limit that answers a login form Spring
 * Security would otherwise answer with 401 (distkit's filter runs first), and a forged {@code X-Forwarded-For} that
 * changes nothing under Spring Boot's default {@code server.forward-headers-strategy}.
 */
@SpringBootTest(classes = ServletHttpIntegrationTests.Application.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ServletHttpIntegrationTests {

	private static final String PREFIX = TestRedis.uniquePrefix("tomcat");

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", () -> TestRedis.endpoint().url());
		registry.add("spring.data.redis.timeout", () -> "2s");
		registry.add("distkit.prefix", () -> PREFIX);
		registry.add("distkit.rate-limit.window", () -> "1m");
		registry.add("distkit.rate-limit.limits.login.capacity", () -> "2");
		registry.add("distkit.rate-limit.limits.reset.capacity", () -> "2");
		registry.add("distkit.web.limits[0].paths", () -> "/login");
		registry.add("distkit.web.limits[0].methods", () -> "POST");
		registry.add("distkit.web.limits[0].limit", () -> "login");
		registry.add("distkit.web.limits[1].paths", () -> "/password-reset");
		registry.add("distkit.web.limits[1].limit", () -> "reset");
	}

	@AfterAll
	static void clean() {
		WebContexts.clean(PREFIX);
	}

	@Test
	void rateLimitedEndpointShouldAnswer429OverHttp() throws Exception {
		HttpResponse<String> admitted = send("GET", "/quotes/pen", null);
		assertThat(admitted.statusCode()).isEqualTo(200);
		assertThat(WebContexts.members(admitted.headers().firstValue("RateLimit-Policy").orElseThrow()))
			.containsExactly(Map.entry("QuoteController.quote", Map.of("q", 2L, "w", 60L)));
		assertThat(WebContexts.members(admitted.headers().firstValue("RateLimit").orElseThrow())
			.get("QuoteController.quote")).containsEntry("r", 1L);
		send("GET", "/quotes/pen", null);
		HttpResponse<String> rejected = send("GET", "/quotes/pen", null);
		assertThat(rejected.statusCode()).isEqualTo(429);
		assertThat(rejected.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		long retryAfter = Long.parseLong(rejected.headers().firstValue("Retry-After").orElseThrow());
		assertThat(retryAfter).isBetween(1L, 60L);
		assertThat(WebContexts.members(rejected.headers().firstValue("RateLimit").orElseThrow()))
			.containsExactly(Map.entry("QuoteController.quote", Map.of("r", 0L, "t", retryAfter)));
		ProblemBody body = ProblemBody.of(rejected.body());
		assertThat(body.type()).isEqualTo("https://iana.org/assignments/http-problem-types#quota-exceeded");
		assertThat(body.violatedPolicies()).containsExactly("QuoteController.quote");
		assertThat(body.instance()).isEqualTo("/quotes/pen");
		assertThat(send("GET", "/quotes/ink", null).statusCode()).as("another product").isEqualTo(200);
	}

	@Test
	void urlLimitShouldAnswerBeforeSpringSecurity() throws Exception {
		assertThat(send("POST", "/login", null).statusCode()).as("security answers while the limit admits")
			.isEqualTo(401);
		assertThat(send("POST", "/login", null).statusCode()).isEqualTo(401);
		HttpResponse<String> rejected = send("POST", "/login", null);
		assertThat(rejected.statusCode()).isEqualTo(429);
		assertThat(rejected.headers().firstValue("WWW-Authenticate")).isEmpty();
		assertThat(ProblemBody.of(rejected.body()).violatedPolicies()).containsExactly("login");
		assertThat(WebContexts.members(rejected.headers().firstValue("RateLimit-Policy").orElseThrow()))
			.containsExactly(Map.entry("login", Map.of("q", 2L, "w", 60L)));
	}

	@Test
	void forgedForwardedForShouldChangeNothingUnderTheDefaultStrategy() throws Exception {
		assertThat(send("POST", "/password-reset", "203.0.113.1").statusCode()).isEqualTo(200);
		assertThat(send("POST", "/password-reset", "203.0.113.2").statusCode()).isEqualTo(200);
		assertThat(send("POST", "/password-reset", "203.0.113.3").statusCode())
			.as("every forged address counts against the connection's").isEqualTo(429);
	}

	private HttpResponse<String> send(String method, String path, String forwardedFor) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.method(method, HttpRequest.BodyPublishers.noBody());
		if (forwardedFor != null) {
			request.header("X-Forwarded-For", forwardedFor);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(QuoteController.class)
	static class Application {

		@Bean
		SecurityFilterChain security(HttpSecurity http) throws Exception {
			return http
				.authorizeHttpRequests((requests) -> requests.requestMatchers("/quotes/**", "/password-reset", "/error")
					.permitAll()
					.anyRequest()
					.authenticated())
				.httpBasic(Customizer.withDefaults())
				.csrf((csrf) -> csrf.disable())
				.build();
		}

	}

	@RestController
	static class QuoteController {

		@GetMapping("/quotes/{product}")
		@RateLimited(capacity = 2, window = "1m", key = "#clientIp + '/' + #product")
		public Map<String, Object> quote(@PathVariable String product) {
			return Map.of("product", product, "price", 42);
		}

		@PostMapping("/login")
		public String login() {
			return "welcome";
		}

		@PostMapping("/password-reset")
		public String passwordReset() {
			return "sent";
		}

	}

}
