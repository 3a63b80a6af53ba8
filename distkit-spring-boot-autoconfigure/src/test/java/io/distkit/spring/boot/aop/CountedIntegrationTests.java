package io.distkit.spring.boot.aop;

import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.distkit.DistkitBackendException;
import io.distkit.counter.LaxCounter;
import io.distkit.counter.StrictCounter;
import io.distkit.spring.boot.annotation.AnnotationExpressionException;
import io.distkit.spring.boot.annotation.Counted;
import io.distkit.test.RedisProcess;
import io.distkit.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** {@code @Counted} on real Redis: fields, increments, outcomes, and what a Redis failure while counting does. */
@ExtendWith(OutputCaptureExtension.class)
class CountedIntegrationTests {

	private static RedisProcess failingRedis;

	private final String prefix = TestRedis.uniquePrefix("counted");

	private final ApplicationContextRunner runner = AnnotationContexts.runner(this.prefix);

	@BeforeAll
	static void startFailingRedis() {
		failingRedis = RedisProcess.start();
	}

	@AfterAll
	static void stopFailingRedis() {
		failingRedis.close();
	}

	@AfterEach
	void clean() {
		AnnotationContexts.clean(this.prefix);
	}

	@Test
	void strictCountShouldAddToTheFieldOfNameAndKey() {
		run(OrderService.class, (context) -> {
			OrderService service = context.getBean(OrderService.class);
			service.order("book", 2);
			service.order("book", 3);
			service.order("pen", 1);
			StrictCounter counter = context.getBean(StrictCounter.class);
			assertThat(counter.get("orders|book")).isEqualTo(2);
			assertThat(counter.get("orders|pen")).isEqualTo(1);
			assertThat(counter.get("items|book")).isEqualTo(5);
		});
	}

	@Test
	void keyShouldBeEncodedAndHashedWhenTheFieldIsTooLong() {
		run(OrderService.class, (context) -> {
			OrderService service = context.getBean(OrderService.class);
			service.order("a:b c|d", 1);
			String longKey = "x".repeat(300);
			service.order(longKey, 1);
			StrictCounter counter = context.getBean(StrictCounter.class);
			assertThat(counter.get("orders|a%3Ab%20c%7Cd")).isEqualTo(1);
			assertThat(counter.get(CounterFields.field("orders", longKey))).isEqualTo(1);
			assertThat(CounterFields.field("orders", longKey).value()).startsWith("orders|h_").hasSize(52);
		});
	}

	@Test
	void laxCountShouldBeCountedInMemoryAndFlushed() {
		run(OrderService.class, (context) -> {
			OrderService service = context.getBean(OrderService.class);
			service.view();
			service.view();
			LaxCounter lax = context.getBean(LaxCounter.class);
			lax.flush();
			assertThat(lax.get("OrderService.view")).isEqualTo(2);
		});
	}

	@Test
	void successOnlyShouldCountOnlyCallsThatReturn() {
		run(OutcomeService.class, (context) -> {
			OutcomeService service = context.getBean(OutcomeService.class);
			service.call(false);
			service.call(false);
			assertThatIllegalStateException().isThrownBy(() -> service.call(true));
			StrictCounter counter = context.getBean(StrictCounter.class);
			assertThat(counter.get("succeeded")).isEqualTo(2);
			assertThat(counter.get("failed")).isEqualTo(1);
			assertThat(counter.get("called")).isEqualTo(3);
		});
	}

	@Test
	void failingExpressionShouldStopTheCallBeforeTheMethodRuns() {
		run(OutcomeService.class, (context) -> {
			OutcomeService service = context.getBean(OutcomeService.class);
			assertThatExceptionOfType(AnnotationExpressionException.class).isThrownBy(() -> service.weighed(null))
				.withMessage("@Counted increment '#weight' of OutcomeService.weighed(Integer) gave null; it must be "
						+ "an integer between -9007199254740991 and 9007199254740991");
			assertThat(service.runs()).isZero();
		});
	}

	@Test
	void redisFailureWhileCountingShouldBeLoggedOnceAndMeteredButNotThrown(CapturedOutput output) {
		failingRunner().withUserConfiguration(OrderService.class, MeterConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			failingRedis.stop();
			try {
				OrderService service = context.getBean(OrderService.class);
				assertThat(service.order("book", 1)).isEqualTo("book");
				assertThat(service.order("book", 1)).isEqualTo("book");
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("distkit.counted.failures").tag("counter", "orders").tag("type", "strict")
					.counter().count()).isEqualTo(2);
				assertThat(output).containsOnlyOnce("Could not count a call of @Counted");
			}
			finally {
				failingRedis.restart();
			}
		});
	}

	@Test
	void propagatedFailuresShouldBeThrown() {
		failingRunner().withPropertyValues("distkit.counted.propagate-failures=true")
			.withUserConfiguration(OrderService.class, OutcomeService.class)
			.run((context) -> {
				failingRedis.stop();
				try {
					assertThatExceptionOfType(DistkitBackendException.class)
						.isThrownBy(() -> context.getBean(OrderService.class).order("book", 1));
					assertThatIllegalStateException().isThrownBy(() -> context.getBean(OutcomeService.class).call(true))
						.satisfies((ex) -> assertThat(ex.getSuppressed()).hasAtLeastOneElementOfType(
								DistkitBackendException.class));
				}
				finally {
					failingRedis.restart();
				}
			});
	}

	private ApplicationContextRunner failingRunner() {
		return this.runner.withPropertyValues("spring.data.redis.url=" + failingRedis.endpoint().url(),
				"spring.data.redis.timeout=500ms");
	}

	private void run(Class<?> configuration, ContextConsumer<AssertableApplicationContext> test) {
		this.runner.withUserConfiguration(configuration).run((context) -> {
			assertThat(context).hasNotFailed();
			test.accept(context);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class MeterConfiguration {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OrderService {

		@Counted(name = "orders", key = "#product", type = Counted.Type.STRICT)
		@Counted(name = "items", key = "#product", increment = "#quantity", type = Counted.Type.STRICT)
		public String order(String product, int quantity) {
			return product;
		}

		@Counted
		public void view() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OutcomeService {

		private final AtomicInteger runs = new AtomicInteger();

		public int runs() {
			return this.runs.get();
		}

		@Counted(name = "succeeded", when = Counted.When.SUCCESS, type = Counted.Type.STRICT)
		@Counted(name = "failed", when = Counted.When.FAILURE, type = Counted.Type.STRICT)
		@Counted(name = "called", type = Counted.Type.STRICT)
		public void call(boolean fail) {
			if (fail) {
				throw new IllegalStateException("failed");
			}
		}

		@Counted(name = "weight", increment = "#weight", type = Counted.Type.STRICT)
		public void weighed(Integer weight) {
			this.runs.incrementAndGet();
		}

	}

}
