package io.distkit.spring.boot.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.filter.ForwardedHeaderFilter;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.RateLimitExceededException;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.spring.boot.annotation.RateLimited;
import io.distkit.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Spring MVC on real Redis through MockMvc: the 429 of a rejected {@code @RateLimited} handler or URL limit (status,
 * problem body, {@code Retry-After}, structured {@code RateLimit-Policy} and {@code RateLimit} fields), the fields of
 * admitted responses in each {@code distkit.web.headers} style, several limits on one method, the suppressed strategy,
 * a cost above the capacity, a replaced problem body, an asynchronous handler decided on another thread, and client
 * addresses that ignore a forged {@code X-Forwarded-For}.
 */
class ServletRateLimitIntegrationTests {

	private final String prefix = TestRedis.uniquePrefix("mvc");

	private final WebApplicationContextRunner runner = WebContexts.servlet(this.prefix)
		.withPropertyValues("distkit.rate-limit.window=1m", "distkit.rate-limit.limits.api.capacity=3",
				"distkit.rate-limit.limits.wide.capacity=10", "distkit.rate-limit.limits.narrow.capacity=2",
				"distkit.rate-limit.limits.narrow.window=30s", "distkit.rate-limit.limits.shed.capacity=2",
				"distkit.rate-limit.limits.shed.strategy=suppressed",
				"distkit.rate-limit.limits.shed.suppression-factor-cache=1500ms",
				"distkit.rate-limit.limits.login.capacity=2", "distkit.web.limits[0].paths=/login",
				"distkit.web.limits[0].methods=post", "distkit.web.limits[0].limit=login",
				"distkit.web.limits[1].paths=/reports/**", "distkit.web.limits[1].limit=wide",
				"distkit.web.limits[1].key='reports'", "distkit.web.limits[2].paths=/reports/daily",
				"distkit.web.limits[2].limit=narrow", "distkit.web.limits[2].key='reports'")
		.withUserConfiguration(WebConfiguration.class, Api.class);

	@AfterEach
	void clean() {
		WebContexts.clean(this.prefix);
	}

	@Test
	void rejectionShouldBe429WithProblemRetryAfterAndRateLimitFields() {
		this.runner.run((context) -> {
			MockMvc mvc = WebContexts.mockMvc(context);
			for (int i = 0; i < 3; i++) {
				assertThat(mvc.perform(get("/api").header("X-User", "alice")).andReturn().getResponse().getStatus())
					.isEqualTo(200);
			}
			MockHttpServletResponse rejected = mvc.perform(get("/api").header("X-User", "alice"))
				.andReturn()
				.getResponse();
			RateLimitDecision.Rejected decision = (RateLimitDecision.Rejected) context.getBean(RateLimiter.class)
				.limit("api")
				.isAllowed("alice");
			assertThat(rejected.getStatus()).isEqualTo(429);
			assertThat(rejected.getContentType()).isEqualTo("application/problem+json");
			long retryAfter = Long.parseLong(rejected.getHeader("Retry-After"));
			assertThat(retryAfter).isBetween(1L, 60L);
			assertThat(Duration.ofSeconds(retryAfter)).as("never earlier than the decision's retry time")
				.isGreaterThanOrEqualTo(decision.retryAfter());
			assertThat(WebContexts.members(rejected.getHeader("RateLimit-Policy")))
				.containsExactly(Map.entry("api", Map.of("q", 3L, "w", 60L)));
			assertThat(WebContexts.members(rejected.getHeader("RateLimit")))
				.containsExactly(Map.entry("api", Map.of("r", 0L, "t", retryAfter)));
			assertThat(rejected.getHeader("X-RateLimit-Limit")).isNull();
			ProblemBody body = ProblemBody.of(rejected.getContentAsString());
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
			MockMvc mvc = WebContexts.mockMvc(context);
			mvc.perform(get("/api").header("X-User", "bob"));
			MockHttpServletResponse admitted = mvc.perform(get("/api").header("X-User", "bob")).andReturn().getResponse();
			assertThat(admitted.getStatus()).isEqualTo(200);
			boolean ietf = style == RateLimitHeaderStyle.IETF || style == RateLimitHeaderStyle.BOTH;
			boolean legacy = style == RateLimitHeaderStyle.LEGACY || style == RateLimitHeaderStyle.BOTH;
			if (ietf) {
				assertThat(WebContexts.members(admitted.getHeader("RateLimit-Policy")))
					.containsExactly(Map.entry("api", Map.of("q", 3L, "w", 60L)));
				Map<String, Object> state = WebContexts.members(admitted.getHeader("RateLimit")).get("api");
				assertThat(state).containsOnlyKeys("r", "t").containsEntry("r", 1L);
				assertThat((Long) state.get("t")).isBetween(1L, 60L);
			}
			else {
				assertThat(admitted.getHeaderNames()).doesNotContain("RateLimit-Policy", "RateLimit");
			}
			if (legacy) {
				assertThat(admitted.getHeader("X-RateLimit-Limit")).isEqualTo("3");
				assertThat(admitted.getHeader("X-RateLimit-Remaining")).isEqualTo("1");
				assertThat(Long.parseLong(admitted.getHeader("X-RateLimit-Reset"))).isBetween(1L, 60L);
			}
			else {
				assertThat(admitted.getHeaderNames()).doesNotContain("X-RateLimit-Limit", "X-RateLimit-Remaining",
						"X-RateLimit-Reset");
			}
		});
	}

	@Test
	void severalLimitsOnOneMethodShouldBeListedInBothFields() {
		this.runner.run((context) -> {
			MockMvc mvc = WebContexts.mockMvc(context);
			MockHttpServletResponse first = mvc.perform(get("/two")).andReturn().getResponse();
			assertThat(WebContexts.members(first.getHeader("RateLimit-Policy"))).containsExactly(
					Map.entry("wide", Map.of("q", 10L, "w", 60L)), Map.entry("narrow", Map.of("q", 2L, "w", 30L)));
			assertThat(WebContexts.members(first.getHeader("RateLimit")).keySet()).containsExactly("wide", "narrow");
			assertThat(WebContexts.members(first.getHeader("RateLimit")).get("wide")).containsEntry("r", 9L);
			assertThat(WebContexts.members(first.getHeader("RateLimit")).get("narrow")).containsEntry("r", 1L);
			mvc.perform(get("/two"));
			MockHttpServletResponse rejected = mvc.perform(get("/two")).andReturn().getResponse();
			assertThat(rejected.getStatus()).isEqualTo(429);
			assertThat(WebContexts.members(rejected.getHeader("RateLimit-Policy")).keySet())
				.containsExactly("wide", "narrow");
			Map<String, Map<String, Object>> state = WebContexts.members(rejected.getHeader("RateLimit"));
			assertThat(state.keySet()).containsExactly("wide", "narrow");
			assertThat(state.get("wide")).as("the unit 'wide' took was refunded").containsEntry("r", 8L);
			assertThat(state.get("narrow")).containsEntry("r", 0L)
				.containsEntry("t", Long.parseLong(rejected.getHeader("Retry-After")));
			assertThat(ProblemBody.of(rejected.getContentAsString()).violatedPolicies()).containsExactly("narrow");
			assertThat(context.getBean(RateLimiter.class).limit("wide").get("k").total()).isEqualTo(2);
		});
	}

	@Test
	void suppressedLimitShouldShowItsSoftCapacityAndRetryAfterTheFactorCachePeriod() {
		this.runner.run((context) -> {
			MockMvc mvc = WebContexts.mockMvc(context);
			MockHttpServletResponse first = mvc.perform(get("/shed")).andReturn().getResponse();
			assertThat(WebContexts.members(first.getHeader("RateLimit-Policy")))
				.containsExactly(Map.entry("shed", Map.of("q", 2L, "w", 60L)));
			assertThat(WebContexts.members(first.getHeader("RateLimit")).get("shed")).containsEntry("r", 1L);
			mvc.perform(get("/shed"));
			MockHttpServletResponse refused = mvc.perform(get("/shed")).andReturn().getResponse();
			assertThat(refused.getStatus()).isEqualTo(429);
			assertThat(refused.getHeader("Retry-After")).as("1500 ms rounded up").isEqualTo("2");
			assertThat(WebContexts.members(refused.getHeader("RateLimit-Policy")))
				.containsExactly(Map.entry("shed", Map.of("q", 2L, "w", 60L)));
			assertThat(WebContexts.members(refused.getHeader("RateLimit")))
				.containsExactly(Map.entry("shed", Map.of("r", 0L, "t", 2L)));
			assertThat(ProblemBody.of(refused.getContentAsString()).violatedPolicies()).containsExactly("shed");
		});
	}

	@Test
	void costAboveTheCapacityShouldBe429WithoutRetryAfter() {
		this.runner.run((context) -> {
			MockMvc mvc = WebContexts.mockMvc(context);
			MockHttpServletResponse rejected = mvc.perform(post("/bulk").header("X-Cost", "5")).andReturn().getResponse();
			assertThat(rejected.getStatus()).isEqualTo(429);
			assertThat(rejected.getHeader("Retry-After")).isNull();
			assertThat(ProblemBody.of(rejected.getContentAsString()).detail()).isEqualTo("cost exceeds capacity");
			assertThat(WebContexts.members(rejected.getHeader("RateLimit")))
				.containsExactly(Map.entry("api", Map.of("r", 3L, "t", 0L)));
			assertThat(mvc.perform(post("/bulk").header("X-Cost", "2")).andReturn().getResponse().getStatus())
				.isEqualTo(200);
		});
	}

	@Test
	void applicationShouldReplaceTheBodyThroughAProblemFactoryBean() {
		this.runner.withBean(RateLimitProblemFactory.class, ShortProblems::new).run((context) -> {
			MockMvc mvc = WebContexts.mockMvc(context);
			for (int i = 0; i < 3; i++) {
				mvc.perform(get("/api"));
			}
			MockHttpServletResponse rejected = mvc.perform(get("/api")).andReturn().getResponse();
			assertThat(rejected.getStatus()).isEqualTo(429);
			assertThat(rejected.getHeader("Retry-After")).isNotNull();
			assertThat(rejected.getHeader("RateLimit")).isNotNull();
			ProblemBody body = ProblemBody.of(rejected.getContentAsString());
			assertThat(body.title()).isEqualTo("Slow down");
			assertThat(body.json()).containsEntry("plan", "free");
		});
	}

	@Test
	void urlLimitShouldApplyToItsPathAndMethodBeforeAnyHandler() {
		this.runner.run((context) -> {
			MockMvc mvc = WebContexts.mockMvc(context);
			assertThat(perform(mvc, from("10.0.0.1", post("/login"))).getStatus()).isEqualTo(200);
			MockHttpServletResponse admitted = perform(mvc, from("10.0.0.1", post("/login")));
			assertThat(WebContexts.members(admitted.getHeader("RateLimit")).get("login")).containsEntry("r", 0L);
			MockHttpServletResponse rejected = perform(mvc, from("10.0.0.1", post("/login")));
			assertThat(rejected.getStatus()).isEqualTo(429);
			assertThat(rejected.getContentType()).isEqualTo("application/problem+json");
			assertThat(ProblemBody.of(rejected.getContentAsString()).violatedPolicies()).containsExactly("login");
			assertThat(WebContexts.members(rejected.getHeader("RateLimit-Policy")))
				.containsExactly(Map.entry("login", Map.of("q", 2L, "w", 60L)));
			assertThat(context.getBean(Api.class).logins()).as("the handler never ran for the rejected request")
				.isEqualTo(2);
			assertThat(perform(mvc, from("10.0.0.1", get("/login"))).getStatus()).as("GET is not limited")
				.isEqualTo(200);
			assertThat(perform(mvc, from("10.0.0.2", post("/login"))).getStatus()).as("another client")
				.isEqualTo(200);
		});
	}

	@Test
	void urlLimitsAndAnnotationsOfOneRequestShouldBeListedTogether() {
		this.runner.run((context) -> {
			MockMvc mvc = WebContexts.mockMvc(context);
			MockHttpServletResponse first = perform(mvc, get("/reports/daily"));
			assertThat(WebContexts.members(first.getHeader("RateLimit-Policy")).keySet()).containsExactly("wide",
					"narrow", "api");
			assertThat(WebContexts.members(first.getHeader("RateLimit")).keySet()).containsExactly("wide", "narrow",
					"api");
			perform(mvc, get("/reports/daily"));
			MockHttpServletResponse rejected = perform(mvc, get("/reports/daily"));
			assertThat(rejected.getStatus()).isEqualTo(429);
			Map<String, Map<String, Object>> state = WebContexts.members(rejected.getHeader("RateLimit"));
			assertThat(state.keySet()).as("the annotation never ran").containsExactly("wide", "narrow");
			assertThat(state.get("wide")).as("the unit the first URL limit took was refunded").containsEntry("r", 8L);
			assertThat(ProblemBody.of(rejected.getContentAsString()).violatedPolicies()).containsExactly("narrow");
			assertThat(context.getBean(RateLimiter.class).limit("wide").get("reports").total()).isEqualTo(2);
		});
	}

	@Test
	void forgedForwardedForShouldHaveNoEffectWithoutSpringsForwardedHeaderSupport() {
		this.runner.run((context) -> {
			MockMvc mvc = WebContexts.mockMvc(context);
			assertThat(perform(mvc, from("10.0.0.1", post("/login").header("X-Forwarded-For", "203.0.113.1")))
				.getStatus()).isEqualTo(200);
			assertThat(perform(mvc, from("10.0.0.1", post("/login").header("X-Forwarded-For", "203.0.113.2")))
				.getStatus()).isEqualTo(200);
			assertThat(perform(mvc, from("10.0.0.1", post("/login").header("X-Forwarded-For", "203.0.113.3")))
				.getStatus()).as("every forged address counts against the real one").isEqualTo(429);
		});
	}

	@Test
	void forwardedForShouldCountThroughSpringsForwardedHeaderFilter() {
		this.runner.withBean(FirstForwardedHeaderFilter.class).run((context) -> {
			MockMvc mvc = WebContexts.mockMvc(context);
			for (int i = 1; i <= 3; i++) {
				assertThat(perform(mvc, from("10.0.0.1", post("/login").header("X-Forwarded-For", "203.0.113." + i)))
					.getStatus()).isEqualTo(200);
			}
		});
	}

	@Test
	void asynchronousHandlerShouldRecordItsDecisionsForTheResponse() {
		this.runner.run((context) -> {
			MockMvc mvc = WebContexts.mockMvc(context);
			for (int i = 0; i < 3; i++) {
				MvcResult started = mvc.perform(get("/async")).andReturn();
				assertThat(started.getRequest().isAsyncStarted()).isTrue();
				MockHttpServletResponse admitted = mvc.perform(asyncDispatch(started)).andReturn().getResponse();
				assertThat(admitted.getStatus()).isEqualTo(200);
				assertThat(admitted.getContentAsString()).isEqualTo("later");
				assertThat(WebContexts.members(admitted.getHeader("RateLimit")).get("api"))
					.containsEntry("r", (long) (2 - i));
			}
			MockHttpServletResponse rejected = mvc.perform(asyncDispatch(mvc.perform(get("/async")).andReturn()))
				.andReturn()
				.getResponse();
			assertThat(rejected.getStatus()).isEqualTo(429);
			assertThat(WebContexts.members(rejected.getHeader("RateLimit")))
				.containsExactly(Map.entry("api", Map.of("r", 0L, "t", Long.parseLong(rejected.getHeader("Retry-After")))));
		});
	}

	@Test
	void rejectionHandledByTheApplicationShouldKeepItsOwnAnswer() {
		this.runner.withUserConfiguration(OwnHandler.class).run((context) -> {
			MockMvc mvc = WebContexts.mockMvc(context);
			for (int i = 0; i < 3; i++) {
				mvc.perform(get("/api"));
			}
			MockHttpServletResponse rejected = mvc.perform(get("/api")).andReturn().getResponse();
			assertThat(rejected.getStatus()).isEqualTo(418);
			assertThat(rejected.getContentAsString()).isEqualTo("own: api");
		});
	}

	private static MockHttpServletResponse perform(MockMvc mvc, MockHttpServletRequestBuilder request)
			throws Exception {
		return mvc.perform(request).andReturn().getResponse();
	}

	private static MockHttpServletRequestBuilder from(String address, MockHttpServletRequestBuilder request) {
		return request.with((servletRequest) -> {
			servletRequest.setRemoteAddr(address);
			return servletRequest;
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebMvc
	static class WebConfiguration {

	}

	@RestController
	static class Api {

		private final AtomicInteger logins = new AtomicInteger();

		@GetMapping("/api")
		@RateLimited(limit = "api", key = "#request.getHeader('X-User') ?: 'anonymous'")
		public String api() {
			return "ok";
		}

		@GetMapping("/two")
		@RateLimited(limit = "wide", key = "'k'")
		@RateLimited(limit = "narrow", key = "'k'")
		public String two() {
			return "ok";
		}

		@GetMapping("/shed")
		@RateLimited(limit = "shed", key = "'k'")
		public String shed() {
			return "ok";
		}

		@PostMapping("/bulk")
		@RateLimited(limit = "api", key = "'bulk'", cost = "#request.getIntHeader('X-Cost')")
		public String bulk() {
			return "ok";
		}

		@GetMapping("/reports/daily")
		@RateLimited(limit = "api", key = "'reports'")
		public String daily() {
			return "report";
		}

		@GetMapping("/async")
		@RateLimited(limit = "api", key = "'async'")
		public CompletableFuture<String> async() {
			return CompletableFuture.completedFuture("later");
		}

		@PostMapping("/login")
		public String login() {
			this.logins.incrementAndGet();
			return "welcome";
		}

		public int logins() {
			return this.logins.get();
		}

		@GetMapping("/login")
		public String loginForm() {
			return "form";
		}

	}

	@RestControllerAdvice
	static class OwnHandler {

		@ExceptionHandler(RateLimitExceededException.class)
		ResponseEntity<String> own(RateLimitExceededException ex) {
			return ResponseEntity.status(418).body("own: " + ex.getLimitName());
		}

	}

	/** Spring's forwarded-header support as {@code server.forward-headers-strategy=framework} orders it: first. */
	static class FirstForwardedHeaderFilter extends ForwardedHeaderFilter implements Ordered {

		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE;
		}

	}

	static class ShortProblems extends DefaultRateLimitProblemFactory {

		@Override
		public ProblemDetail quotaExceeded(RateLimitExceededException exception, List<AppliedLimit> applied) {
			ProblemDetail problem = ProblemDetail.forStatus(HttpStatus.TOO_MANY_REQUESTS);
			problem.setTitle("Slow down");
			problem.setProperty("plan", "free");
			return problem;
		}

	}

}
