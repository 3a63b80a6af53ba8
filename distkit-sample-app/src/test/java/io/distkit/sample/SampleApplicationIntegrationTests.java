package io.distkit.sample;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.distkit.counter.StrictCounter;
import io.distkit.test.RedisAdmin;
import io.distkit.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample application on a random port against real Redis, called over real HTTP like a user would: every limit
 * of {@code application.yml} answers 429 with the standard fields once spent, the counters advance, the in-flight
 * counter returns to 0, and the Actuator shows the values.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleApplicationIntegrationTests {

	private static final String PREFIX = TestRedis.uniquePrefix("sample");

	private static final String PROBLEM_TYPE = "https://iana.org/assignments/http-problem-types#quota-exceeded";

	@LocalServerPort
	private int port;

	@Autowired
	private StrictCounter counter;

	private SampleClient client;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", () -> TestRedis.endpoint().url());
		registry.add("distkit.prefix", () -> PREFIX);
	}

	@AfterAll
	static void cleanUp() {
		try (RedisAdmin admin = TestRedis.endpoint().admin()) {
			admin.deleteKeysContaining(PREFIX);
		}
	}

	@BeforeEach
	void client() {
		this.client = new SampleClient(this.port);
	}

	@Test
	void perClientAddressLimit_answers429WithTheStandardFieldsOnceSpent() {
		for (int i = 0; i < 10; i++) {
			HttpResponse<String> admitted = this.client.get("/api/hello");
			assertThat(admitted.statusCode()).isEqualTo(200);
			assertThat(admitted.headers().firstValue("RateLimit-Policy")).hasValue("\"per-ip\";q=10;w=60");
			assertThat(admitted.headers().firstValue("RateLimit").orElseThrow())
				.startsWith("\"per-ip\";r=" + (9 - i) + ";t=");
		}
		HttpResponse<String> rejected = this.client.get("/api/hello");
		assertThat(rejected.statusCode()).isEqualTo(429);
		assertThat(rejected.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(rejected.headers().firstValue("RateLimit").orElseThrow()).startsWith("\"per-ip\";r=0;t=");
		long retryAfter = Long.parseLong(rejected.headers().firstValue("Retry-After").orElseThrow());
		assertThat(retryAfter).isBetween(1L, 60L);
		assertThat(rejected.body()).contains("\"type\":\"" + PROBLEM_TYPE + "\"")
			.contains("\"violated-policies\":[\"per-ip\"]")
			.contains("\"instance\":\"/api/hello\"");
	}

	@Test
	void perApiKeyLimit_givesEveryKeyItsOwnBudget() {
		for (int i = 0; i < 30; i++) {
			assertThat(this.client.get("/api/data", "X-API-Key", "team-a").statusCode()).isEqualTo(200);
		}
		assertThat(this.client.get("/api/data", "X-API-Key", "team-a").statusCode()).isEqualTo(429);
		HttpResponse<String> otherKey = this.client.get("/api/data", "X-API-Key", "team-b");
		assertThat(otherKey.statusCode()).isEqualTo(200);
		assertThat(otherKey.headers().firstValue("RateLimit").orElseThrow()).startsWith("\"per-api-key\";r=29;t=");
	}

	@Test
	void searchCostsFiveUnitsOfItsBudget() {
		for (int remaining : new int[] { 15, 10, 5, 0 }) {
			HttpResponse<String> admitted = this.client.get("/api/search?q=pens");
			assertThat(admitted.statusCode()).isEqualTo(200);
			assertThat(admitted.headers().firstValue("RateLimit").orElseThrow())
				.startsWith("\"search\";r=" + remaining + ";t=");
		}
		assertThat(this.client.get("/api/search?q=pens").statusCode()).isEqualTo(429);
	}

	@Test
	void suppressedFeed_admitsEverythingUpToItsCapacityThenRefusesAGrowingShare() {
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < 60; i++) {
			statuses.add(this.client.get("/api/feed").statusCode());
		}
		assertThat(statuses.subList(0, 20)).as("below the soft capacity of 20").containsOnly(200);
		assertThat(statuses).containsOnly(200, 429).contains(429);
		long refused = statuses.stream().filter((status) -> status == 429).count();
		assertThat(this.client.<Integer>json("/actuator/distkit/limit/feed/127.0.0.1", "$.total")).isEqualTo(60);
		assertThat(this.client.<Integer>json("/actuator/distkit/limit/feed/127.0.0.1", "$.declined"))
			.isEqualTo((int) refused);
	}

	@Test
	void hybridBurst_admitsExactlyItsCapacityOnOneInstance() {
		int admitted = 0;
		for (int i = 0; i < 120; i++) {
			int status = this.client.get("/api/burst").statusCode();
			assertThat(status).isIn(200, 429);
			admitted += (status == 200) ? 1 : 0;
		}
		assertThat(admitted).isEqualTo(100);
	}

	@Test
	void loginIsProtectedByAUrlLimitFromConfiguration() {
		for (int i = 0; i < 5; i++) {
			HttpResponse<String> attempt = this.client.post("/login?user=alice");
			assertThat(attempt.statusCode()).isEqualTo(200);
			assertThat(attempt.headers().firstValue("RateLimit-Policy")).hasValue("\"login\";q=5;w=600");
		}
		HttpResponse<String> rejected = this.client.post("/login?user=alice");
		assertThat(rejected.statusCode()).isEqualTo(429);
		assertThat(rejected.body()).contains("\"violated-policies\":[\"login\"]");
	}

	@Test
	void ordersAreCountedExactlyAndEveryPlacedOrderByCounted() {
		long placedBefore = this.counter.get("orders_placed");
		HttpResponse<String> first = this.client.post("/orders/book");
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(first.body()).contains("\"orders\":1");
		assertThat(first.headers().firstValue("RateLimit-Policy")).as("the URL limit on POST /orders/**")
			.hasValue("\"orders\";q=20;w=60");
		assertThat(this.client.post("/orders/book").body()).contains("\"orders\":2");
		assertThat(this.client.get("/orders/book").body()).contains("\"orders\":2");
		assertThat(this.counter.get("orders_book")).isEqualTo(2);
		assertThat(this.counter.get("orders_placed")).isEqualTo(placedBefore + 2);
		assertThat(this.client.<Integer>json("/stats", "$.ordersPlaced")).isEqualTo((int) placedBefore + 2);
		assertThat(this.client.<Integer>json("/actuator/distkit/counter/strict/orders_book", "$.value")).isEqualTo(2);
	}

	@Test
	void quotesAreRateLimitedPerClientAndCountedPerProduct() {
		for (int i = 0; i < 3; i++) {
			HttpResponse<String> admitted = this.client.get("/quotes/pen");
			assertThat(admitted.statusCode()).isEqualTo(200);
			assertThat(admitted.headers().firstValue("RateLimit").orElseThrow())
				.startsWith("\"QuoteController.quote\";r=" + (2 - i) + ";t=");
		}
		HttpResponse<String> rejected = this.client.get("/quotes/pen");
		assertThat(rejected.statusCode()).isEqualTo(429);
		assertThat(rejected.headers().firstValue("Retry-After")).isPresent();
		assertThat(rejected.headers().firstValue("RateLimit-Policy")).hasValue("\"QuoteController.quote\";q=3;w=60");
		assertThat(rejected.body()).contains("\"violated-policies\":[\"QuoteController.quote\"]");
		assertThat(this.counter.get("quotes|pen")).as("a refused quote is not counted").isEqualTo(3);
	}

	@Test
	void pageViewsAreCountedByTheLaxCounter() {
		for (int i = 0; i < 3; i++) {
			assertThat(this.client.get("/pages/home").statusCode()).isEqualTo(200);
		}
		assertThat(this.client.<Integer>json("/pages/home/views", "$.views")).isEqualTo(3);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.client.<Integer>json("/actuator/distkit/counter/lax/page_views%7Chome",
					"$.value"))
				.as("flushed to Redis and read through the Actuator")
				.isEqualTo(3));
	}

	@Test
	void inFlightRequestsAreCountedWhileTheyRunAndReturnToZero() {
		assertThat(this.client.<Integer>json("/stats", "$.inFlightRequests.total")).isZero();
		CompletableFuture<HttpResponse<String>> work = this.client.getAsync("/work?millis=4000");
		await().atMost(Duration.ofSeconds(4))
			.untilAsserted(() -> assertThat(this.client.<Integer>json("/stats", "$.inFlightRequests.total"))
				.isEqualTo(1));
		assertThat(this.client.<Integer>json(
				"/actuator/distkit/counter/strict-instance-aware/in_flight_requests", "$.cumulative")).isEqualTo(1);
		assertThat(work.join().statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.client.<Integer>json("/stats", "$.inFlightRequests.total")).isZero());
		assertThat(this.client.<Integer>json(
				"/actuator/distkit/counter/strict-instance-aware/in_flight_requests", "$.cumulative")).isZero();
	}

	@Test
	void sessionsAreCountedWhileOpen() {
		int before = this.client.<Integer>json("/stats", "$.activeSessions.total");
		assertThat(this.client.post("/sessions").statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.client.<Integer>json("/stats", "$.activeSessions.total"))
				.isEqualTo(before + 1));
		assertThat(this.client.delete("/sessions").body()).contains("\"closed\":true");
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.client.<Integer>json("/stats", "$.activeSessions.total"))
				.isEqualTo(before));
	}

	@Test
	void workRefusesADurationOutOfRange() {
		HttpResponse<String> response = this.client.get("/work?millis=600000");
		assertThat(response.statusCode()).isEqualTo(400);
	}

	@Test
	void actuatorExposesHealthMetricsPrometheusAndDistkit() {
		assertThat(this.client.<String>json("/actuator/health", "$.status")).isEqualTo("UP");
		assertThat(this.client.<String>json("/actuator/health", "$.components.distkit.status")).isEqualTo("UP");
		assertThat(this.client.<Integer>json("/actuator/distkit", "$.limits.per-ip.capacity")).isEqualTo(10);
		assertThat(this.client.<String>json("/actuator/distkit", "$.limits.burst.provider")).isEqualTo("hybrid");
		assertThat(this.client.<String>json("/actuator/distkit", "$.limits.feed.strategy")).isEqualTo("suppressed");
		assertThat(this.client.<String>json("/actuator/distkit", "$.prefix")).isEqualTo(PREFIX);
		assertThat(this.client.get("/api/data", "X-API-Key", "metrics").statusCode()).isEqualTo(200);
		assertThat(this.client.<List<String>>json("/actuator/metrics", "$.names")).contains("distkit.ratelimit.decisions");
		HttpResponse<String> prometheus = this.client.get("/actuator/prometheus");
		assertThat(prometheus.statusCode()).isEqualTo(200);
		assertThat(prometheus.body()).contains("distkit_ratelimit_decisions_total");
	}

}
