package io.distkit.spring.boot.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.distkit.counter.LaxCounter;
import io.distkit.counter.StrictCounter;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.test.RedisAdmin;
import io.distkit.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code distkit} endpoint over real HTTP, read-only by default and writable when access is unrestricted. */
class DistkitEndpointWebIntegrationTests {

	private static final String PREFIX = TestRedis.uniquePrefix("endpoint");

	private static final HttpClient http = HttpClient.newHttpClient();

	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", () -> TestRedis.endpoint().url());
		registry.add("spring.data.redis.timeout", () -> "2s");
		registry.add("distkit.prefix", () -> PREFIX);
		registry.add("distkit.rate-limit.limits.api.capacity", () -> "3");
		registry.add("management.endpoints.web.exposure.include", () -> "health,distkit");
		registry.add("management.endpoint.health.probes.enabled", () -> "true");
		registry.add("management.endpoint.health.show-components", () -> "always");
		registry.add("management.endpoint.health.show-details", () -> "always");
	}

	@AfterAll
	static void cleanUp() {
		try (RedisAdmin admin = TestRedis.endpoint().admin()) {
			admin.deleteKeysContaining(PREFIX);
		}
	}

	static HttpResponse<String> send(int port, String method, String path, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.header("Content-Type", "application/json");
		request.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body)
				: HttpRequest.BodyPublishers.noBody());
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** Spring Security is on the test class path (for distkit's HTTP tests); this application runs without it. */
	@SpringBootConfiguration
	@EnableAutoConfiguration(excludeName = {
			"org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration" })
	static class Application {

	}

	@Nested
	@SpringBootTest(classes = Application.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
	class ReadOnlyByDefault {

		@DynamicPropertySource
		static void properties(DynamicPropertyRegistry registry) {
			redis(registry);
		}

		@LocalServerPort
		int port;

		@Autowired
		StrictCounter strict;

		@Autowired
		LaxCounter lax;

		@Autowired
		RateLimiter rateLimiter;

		@Test
		void overviewListsLimitsCountersAndRedis() throws Exception {
			HttpResponse<String> response = send(this.port, "GET", "/actuator/distkit", null);
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).contains("\"prefix\":\"" + PREFIX + "\"")
				.contains("\"api\":{\"capacity\":3")
				.contains("\"counters\":[\"lax\",\"lax-instance-aware\",\"strict\",\"strict-instance-aware\"]")
				.contains("\"circuitBreaker\":\"CLOSED\"");
		}

		@Test
		void readsOneCounterKeyAndOneLimitKey() throws Exception {
			this.strict.set("orders", 42);
			this.lax.set("views", 7);
			this.rateLimiter.limit("api").inc("user-1", 2);
			assertThat(send(this.port, "GET", "/actuator/distkit/counter/strict/orders", null).body())
				.isEqualTo("{\"type\":\"strict\",\"key\":\"orders\",\"value\":42}");
			assertThat(send(this.port, "GET", "/actuator/distkit/counter/lax/views", null).body()).contains("\"value\":7");
			assertThat(send(this.port, "GET", "/actuator/distkit/limit/api/user-1", null).body())
				.contains("\"total\":2")
				.contains("\"remaining\":1");
		}

		@Test
		void healthShowsDistkitButNotInLivenessOrReadiness() throws Exception {
			HttpResponse<String> health = send(this.port, "GET", "/actuator/health", null);
			assertThat(health.body()).contains("\"distkit\":{").contains("\"redis\":\"available\"");
			assertThat(send(this.port, "GET", "/actuator/health/liveness", null).body()).doesNotContain("distkit");
			assertThat(send(this.port, "GET", "/actuator/health/readiness", null).body()).doesNotContain("distkit");
		}

		@Autowired
		io.distkit.icounter.StrictInstanceAwareCounter instanceAware;

		@Test
		void readsOneInstanceAwareKey() throws Exception {
			this.instanceAware.inc("connections", 3);
			String body = send(this.port, "GET", "/actuator/distkit/counter/strict-instance-aware/connections", null)
				.body();
			assertThat(body).contains("\"cumulative\":3")
				.contains("\"slice\":3")
				.contains("\"instanceId\":\"" + this.instanceAware.instanceId() + "\"")
				.contains("\"liveInstances\":1");
		}

		@Test
		void unknownEntriesAre404() throws Exception {
			assertThat(send(this.port, "GET", "/actuator/distkit/counter/nope/k", null).statusCode()).isEqualTo(404);
			assertThat(send(this.port, "GET", "/actuator/distkit/limit/nope/k", null).statusCode()).isEqualTo(404);
			assertThat(send(this.port, "GET", "/actuator/distkit/other/x/k", null).statusCode()).isEqualTo(404);
		}

		@Test
		void writesAreRefused() throws Exception {
			this.strict.set("stock", 5);
			HttpResponse<String> set = send(this.port, "POST", "/actuator/distkit/counter/strict/stock", "{\"value\":99}");
			HttpResponse<String> delete = send(this.port, "DELETE", "/actuator/distkit/counter/strict/stock", null);
			assertThat(set.statusCode()).isBetween(400, 499);
			assertThat(delete.statusCode()).isBetween(400, 499);
			assertThat(this.strict.get("stock")).isEqualTo(5);
		}

	}

	@Nested
	@SpringBootTest(classes = Application.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = "management.endpoint.distkit.access=unrestricted")
	class WritableWhenUnrestricted {

		@DynamicPropertySource
		static void properties(DynamicPropertyRegistry registry) {
			redis(registry);
		}

		@LocalServerPort
		int port;

		@Autowired
		StrictCounter strict;

		@Autowired
		RateLimiter rateLimiter;

		@Test
		void setAndDeleteCounterKeys() throws Exception {
			HttpResponse<String> set = send(this.port, "POST", "/actuator/distkit/counter/strict/stock", "{\"value\":99}");
			assertThat(set.statusCode()).isEqualTo(200);
			assertThat(this.strict.get("stock")).isEqualTo(99);
			HttpResponse<String> delete = send(this.port, "DELETE", "/actuator/distkit/counter/strict/stock", null);
			assertThat(delete.body()).isEqualTo("{\"key\":\"stock\",\"previous\":99}");
			assertThat(this.strict.get("stock")).isZero();
		}

		@Test
		void resetALimitKey() throws Exception {
			this.rateLimiter.limit("api").inc("user-2", 3);
			assertThat(this.rateLimiter.limit("api").inc("user-2").isAdmitted()).isFalse();
			HttpResponse<String> reset = send(this.port, "DELETE", "/actuator/distkit/limit/api/user-2", null);
			assertThat(reset.statusCode()).isEqualTo(200);
			assertThat(reset.body()).contains("\"previous\":3");
			assertThat(this.rateLimiter.limit("api").inc("user-2").isAdmitted()).isTrue();
		}

	}

}
