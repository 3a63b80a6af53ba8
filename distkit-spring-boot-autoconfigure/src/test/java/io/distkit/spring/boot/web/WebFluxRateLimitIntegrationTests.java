package io.distkit.spring.boot.web;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.config.EnableWebFlux;
import reactor.core.publisher.Mono;

import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.spring.boot.annotation.RateLimited;
import io.distkit.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WebFlux on real Redis through WebTestClient: the 429 of a rejected reactive {@code @RateLimited} handler or URL
 * limit, the fields of admitted responses in each {@code distkit.web.headers} style, several limits on one method, the
 * suppressed strategy and a cost above the capacity.
 */
class WebFluxRateLimitIntegrationTests {

	private final String prefix = TestRedis.uniquePrefix("flux");

	private final ReactiveWebApplicationContextRunner runner = WebContexts.reactive(this.prefix)
		.withPropertyValues("distkit.rate-limit.window=1m", "distkit.rate-limit.limits.api.capacity=3",
				"distkit.rate-limit.limits.wide.capacity=10", "distkit.rate-limit.limits.narrow.capacity=2",
				"distkit.rate-limit.limits.narrow.window=30s", "distkit.rate-limit.limits.shed.capacity=2",
				"distkit.rate-limit.limits.shed.strategy=suppressed",
				"distkit.rate-limit.limits.shed.suppression-factor-cache=100ms",
				"distkit.rate-limit.limits.login.capacity=2", "distkit.web.limits[0].paths=/login,/signin/**",
				"distkit.web.limits[0].methods=POST", "distkit.web.limits[0].limit=login",
				"distkit.web.limits[0].key=#request.headers.getFirst('X-User') ?: 'anonymous'")
		.withUserConfiguration(WebConfiguration.class, Api.class);

	@AfterEach
	void clean() {
		WebContexts.clean(this.prefix);
	}

	@Test
	void rejectionShouldBe429WithProblemRetryAfterAndRateLimitFields() {
		this.runner.run((context) -> {
			WebTestClient client = WebContexts.webTestClient(context);
			for (int i = 0; i < 3; i++) {
				client.get().uri("/api").header("X-User", "alice").exchange().expectStatus().isOk();
			}
			EntityExchangeResult<String> rejected = exchange(client.get().uri("/api").header("X-User", "alice"));
			RateLimitDecision.Rejected decision = (RateLimitDecision.Rejected) context.getBean(RateLimiter.class)
				.limit("api")
				.isAllowed("alice");
			HttpHeaders headers = rejected.getResponseHeaders();
			assertThat(rejected.getStatus().value()).isEqualTo(429);
			assertThat(headers.getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
			long retryAfter = Long.parseLong(headers.getFirst("Retry-After"));
			assertThat(retryAfter).isBetween(1L, 60L);
			assertThat(Duration.ofSeconds(retryAfter)).isGreaterThanOrEqualTo(decision.retryAfter());
			assertThat(WebContexts.members(headers.getFirst("RateLimit-Policy")))
				.containsExactly(Map.entry("api", Map.of("q", 3L, "w", 60L)));
			assertThat(WebContexts.members(headers.getFirst("RateLimit")))
				.containsExactly(Map.entry("api", Map.of("r", 0L, "t", retryAfter)));
			ProblemBody body = ProblemBody.of(rejected.getResponseBody());
			assertThat(body.type()).isEqualTo("https://iana.org/assignments/http-problem-types#quota-exceeded");
			assertThat(body.title()).isEqualTo("Request cannot be satisfied as assigned quota has been exceeded");
			assertThat(body.status()).isEqualTo(429);
			assertThat(body.detail()).isEqualTo("Rate limit 'api' exceeded (3 per 60 s); retry after " + retryAfter + " s");
			assertThat(body.instance()).isEqualTo("/api");
			assertThat(body.violatedPolicies()).containsExactly("api");
		});
	}

	@ParameterizedTest
	@EnumSource(RateLimitHeaderStyle.class)
	void admittedResponsesShouldCarryTheFieldsTheStyleAsksFor(RateLimitHeaderStyle style) {
		this.runner.withPropertyValues("distkit.web.headers=" + style.name().toLowerCase()).run((context) -> {
			WebTestClient client = WebContexts.webTestClient(context);
			client.get().uri("/api").header("X-User", "bob").exchange().expectStatus().isOk();
			EntityExchangeResult<String> admitted = exchange(client.get().uri("/api").header("X-User", "bob"));
			HttpHeaders headers = admitted.getResponseHeaders();
			assertThat(admitted.getStatus().value()).isEqualTo(200);
			boolean ietf = style == RateLimitHeaderStyle.IETF || style == RateLimitHeaderStyle.BOTH;
			boolean legacy = style == RateLimitHeaderStyle.LEGACY || style == RateLimitHeaderStyle.BOTH;
			if (ietf) {
				assertThat(WebContexts.members(headers.getFirst("RateLimit-Policy")))
					.containsExactly(Map.entry("api", Map.of("q", 3L, "w", 60L)));
				Map<String, Object> state = WebContexts.members(headers.getFirst("RateLimit")).get("api");
				assertThat(state).containsOnlyKeys("r", "t").containsEntry("r", 1L);
				assertThat((Long) state.get("t")).isBetween(1L, 60L);
			}
			else {
				assertThat(headers.containsHeader("RateLimit-Policy")).isFalse();
				assertThat(headers.containsHeader("RateLimit")).isFalse();
			}
			if (legacy) {
				assertThat(headers.getFirst("X-RateLimit-Limit")).isEqualTo("3");
				assertThat(headers.getFirst("X-RateLimit-Remaining")).isEqualTo("1");
				assertThat(Long.parseLong(headers.getFirst("X-RateLimit-Reset"))).isBetween(1L, 60L);
			}
			else {
				assertThat(headers.containsHeader("X-RateLimit-Limit")).isFalse();
				assertThat(headers.containsHeader("X-RateLimit-Remaining")).isFalse();
				assertThat(headers.containsHeader("X-RateLimit-Reset")).isFalse();
			}
		});
	}

	@Test
	void severalLimitsOnOneMethodShouldBeListedInBothFields() {
		this.runner.run((context) -> {
			WebTestClient client = WebContexts.webTestClient(context);
			HttpHeaders first = exchange(client.get().uri("/two")).getResponseHeaders();
			assertThat(WebContexts.members(first.getFirst("RateLimit-Policy"))).containsExactly(
					Map.entry("wide", Map.of("q", 10L, "w", 60L)), Map.entry("narrow", Map.of("q", 2L, "w", 30L)));
			Map<String, Map<String, Object>> state = WebContexts.members(first.getFirst("RateLimit"));
			assertThat(state.keySet()).containsExactly("wide", "narrow");
			assertThat(state.get("wide")).containsEntry("r", 9L);
			assertThat(state.get("narrow")).containsEntry("r", 1L);
			exchange(client.get().uri("/two"));
			EntityExchangeResult<String> rejected = exchange(client.get().uri("/two"));
			assertThat(rejected.getStatus().value()).isEqualTo(429);
			HttpHeaders headers = rejected.getResponseHeaders();
			assertThat(WebContexts.members(headers.getFirst("RateLimit-Policy")).keySet())
				.containsExactly("wide", "narrow");
			Map<String, Map<String, Object>> rejectedState = WebContexts.members(headers.getFirst("RateLimit"));
			assertThat(rejectedState.keySet()).containsExactly("wide", "narrow");
			assertThat(rejectedState.get("wide")).as("the unit 'wide' took was refunded").containsEntry("r", 8L);
			assertThat(rejectedState.get("narrow")).containsEntry("r", 0L)
				.containsEntry("t", Long.parseLong(headers.getFirst("Retry-After")));
			assertThat(ProblemBody.of(rejected.getResponseBody()).violatedPolicies()).containsExactly("narrow");
		});
	}

	@Test
	void suppressedLimitShouldRetryAfterTheFactorCachePeriodRoundedUpToOneSecond() {
		this.runner.run((context) -> {
			WebTestClient client = WebContexts.webTestClient(context);
			exchange(client.get().uri("/shed"));
			exchange(client.get().uri("/shed"));
			EntityExchangeResult<String> refused = exchange(client.get().uri("/shed"));
			assertThat(refused.getStatus().value()).isEqualTo(429);
			HttpHeaders headers = refused.getResponseHeaders();
			assertThat(headers.getFirst("Retry-After")).as("100 ms rounded up").isEqualTo("1");
			assertThat(WebContexts.members(headers.getFirst("RateLimit-Policy")))
				.containsExactly(Map.entry("shed", Map.of("q", 2L, "w", 60L)));
			assertThat(WebContexts.members(headers.getFirst("RateLimit")))
				.containsExactly(Map.entry("shed", Map.of("r", 0L, "t", 1L)));
		});
	}

	@Test
	void costAboveTheCapacityShouldBe429WithoutRetryAfter() {
		this.runner.run((context) -> {
			WebTestClient client = WebContexts.webTestClient(context);
			EntityExchangeResult<String> rejected = exchange(client.post().uri("/bulk").header("X-Cost", "4"));
			assertThat(rejected.getStatus().value()).isEqualTo(429);
			assertThat(rejected.getResponseHeaders().containsHeader("Retry-After")).isFalse();
			assertThat(ProblemBody.of(rejected.getResponseBody()).detail()).isEqualTo("cost exceeds capacity");
		});
	}

	@Test
	void urlLimitShouldApplyToItsPathsAndMethodBeforeAnyHandler() {
		this.runner.run((context) -> {
			WebTestClient client = WebContexts.webTestClient(context);
			client.post().uri("/login").header("X-User", "carol").exchange().expectStatus().isOk();
			EntityExchangeResult<String> admitted = exchange(client.post().uri("/signin/sso").header("X-User", "carol"));
			assertThat(admitted.getStatus().value()).isEqualTo(200);
			assertThat(WebContexts.members(admitted.getResponseHeaders().getFirst("RateLimit")).get("login"))
				.containsEntry("r", 0L);
			EntityExchangeResult<String> rejected = exchange(client.post().uri("/login").header("X-User", "carol"));
			assertThat(rejected.getStatus().value()).isEqualTo(429);
			assertThat(rejected.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
			assertThat(ProblemBody.of(rejected.getResponseBody()).violatedPolicies()).containsExactly("login");
			assertThat(ProblemBody.of(rejected.getResponseBody()).instance()).isEqualTo("/login");
			assertThat(context.getBean(Api.class).logins()).as("the handler never ran for the rejected request")
				.isEqualTo(2);
			client.get().uri("/login").header("X-User", "carol").exchange().expectStatus().isOk();
			client.post().uri("/login").header("X-User", "dave").exchange().expectStatus().isOk();
		});
	}

	private static EntityExchangeResult<String> exchange(WebTestClient.RequestHeadersSpec<?> request) {
		return request.exchange().expectBody(String.class).returnResult();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebFlux
	static class WebConfiguration {

	}

	@RestController
	static class Api {

		private final AtomicInteger logins = new AtomicInteger();

		@GetMapping("/api")
		@RateLimited(limit = "api", key = "#request.headers.getFirst('X-User') ?: 'anonymous'")
		public Mono<String> api() {
			return Mono.just("ok");
		}

		@GetMapping("/two")
		@RateLimited(limit = "wide", key = "'k'")
		@RateLimited(limit = "narrow", key = "'k'")
		public Mono<String> two() {
			return Mono.just("ok");
		}

		@GetMapping("/shed")
		@RateLimited(limit = "shed", key = "'k'")
		public Mono<String> shed() {
			return Mono.just("ok");
		}

		@PostMapping("/bulk")
		@RateLimited(limit = "api", key = "'bulk'", cost = "T(Long).parseLong(#request.headers.getFirst('X-Cost'))")
		public Mono<String> bulk() {
			return Mono.just("ok");
		}

		@PostMapping({ "/login", "/signin/sso" })
		public Mono<String> login() {
			return Mono.fromSupplier(() -> {
				this.logins.incrementAndGet();
				return "welcome";
			});
		}

		@GetMapping("/login")
		public Mono<String> loginForm() {
			return Mono.just("form");
		}

		public int logins() {
			return this.logins.get();
		}

	}

}
