package io.distkit.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
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

/** The sample application on a random port against real Redis, called over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleApplicationIntegrationTests {

	private static final String PREFIX = TestRedis.uniquePrefix("sample");

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private StrictCounter counter;

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

	@Test
	void ordersAreCountedInRedis() throws Exception {
		HttpResponse<String> first = post("/orders/book");
		assertThat(first.body()).contains("\"orders\":1");
		assertThat(first.headers().firstValue("RateLimit-Policy")).as("the URL limit on POST /orders/**")
			.hasValue("\"orders\";q=20;w=60");
		assertThat(first.headers().firstValue("RateLimit").orElseThrow()).startsWith("\"orders\";r=19;t=");
		assertThat(post("/orders/book").body()).contains("\"orders\":2");
		HttpResponse<String> read = this.http.send(HttpRequest.newBuilder(uri("/orders/book")).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(read.statusCode()).isEqualTo(200);
		assertThat(read.body()).contains("\"orders\":2");
		assertThat(this.counter.get("orders_book")).isEqualTo(2);
		assertThat(this.counter.options().prefix().value()).isEqualTo(PREFIX);
	}

	@Test
	void quotesAreRateLimitedPerClientAndCountedPerProduct() throws Exception {
		for (int i = 0; i < 3; i++) {
			HttpResponse<String> admitted = get("/quotes/pen");
			assertThat(admitted.statusCode()).isEqualTo(200);
			assertThat(admitted.headers().firstValue("RateLimit").orElseThrow())
				.startsWith("\"QuoteController.quote\";r=" + (2 - i) + ";t=");
		}
		HttpResponse<String> rejected = get("/quotes/pen");
		assertThat(rejected.statusCode()).isEqualTo(429);
		assertThat(rejected.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(rejected.headers().firstValue("Retry-After")).isPresent();
		assertThat(rejected.headers().firstValue("RateLimit-Policy")).hasValue("\"QuoteController.quote\";q=3;w=60");
		assertThat(rejected.body()).contains("\"type\":\"https://iana.org/assignments/http-problem-types#quota-exceeded\"")
			.contains("\"violated-policies\":[\"QuoteController.quote\"]");
		assertThat(this.counter.get("quotes|pen")).isEqualTo(3);
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path) throws Exception {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response;
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
