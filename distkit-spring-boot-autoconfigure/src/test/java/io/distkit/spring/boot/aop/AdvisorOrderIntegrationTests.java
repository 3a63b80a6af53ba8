package io.distkit.spring.boot.aop;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.resilience.annotation.EnableResilientMethods;
import org.springframework.resilience.annotation.Retryable;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionSynchronizationManager;

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
 * Where the interceptors sit among {@code @Transactional} and {@code @Retryable}: rate limiting outside both (a call
 * retried twice is decided once, a rejected call starts no transaction), counting inside both (each attempt counts,
 * within its transaction); both orders follow {@code distkit.rate-limited.order} and {@code distkit.counted.order}.
 */
class AdvisorOrderIntegrationTests {

	private final String prefix = TestRedis.uniquePrefix("order");

	private final ApplicationContextRunner runner = AnnotationContexts.runner(this.prefix)
		.withPropertyValues("distkit.rate-limit.window=1m", "distkit.rate-limit.limits.api.capacity=2");

	@AfterEach
	void clean() {
		AnnotationContexts.clean(this.prefix);
	}

	@Test
	void byDefaultRateLimitingShouldBeOutsideAndCountingInsideTransactionsAndRetries() {
		this.runner.withUserConfiguration(Infrastructure.class, FlakyService.class).run((context) -> {
			FlakyService service = context.getBean(FlakyService.class);
			Probe probe = context.getBean(Probe.class);
			RecordingTransactionManager transactions = context.getBean(RecordingTransactionManager.class);
			assertThat(service.call("a", 2)).isEqualTo("a after 3 attempts");
			assertThat(context.getBean(RateLimiter.class).limit("api").get("a").total()).isEqualTo(1);
			assertThat(probe.decisionsInTransaction).containsExactly(false);
			assertThat(context.getBean(StrictCounter.class).get("attempts|a")).isEqualTo(3);
			assertThat(probe.countsInTransaction).containsExactly(true, true, true);
			assertThat(transactions.begun).hasValue(3);
			service.call("a", 0);
			assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> service.call("a", 0));
			assertThat(transactions.begun).hasValue(4);
			assertThat(context.getBean(StrictCounter.class).get("attempts|a")).isEqualTo(4);
		});
	}

	@Test
	void countedOrderShouldMoveCountingOutward() {
		this.runner.withPropertyValues("distkit.counted.order=0")
			.withUserConfiguration(Infrastructure.class, FlakyService.class)
			.run((context) -> {
				FlakyService service = context.getBean(FlakyService.class);
				Probe probe = context.getBean(Probe.class);
				service.call("b", 2);
				assertThat(context.getBean(StrictCounter.class).get("attempts|b")).isEqualTo(1);
				assertThat(probe.countsInTransaction).containsExactly(false);
				service.call("b", 0);
				assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> service.call("b", 0));
				assertThat(context.getBean(StrictCounter.class).get("attempts|b")).isEqualTo(3);
			});
	}

	@Test
	void rateLimitedOrderShouldPlaceTheDecisionAroundAnOrderedTransaction() {
		this.runner.withUserConfiguration(OrderedTransactions.class, FlakyService.class).run((context) -> {
			context.getBean(FlakyService.class).call("c", 0);
			assertThat(context.getBean(Probe.class).decisionsInTransaction).containsExactly(true);
		});
		this.runner.withPropertyValues("distkit.rate-limited.order=50")
			.withUserConfiguration(OrderedTransactions.class, FlakyService.class)
			.run((context) -> {
				context.getBean(FlakyService.class).call("d", 0);
				assertThat(context.getBean(Probe.class).decisionsInTransaction).containsExactly(false);
			});
	}

	/** Records where decisions and counts happen. */
	public static class Probe {

		final List<Boolean> decisionsInTransaction = new CopyOnWriteArrayList<>();

		final List<Boolean> countsInTransaction = new CopyOnWriteArrayList<>();

		public String decided(String key) {
			this.decisionsInTransaction.add(TransactionSynchronizationManager.isActualTransactionActive());
			return key;
		}

	}

	@SuppressWarnings("serial")
	static class RecordingTransactionManager extends AbstractPlatformTransactionManager {

		final AtomicInteger begun = new AtomicInteger();

		@Override
		protected Object doGetTransaction() {
			return new Object();
		}

		@Override
		protected void doBegin(Object transaction, TransactionDefinition definition) {
			this.begun.incrementAndGet();
		}

		@Override
		protected void doCommit(DefaultTransactionStatus status) {
		}

		@Override
		protected void doRollback(DefaultTransactionStatus status) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableResilientMethods
	static class Beans {

		@Bean
		Probe probe() {
			return new Probe();
		}

		@Bean
		RecordingTransactionManager transactionManager() {
			return new RecordingTransactionManager();
		}

		@Bean
		StrictCounter strictCounter(RedisBackend backend, Probe probe, Environment environment) {
			return RecordingStrictCounter.wrap(
					StrictCounter.create(backend,
							CounterOptions.builder().prefix(environment.getProperty("distkit.prefix")).build()),
					(thread) -> probe.countsInTransaction.add(TransactionSynchronizationManager.isActualTransactionActive()));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableTransactionManagement
	static class Infrastructure extends Beans {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableTransactionManagement(order = 100)
	static class OrderedTransactions extends Beans {

	}

	@Configuration(proxyBeanMethods = false)
	static class FlakyService {

		private final AtomicInteger attempts = new AtomicInteger();

		@Transactional
		@Retryable(maxRetries = 2, delay = 0)
		@RateLimited(limit = "api", key = "@probe.decided(#id)")
		@Counted(name = "attempts", key = "#id", type = Counted.Type.STRICT)
		public String call(String id, int failures) {
			int attempt = this.attempts.incrementAndGet();
			if (attempt <= failures) {
				throw new IllegalStateException("attempt " + attempt + " failed");
			}
			this.attempts.set(0);
			return id + " after " + attempt + " attempts";
		}

	}

}
