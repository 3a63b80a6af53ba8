package io.distkit.spring.boot.aop;

import java.time.Duration;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.config.EnableWebFlux;
import org.springframework.web.server.adapter.ForwardedHeaderTransformer;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

import io.distkit.counter.StrictCounter;
import io.distkit.ratelimit.RateLimitExceededException;
import io.distkit.spring.boot.annotation.Counted;
import io.distkit.spring.boot.annotation.RateLimited;
import io.distkit.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WebFlux application on a real Netty server: distkit's {@code WebFilter} makes {@code #request} and
 * {@code #clientIp} available, forwarded headers count only through Spring's {@code ForwardedHeaderTransformer}, and
 * decisions run on {@code boundedElastic}, never on Netty's event loop.
 */
class WebFluxIntegrationTests {

	private final String prefix = TestRedis.uniquePrefix("webflux");

	private final ReactiveWebApplicationContextRunner runner = AnnotationContexts.reactiveRunner(this.prefix)
		.withPropertyValues("distkit.rate-limit.window=1m", "distkit.rate-limit.limits.api.capacity=2")
		.withUserConfiguration(WebConfiguration.class, QuotaController.class);

	@AfterEach
	void clean() {
		AnnotationContexts.clean(this.prefix);
	}

	@Test
	void clientIpShouldBeTheRemoteAddressAndDecisionsShouldLeaveTheEventLoop() {
		this.runner.run((context) -> serve(context, (client) -> {
			assertThat(get(client, "/quota", null)).isEqualTo("200 ok");
			assertThat(get(client, "/quota", null)).isEqualTo("200 ok");
			assertThat(get(client, "/quota", null)).isEqualTo("429 api");
			Threads threads = context.getBean(Threads.class);
			assertThat(threads.values()).containsOnly("127.0.0.1").hasSize(3);
			assertThat(threads.threads()).allSatisfy((thread) -> {
				assertThat(thread.getName()).startsWith("boundedElastic").doesNotContain("reactor-http");
				assertThat(Threads.isNonBlocking(thread)).isFalse();
			});
		}));
	}

	@Test
	void forwardedForShouldBeIgnoredWithoutSpringsForwardedHeaderSupport() {
		this.runner.run((context) -> serve(context, (client) -> {
			get(client.headers((headers) -> headers.add("X-Forwarded-For", "203.0.113.7")), "/quota", null);
			assertThat(context.getBean(Threads.class).values()).containsExactly("127.0.0.1");
		}));
	}

	@Test
	void forwardedForShouldCountThroughSpringsForwardedHeaderTransformer() {
		this.runner.withBean("forwardedHeaderTransformer", ForwardedHeaderTransformer.class)
			.run((context) -> serve(context, (client) -> {
				get(client.headers((headers) -> headers.add("X-Forwarded-For", "203.0.113.7")), "/quota", null);
				assertThat(context.getBean(Threads.class).values()).containsExactly("203.0.113.7");
			}));
	}

	@Test
	void requestShouldBeTheServerRequestAndCountsShouldSeeTheClientIp() {
		this.runner.run((context) -> serve(context, (client) -> {
			assertThat(get(client, "/keyed", "k1")).isEqualTo("200 ok");
			assertThat(get(client, "/keyed", "k1")).isEqualTo("200 ok");
			assertThat(get(client, "/keyed", "k1")).isEqualTo("429 api");
			assertThat(get(client, "/keyed", "k2")).isEqualTo("200 ok");
			assertThat(context.getBean(StrictCounter.class).get("keyed|127.0.0.1")).isEqualTo(3);
		}));
	}

	private static void serve(ApplicationContext context, Consumer<HttpClient> test) {
		assertThat(context.getBeansOfType(org.springframework.web.server.WebFilter.class).values())
			.hasAtLeastOneElementOfType(DistkitExchangeContextFilter.class);
		ReactorHttpHandlerAdapter adapter = new ReactorHttpHandlerAdapter(
				WebHttpHandlerBuilder.applicationContext(context).build());
		DisposableServer server = HttpServer.create().host("127.0.0.1").port(0).handle(adapter).bindNow();
		try {
			test.accept(HttpClient.create().baseUrl("http://127.0.0.1:" + server.port()));
		}
		finally {
			server.disposeNow();
		}
	}

	private static String get(HttpClient client, String path, String apiKey) {
		HttpClient request = (apiKey != null) ? client.headers((headers) -> headers.add("X-Api-Key", apiKey)) : client;
		return request.get()
			.uri(path)
			.responseSingle((response, body) -> body.asString()
				.defaultIfEmpty("")
				.map((text) -> response.status().code() + " " + text))
			.block(Duration.ofSeconds(10));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebFlux
	static class WebConfiguration {

		@Bean
		Threads threads() {
			return new Threads();
		}

	}

	@RestController
	static class QuotaController {

		@GetMapping("/quota")
		@RateLimited(limit = "api", key = "@threads.record(#clientIp)")
		public Mono<String> quota() {
			return Mono.just("ok");
		}

		@GetMapping("/keyed")
		@RateLimited(limit = "api", key = "#request.headers.getFirst('X-Api-Key')")
		@Counted(name = "keyed", key = "#clientIp", type = Counted.Type.STRICT)
		public Mono<String> keyed() {
			return Mono.just("ok");
		}

		@ExceptionHandler(RateLimitExceededException.class)
		ResponseEntity<String> tooManyRequests(RateLimitExceededException ex) {
			return ResponseEntity.status(429).body(ex.getLimitName());
		}

	}

}
