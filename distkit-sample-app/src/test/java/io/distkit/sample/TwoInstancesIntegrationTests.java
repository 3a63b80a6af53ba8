package io.distkit.sample;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.distkit.test.RedisAdmin;
import io.distkit.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the sample application (two application contexts, each with its own web server and instance id) on
 * one Redis, called over real HTTP: they share every Redis limit and counter, each owns its slice of the
 * instance-aware counters, and an instance that shuts down takes its slice out of the total the other one reads.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoInstancesIntegrationTests {

	private static final String PREFIX = TestRedis.uniquePrefix("sample2");

	private static ConfigurableApplicationContext first;

	private static ConfigurableApplicationContext second;

	private static SampleClient a;

	private static SampleClient b;

	@BeforeAll
	static void startTwoInstances() {
		first = start();
		second = start();
		a = new SampleClient(port(first));
		b = new SampleClient(port(second));
	}

	@AfterAll
	static void stop() {
		for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { first, second }) {
			if (context != null) {
				context.close();
			}
		}
		try (RedisAdmin admin = TestRedis.endpoint().admin()) {
			admin.deleteKeysContaining(PREFIX);
		}
	}

	private static ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(SampleApplication.class).run("--server.port=0",
				"--spring.data.redis.url=" + TestRedis.endpoint().url(), "--distkit.prefix=" + PREFIX);
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	@Test
	void theInstancesHaveDifferentIds() {
		assertThat(a.<String>json("/stats", "$.instanceId")).isNotEqualTo(b.<String>json("/stats", "$.instanceId"));
	}

	@Test
	void aRedisLimitIsSharedAcrossInstances() {
		for (int i = 0; i < 5; i++) {
			assertThat(a.get("/api/hello").statusCode()).isEqualTo(200);
			assertThat(b.get("/api/hello").statusCode()).isEqualTo(200);
		}
		HttpResponse<String> onA = a.get("/api/hello");
		HttpResponse<String> onB = b.get("/api/hello");
		assertThat(onA.statusCode()).as("the eleventh call on one instance").isEqualTo(429);
		assertThat(onB.statusCode()).isEqualTo(429);
		assertThat(onB.headers().firstValue("RateLimit").orElseThrow()).startsWith("\"per-ip\";r=0;t=");
	}

	@Test
	void strictCountersAreShared() {
		assertThat(a.post("/orders/lamp").body()).contains("\"orders\":1");
		assertThat(b.post("/orders/lamp").body()).contains("\"orders\":2");
		assertThat(a.post("/orders/lamp").body()).contains("\"orders\":3");
		assertThat(b.get("/orders/lamp").body()).contains("\"orders\":3");
	}

	@Test
	void laxCountersAreSharedOnceFlushed() {
		for (int i = 0; i < 3; i++) {
			assertThat(a.get("/pages/about").statusCode()).isEqualTo(200);
		}
		for (int i = 0; i < 2; i++) {
			assertThat(b.get("/pages/about").statusCode()).isEqualTo(200);
		}
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(a.<Integer>json("/pages/about/views", "$.views")).isEqualTo(5);
			assertThat(b.<Integer>json("/pages/about/views", "$.views")).isEqualTo(5);
		});
	}

	@Test
	void aRequestInFlightOnOneInstanceIsSeenByTheOther() {
		CompletableFuture<HttpResponse<String>> work = b.getAsync("/work?millis=4000");
		await().atMost(Duration.ofSeconds(4)).untilAsserted(() -> {
			assertThat(a.<Integer>json("/stats", "$.inFlightRequests.total")).isEqualTo(1);
			assertThat(a.<Integer>json("/stats", "$.inFlightRequests.thisInstance")).isZero();
		});
		assertThat(work.join().statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(a.<Integer>json("/stats", "$.inFlightRequests.total")).isZero());
	}

	@Test
	@Order(Integer.MAX_VALUE) // last: it shuts the second instance down
	void anInstanceThatShutsDownLeavesTheTotal() {
		SampleClient sessionOnA = new SampleClient(port(first));
		SampleClient sessionOnB = new SampleClient(port(second));
		int before = a.<Integer>json("/stats", "$.activeSessions.total");
		assertThat(sessionOnA.post("/sessions").statusCode()).isEqualTo(200);
		assertThat(sessionOnB.post("/sessions").statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(a.<Integer>json("/stats", "$.activeSessions.total")).isEqualTo(before + 2);
			assertThat(b.<Integer>json("/stats", "$.activeSessions.total")).isEqualTo(before + 2);
			assertThat(a.<Integer>json("/stats", "$.liveInstances")).isEqualTo(2);
		});
		second.close();
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(a.<Integer>json("/stats", "$.activeSessions.total")).isEqualTo(before + 1);
			assertThat(a.<Integer>json("/stats", "$.liveInstances")).isEqualTo(1);
		});
	}

}
