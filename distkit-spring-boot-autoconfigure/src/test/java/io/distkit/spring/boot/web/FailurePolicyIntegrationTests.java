package io.distkit.spring.boot.web;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.config.EnableWebFlux;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;
import reactor.core.publisher.Mono;

import io.distkit.spring.boot.annotation.RateLimited;
import io.distkit.spring.boot.autoconfigure.DistkitMetricsAutoConfiguration;
import io.distkit.test.RedisProcess;
import io.distkit.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * The failure policy at the HTTP edge, with a Redis the test stops: {@code fail-closed} answers 503 with the
 * temporary-reduced-capacity problem and {@code Retry-After} = the circuit breaker's open period; {@code fail-open}
 * lets the request through without rate-limit fields and counts it in {@code distkit.ratelimit.fail.open}. For
 * {@code @RateLimited} handlers and URL limits, in Spring MVC and WebFlux.
 */
class FailurePolicyIntegrationTests {

	private static RedisProcess redis;

	private final String prefix = TestRedis.uniquePrefix("policy");

	private final String[] properties = { "spring.data.redis.url=" + redis.endpoint().url(),
			"spring.data.redis.timeout=500ms", "distkit.prefix=" + this.prefix,
			"distkit.redis.circuit-breaker.open-for=7s", "distkit.rate-limit.window=1m",
			"distkit.rate-limit.limits.api.capacity=5", "distkit.rate-limit.limits.login.capacity=5",
			"distkit.web.limits[0].paths=/login", "distkit.web.limits[0].limit=login",
			"distkit.web.limits[0].key='everyone'" };

	private final AutoConfigurations metrics = AutoConfigurations.of(DistkitMetricsAutoConfiguration.class,
			MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class);

	private final WebApplicationContextRunner servlet = new WebApplicationContextRunner()
		.withConfiguration(WebContexts.DISTKIT)
		.withConfiguration(this.metrics)
		.withPropertyValues(this.properties)
		.withUserConfiguration(MvcConfiguration.class, MvcApi.class);

	private final ReactiveWebApplicationContextRunner reactive = new ReactiveWebApplicationContextRunner()
		.withConfiguration(WebContexts.DISTKIT)
		.withConfiguration(this.metrics)
		.withPropertyValues(this.properties)
		.withUserConfiguration(FluxConfiguration.class, FluxApi.class);

	@BeforeAll
	static void startRedis() {
		redis = RedisProcess.start();
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@AfterEach
	void restartRedis() {
		if (!redis.isRunning()) {
			redis.restart();
		}
	}

	@Test
	void failClosedShouldAnswer503InSpringMvc() {
		this.servlet.withPropertyValues("distkit.rate-limit.on-backend-failure=fail-closed").run((context) -> {
			MockMvc mvc = WebContexts.mockMvc(context);
			assertThat(mvc.perform(get("/api")).andReturn().getResponse().getStatus()).isEqualTo(200);
			redis.stop();
			for (MockHttpServletResponse response : new MockHttpServletResponse[] {
					mvc.perform(get("/api")).andReturn().getResponse(),
					mvc.perform(post("/login")).andReturn().getResponse() }) {
				assertThat(response.getStatus()).isEqualTo(503);
				assertThat(response.getContentType()).isEqualTo("application/problem+json");
				assertThat(response.getHeader("Retry-After")).isEqualTo("7");
				assertThat(response.getHeaderNames()).doesNotContain("RateLimit", "RateLimit-Policy");
				ProblemBody body = ProblemBody.of(response.getContentAsString());
				assertThat(body.type())
					.isEqualTo("https://iana.org/assignments/http-problem-types#temporary-reduced-capacity");
				assertThat(body.status()).isEqualTo(503);
			}
		});
	}

	@Test
	void failOpenShouldLetRequestsThroughWithoutFieldsAndCountThemInSpringMvc() {
		this.servlet.run((context) -> {
			MockMvc mvc = WebContexts.mockMvc(context);
			assertThat(mvc.perform(get("/api")).andReturn().getResponse().getHeader("RateLimit")).isNotNull();
			redis.stop();
			for (MockHttpServletResponse response : new MockHttpServletResponse[] {
					mvc.perform(get("/api")).andReturn().getResponse(),
					mvc.perform(post("/login")).andReturn().getResponse() }) {
				assertThat(response.getStatus()).isEqualTo(200);
				assertThat(response.getHeaderNames()).doesNotContain("RateLimit", "RateLimit-Policy",
						"X-RateLimit-Limit", "Retry-After");
			}
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("distkit.ratelimit.fail.open").tag("limit", "api").counter().count()).isEqualTo(1);
			assertThat(registry.get("distkit.ratelimit.fail.open").tag("limit", "login").counter().count())
				.isEqualTo(1);
		});
	}

	@Test
	void failClosedShouldAnswer503InWebFlux() {
		this.reactive.withPropertyValues("distkit.rate-limit.on-backend-failure=fail-closed").run((context) -> {
			var client = WebContexts.webTestClient(context);
			client.get().uri("/api").exchange().expectStatus().isOk();
			redis.stop();
			for (String method : new String[] { "GET /api", "POST /login" }) {
				EntityExchangeResult<String> result = (method.startsWith("GET") ? client.get().uri("/api")
						: client.post().uri("/login")).exchange().expectBody(String.class).returnResult();
				HttpHeaders headers = result.getResponseHeaders();
				assertThat(result.getStatus().value()).as(method).isEqualTo(503);
				assertThat(headers.getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
				assertThat(headers.getFirst("Retry-After")).isEqualTo("7");
				assertThat(headers.containsHeader("RateLimit")).isFalse();
				assertThat(headers.containsHeader("RateLimit-Policy")).isFalse();
				assertThat(ProblemBody.of(result.getResponseBody()).type())
					.isEqualTo("https://iana.org/assignments/http-problem-types#temporary-reduced-capacity");
			}
		});
	}

	@Test
	void failOpenShouldLetRequestsThroughWithoutFieldsAndCountThemInWebFlux() {
		this.reactive.run((context) -> {
			var client = WebContexts.webTestClient(context);
			client.get().uri("/api").exchange().expectHeader().exists("RateLimit");
			redis.stop();
			client.get().uri("/api").exchange().expectStatus().isOk().expectHeader().doesNotExist("RateLimit")
				.expectHeader().doesNotExist("RateLimit-Policy");
			client.post().uri("/login").exchange().expectStatus().isOk().expectHeader().doesNotExist("RateLimit")
				.expectHeader().doesNotExist("RateLimit-Policy");
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("distkit.ratelimit.fail.open").tag("limit", "api").counter().count()).isEqualTo(1);
			assertThat(registry.get("distkit.ratelimit.fail.open").tag("limit", "login").counter().count())
				.isEqualTo(1);
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebMvc
	static class MvcConfiguration {

	}

	@RestController
	static class MvcApi {

		@GetMapping("/api")
		@RateLimited(limit = "api", key = "'k'")
		public String api() {
			return "ok";
		}

		@PostMapping("/login")
		public String login() {
			return "welcome";
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebFlux
	static class FluxConfiguration {

	}

	@RestController
	static class FluxApi {

		@GetMapping("/api")
		@RateLimited(limit = "api", key = "'k'")
		public Mono<String> api() {
			return Mono.just("ok");
		}

		@PostMapping("/login")
		public Mono<String> login() {
			return Mono.just("welcome");
		}

	}

}
