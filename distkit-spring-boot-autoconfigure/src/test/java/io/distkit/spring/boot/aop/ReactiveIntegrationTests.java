package io.distkit.spring.boot.aop;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import io.distkit.RedisBackend;
import io.distkit.counter.CounterOptions;
import io.distkit.counter.StrictCounter;
import io.distkit.ratelimit.RateLimitExceededException;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.spring.boot.annotation.Counted;
import io.distkit.spring.boot.annotation.RateLimited;
import io.distkit.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code Mono}, {@code Flux} and futures on real Redis: decided at subscription, counted at completion, with every
 * call that touches Redis on {@code boundedElastic}, never on a non-blocking thread.
 */
class ReactiveIntegrationTests {

	private final String prefix = TestRedis.uniquePrefix("reactive");

	private final ApplicationContextRunner runner = AnnotationContexts.runner(this.prefix)
		.withPropertyValues("distkit.rate-limit.window=1m", "distkit.rate-limit.limits.api.capacity=2",
				"distkit.rate-limit.limits.small.capacity=1");

	@AfterEach
	void clean() {
		AnnotationContexts.clean(this.prefix);
	}

	@Test
	void monoShouldBeDecidedAtEachSubscription() {
		run((context) -> {
			ReactiveService service = context.getBean(ReactiveService.class);
			RateLimiter limiter = context.getBean(RateLimiter.class);
			Mono<String> mono = service.mono("m");
			service.mono("m");
			service.mono("m");
			assertThat(limiter.limit("api").get("m").total()).isZero();
			StepVerifier.create(mono).expectNext("m").verifyComplete();
			StepVerifier.create(mono).expectNext("m").verifyComplete();
			StepVerifier.create(mono).expectError(RateLimitExceededException.class).verify(Duration.ofSeconds(10));
			assertThat(service.runs()).isEqualTo(2);
		});
	}

	@Test
	void decisionShouldRunOnBoundedElasticNotOnTheSubscribersNonBlockingThread() {
		run((context) -> {
			ReactiveService service = context.getBean(ReactiveService.class);
			Threads threads = context.getBean(Threads.class);
			Thread subscriber = Mono.fromCallable(Thread::currentThread).subscribeOn(Schedulers.parallel()).block();
			assertThat(Threads.isNonBlocking(subscriber)).isTrue();
			assertThat(service.mono("t").subscribeOn(Schedulers.parallel()).block()).isEqualTo("t");
			assertThat(threads.threads()).singleElement().satisfies((thread) -> {
				assertThat(thread.getName()).startsWith("boundedElastic");
				assertThat(Threads.isNonBlocking(thread)).isFalse();
			});
		});
	}

	@Test
	void fluxShouldBeDecidedAtSubscriptionWithFallback() {
		run((context) -> {
			ReactiveService service = context.getBean(ReactiveService.class);
			Flux<Integer> flux = service.flux("f");
			StepVerifier.create(flux).expectNext(1, 2, 3).verifyComplete();
			StepVerifier.create(flux).expectNext(-1).verifyComplete();
		});
	}

	@Test
	void monoFallbackShouldReplaceTheRejection() {
		run((context) -> {
			ReactiveService service = context.getBean(ReactiveService.class);
			StepVerifier.create(service.monoWithFallback("x")).expectNext("x").verifyComplete();
			StepVerifier.create(service.monoWithFallback("x")).expectNext("fallback after small").verifyComplete();
		});
	}

	@Test
	void futureShouldBeDecidedOffTheCallingThread() {
		run((context) -> {
			ReactiveService service = context.getBean(ReactiveService.class);
			Threads threads = context.getBean(Threads.class);
			assertThat(service.future("c").get()).isEqualTo("c");
			assertThat(service.future("c").get()).isEqualTo("c");
			CompletableFuture<String> rejected = service.future("c");
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(rejected::get)
				.withCauseInstanceOf(RateLimitExceededException.class);
			assertThat(threads.threads()).hasSize(3)
				.allSatisfy((thread) -> assertThat(thread.getName()).startsWith("boundedElastic"));
		});
	}

	@Test
	void monoShouldBeCountedAtCompletionOnBoundedElastic() {
		run((context) -> {
			ReactiveService service = context.getBean(ReactiveService.class);
			StrictCounter counter = context.getBean(StrictCounter.class);
			Threads threads = context.getBean(Threads.class);
			Mono<String> counted = service.countedMono("k", false);
			assertThat(counter.get("mono|k")).isZero();
			assertThat(counted.subscribeOn(Schedulers.parallel()).block()).isEqualTo("k");
			assertThat(counter.get("mono|k")).isEqualTo(1);
			StepVerifier.create(service.countedMono("k", true)).expectError(IllegalStateException.class).verify();
			assertThat(counter.get("mono|k")).isEqualTo(1);
			assertThat(threads.threads()).isNotEmpty().allSatisfy((thread) -> {
				assertThat(thread.getName()).startsWith("boundedElastic");
				assertThat(Threads.isNonBlocking(thread)).isFalse();
			});
		});
	}

	@Test
	void fluxShouldBeCountedOnceAtCompletion() {
		run((context) -> {
			ReactiveService service = context.getBean(ReactiveService.class);
			StrictCounter counter = context.getBean(StrictCounter.class);
			StepVerifier.create(service.countedFlux()).expectNext(1, 2, 3).verifyComplete();
			assertThat(counter.get("flux")).isEqualTo(1);
		});
	}

	@Test
	void futureShouldBeCountedWhenItCompletes() {
		run((context) -> {
			ReactiveService service = context.getBean(ReactiveService.class);
			StrictCounter counter = context.getBean(StrictCounter.class);
			CompletableFuture<String> pending = new CompletableFuture<>();
			CompletableFuture<String> counted = service.countedFuture(pending);
			assertThat(counter.get("future")).isZero();
			pending.complete("done");
			assertThat(counted.get()).isEqualTo("done");
			assertThat(counter.get("future")).isEqualTo(1);
			CompletableFuture<String> failing = service.countedFuture(CompletableFuture.failedFuture(
					new IllegalStateException("no")));
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(failing::get)
				.withCauseInstanceOf(IllegalStateException.class);
			assertThat(counter.get("future")).isEqualTo(1);
		});
	}

	@Test
	void principalShouldComeFromTheReactiveSecurityContext() {
		run((context) -> {
			ReactiveService service = context.getBean(ReactiveService.class);
			Threads threads = context.getBean(Threads.class);
			service.byPrincipal()
				.contextWrite(ReactiveSecurityContextHolder.withAuthentication(
						UsernamePasswordAuthenticationToken.authenticated("alice", null, List.of())))
				.block();
			service.byPrincipal().block();
			assertThat(threads.values()).containsExactly("alice", "nobody");
		});
	}

	private void run(ContextConsumer<AssertableApplicationContext> test) {
		this.runner.withUserConfiguration(RecordingConfiguration.class, ReactiveService.class).run((context) -> {
			assertThat(context).hasNotFailed();
			test.accept(context);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingConfiguration {

		@Bean
		Threads threads() {
			return new Threads();
		}

		@Bean
		StrictCounter strictCounter(RedisBackend backend, Threads threads, Environment environment) {
			StrictCounter counter = StrictCounter.create(backend,
					CounterOptions.builder().prefix(environment.getProperty("distkit.prefix")).build());
			return RecordingStrictCounter.wrap(counter, threads::add);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ReactiveService {

		private final AtomicInteger runs = new AtomicInteger();

		public int runs() {
			return this.runs.get();
		}

		@RateLimited(limit = "api", key = "@threads.record(#id)")
		public Mono<String> mono(String id) {
			return Mono.fromCallable(() -> {
				this.runs.incrementAndGet();
				return id;
			});
		}

		@RateLimited(limit = "api", key = "@threads.record(#principal?.name ?: 'nobody')")
		public Mono<String> byPrincipal() {
			return Mono.just("ok");
		}

		@RateLimited(limit = "small", key = "#id", fallbackMethod = "fluxFallback")
		public Flux<Integer> flux(String id) {
			return Flux.just(1, 2, 3);
		}

		Flux<Integer> fluxFallback(String id) {
			return Flux.just(-1);
		}

		@RateLimited(limit = "small", key = "#id", fallbackMethod = "monoFallback")
		public Mono<String> monoWithFallback(String id) {
			return Mono.just(id);
		}

		Mono<String> monoFallback(String id, RateLimitExceededException ex) {
			return Mono.just("fallback after " + ex.getLimitName());
		}

		@RateLimited(limit = "api", key = "@threads.record(#id)")
		public CompletableFuture<String> future(String id) {
			return CompletableFuture.completedFuture(id);
		}

		@Counted(name = "mono", key = "#id", type = Counted.Type.STRICT, when = Counted.When.SUCCESS)
		public Mono<String> countedMono(String id, boolean fail) {
			return fail ? Mono.error(new IllegalStateException("failed")) : Mono.just(id);
		}

		@Counted(name = "flux", type = Counted.Type.STRICT)
		public Flux<Integer> countedFlux() {
			return Flux.just(1, 2, 3);
		}

		@Counted(name = "future", type = Counted.Type.STRICT, when = Counted.When.SUCCESS)
		public CompletableFuture<String> countedFuture(CompletableFuture<String> result) {
			return result;
		}

	}

}
