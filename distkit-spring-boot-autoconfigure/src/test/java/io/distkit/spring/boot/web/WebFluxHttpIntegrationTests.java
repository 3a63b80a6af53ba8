package io.distkit.spring.boot.web;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import io.distkit.spring.boot.annotation.RateLimited;
import io.distkit.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring Boot WebFlux application on Netty at a random port, with Spring Security, called over real HTTP through
 * WebTestClient: a reactive {@code @RateLimited} endpoint, a URL limit that answers a login form before Spring
 * Security's {@code WebFilter}, and a forged {@code X-Forwarded-For} that changes nothing under Spring Boot's default
 * {@code server.forward-headers-strategy}.
 */
@SpringBootTest(classes = WebFluxHttpIntegrationTests.Application.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.main.web-application-type=reactive")
class WebFluxHttpIntegrationTests {

	private static final String PREFIX = TestRedis.uniquePrefix("netty");

	@LocalServerPort
	private int port;

	private WebTestClient client;

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

	@BeforeEach
	void client() {
		this.client = WebTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
	}

	@AfterAll
	static void clean() {
		WebContexts.clean(PREFIX);
	}

	@Test
	void rateLimitedEndpointShouldAnswer429OverHttp() {
		EntityExchangeResult<String> admitted = exchange(this.client.get().uri("/quotes/pen"));
		assertThat(admitted.getStatus().value()).isEqualTo(200);
		assertThat(WebContexts.members(admitted.getResponseHeaders().getFirst("RateLimit-Policy")))
			.containsExactly(Map.entry("QuoteController.quote", Map.of("q", 2L, "w", 60L)));
		exchange(this.client.get().uri("/quotes/pen"));
		EntityExchangeResult<String> rejected = exchange(this.client.get().uri("/quotes/pen"));
		HttpHeaders headers = rejected.getResponseHeaders();
		assertThat(rejected.getStatus().value()).isEqualTo(429);
		assertThat(headers.getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		long retryAfter = Long.parseLong(headers.getFirst("Retry-After"));
		assertThat(retryAfter).isBetween(1L, 60L);
		assertThat(WebContexts.members(headers.getFirst("RateLimit")))
			.containsExactly(Map.entry("QuoteController.quote", Map.of("r", 0L, "t", retryAfter)));
		ProblemBody body = ProblemBody.of(rejected.getResponseBody());
		assertThat(body.type()).isEqualTo("https://iana.org/assignments/http-problem-types#quota-exceeded");
		assertThat(body.violatedPolicies()).containsExactly("QuoteController.quote");
		assertThat(body.instance()).isEqualTo("/quotes/pen");
	}

	@Test
	void urlLimitShouldAnswerBeforeSpringSecurity() {
		assertThat(exchange(this.client.post().uri("/login")).getStatus().value())
			.as("security answers while the limit admits").isEqualTo(401);
		assertThat(exchange(this.client.post().uri("/login")).getStatus().value()).isEqualTo(401);
		EntityExchangeResult<String> rejected = exchange(this.client.post().uri("/login"));
		assertThat(rejected.getStatus().value()).isEqualTo(429);
		assertThat(rejected.getResponseHeaders().containsHeader("WWW-Authenticate")).isFalse();
		assertThat(ProblemBody.of(rejected.getResponseBody()).violatedPolicies()).containsExactly("login");
	}

	@Test
	void forgedForwardedForShouldChangeNothingUnderTheDefaultStrategy() {
		for (int i = 1; i <= 2; i++) {
			assertThat(exchange(this.client.post().uri("/password-reset").header("X-Forwarded-For", "203.0.113." + i))
				.getStatus()
				.value()).isEqualTo(200);
		}
		assertThat(exchange(this.client.post().uri("/password-reset").header("X-Forwarded-For", "203.0.113.3"))
			.getStatus()
			.value()).as("every forged address counts against the connection's").isEqualTo(429);
	}

	private static EntityExchangeResult<String> exchange(WebTestClient.RequestHeadersSpec<?> request) {
		return request.exchange().expectBody(String.class).returnResult();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(QuoteController.class)
	static class Application {

		@Bean
		SecurityWebFilterChain security(ServerHttpSecurity http) {
			return http
				.authorizeExchange((exchanges) -> exchanges.pathMatchers("/quotes/**", "/password-reset")
					.permitAll()
					.anyExchange()
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
		public Mono<Map<String, Object>> quote(@PathVariable String product) {
			return Mono.just(Map.of("product", product, "price", 42));
		}

		@PostMapping("/login")
		public Mono<String> login() {
			return Mono.just("welcome");
		}

		@PostMapping("/password-reset")
		public Mono<String> passwordReset() {
			return Mono.just("sent");
		}

	}

}
