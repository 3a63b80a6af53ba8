package io.distkit.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.distkit.DistkitBackendException;
import io.distkit.RedisBackend;
import io.distkit.counter.CounterOptions;
import io.distkit.counter.LaxCounter;
import io.distkit.test.RedisAdmin;
import io.distkit.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DistkitLaxCounterAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, DistkitRedisAutoConfiguration.class,
				DistkitCounterAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.url=" + TestRedis.endpoint().url(), "spring.data.redis.timeout=2s");

	@Test
	void withRedisShouldCreateLaxCounterWithDefaults() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(LaxCounter.class).hasSingleBean(LaxCounterShutdown.class);
			CounterOptions options = context.getBean(LaxCounter.class).options();
			assertThat(options.flushInterval()).isEqualTo(Duration.ofMillis(20));
			assertThat(options.allowedLag()).isEqualTo(Duration.ofMillis(20));
			assertThat(options.maxKeys()).isEqualTo(100_000);
			assertThat(options.maxPendingKeys()).isEqualTo(100_000);
			assertThat(options.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
		});
	}

	@Test
	void propertiesShouldBeMapped() {
		this.runner
			.withPropertyValues("distkit.counter.lax.flush-interval=50ms", "distkit.counter.lax.allowed-lag=1s",
					"distkit.counter.lax.max-keys=10", "distkit.counter.lax.max-pending-keys=20",
					"distkit.shutdown-timeout=2s", "distkit.chunk-size=7")
			.run((context) -> {
				CounterOptions options = context.getBean(LaxCounter.class).options();
				assertThat(options.flushInterval()).isEqualTo(Duration.ofMillis(50));
				assertThat(options.allowedLag()).isEqualTo(Duration.ofSeconds(1));
				assertThat(options.maxKeys()).isEqualTo(10);
				assertThat(options.maxPendingKeys()).isEqualTo(20);
				assertThat(options.shutdownTimeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(options.chunkSize()).isEqualTo(7);
			});
	}

	@Test
	void whenDisabledShouldNotCreateLaxCounter() {
		this.runner.withPropertyValues("distkit.counter.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(LaxCounter.class));
	}

	@Test
	void withoutConnectionFactoryShouldNotCreateLaxCounter() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DistkitRedisAutoConfiguration.class, DistkitCounterAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(LaxCounter.class));
	}

	@Test
	void userLaxCounterShouldWin() {
		this.runner.withUserConfiguration(UserLaxCounter.class)
			.run((context) -> assertThat(context.getBean(LaxCounter.class).options().prefix().value())
				.isEqualTo("mine"));
	}

	@Test
	void invalidLaxPropertiesShouldFailStartup() {
		this.runner.withPropertyValues("distkit.counter.lax.flush-interval=0ms")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("Invalid property 'distkit.counter.lax.flush-interval': must be at least 1ms (value=PT0S)"));
		this.runner.withPropertyValues("distkit.counter.lax.max-pending-keys=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("Invalid property 'distkit.counter.lax.max-pending-keys': must be at least 1 (value=0)"));
		this.runner.withPropertyValues("distkit.shutdown-timeout=-1s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("Invalid property 'distkit.shutdown-timeout': must be positive (value=PT-1S)"));
	}

	@Test
	void gracefulShutdownUnderLoadLeavesEveryIncrementInRedis() throws Exception {
		String prefix = TestRedis.uniquePrefix("shutdown");
		AtomicLong acknowledged = new AtomicLong();
		AtomicLong unknown = new AtomicLong();
		ExecutorService pool = Executors.newFixedThreadPool(8);
		List<Future<?>> workers = new ArrayList<>();
		this.runner.withPropertyValues("distkit.prefix=" + prefix).run((context) -> {
			LaxCounter counter = context.getBean(LaxCounter.class);
			for (int t = 0; t < 8; t++) {
				workers.add(pool.submit(() -> {
					try {
						for (;;) {
							counter.inc("hits", 1);
							acknowledged.incrementAndGet();
						}
					}
					catch (IllegalStateException ex) {
						// closed by the context shutdown before this increment: not applied
					}
					catch (DistkitBackendException ex) {
						// added while closing and the connection was already gone: the final flush may have sent it
						unknown.incrementAndGet();
					}
				}));
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> acknowledged.get() > 100_000);
			((ConfigurableApplicationContext) context.getSourceApplicationContext()).close();
		});
		for (Future<?> worker : workers) {
			worker.get(10, TimeUnit.SECONDS);
		}
		pool.shutdown();
		try (RedisAdmin admin = TestRedis.endpoint().admin()) {
			Object stored = admin.template().opsForHash().get("{" + prefix + ":lax}", "hits");
			assertThat(Long.parseLong((String) stored)).isBetween(acknowledged.get(),
					acknowledged.get() + unknown.get());
			admin.deleteKeysContaining(prefix);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class UserLaxCounter {

		@Bean
		LaxCounter myLaxCounter(RedisBackend backend) {
			return LaxCounter.create(backend, CounterOptions.builder().prefix("mine").build());
		}

	}

}
