package io.distkit.spring.boot.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.distkit.RedisBackend;
import io.distkit.icounter.InstanceAwareOptions;
import io.distkit.icounter.LaxInstanceAwareCounter;
import io.distkit.icounter.StrictInstanceAwareCounter;
import io.distkit.test.RedisAdmin;
import io.distkit.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

class DistkitInstanceAwareAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, DistkitRedisAutoConfiguration.class,
				DistkitInstanceAwareAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.url=" + TestRedis.endpoint().url(), "spring.data.redis.timeout=2s");

	@Test
	void withRedisShouldCreateBothCountersWithDefaults() {
		this.runner.withPropertyValues("spring.application.name=shop {eu}").run((context) -> {
			assertThat(context).hasSingleBean(StrictInstanceAwareCounter.class)
				.hasSingleBean(LaxInstanceAwareCounter.class)
				.hasSingleBean(InstanceAwareCounterShutdown.class);
			InstanceAwareOptions options = context.getBean(StrictInstanceAwareCounter.class).options();
			assertThat(options.prefix().value()).isEqualTo("shopeu");
			assertThat(options.deadInstanceThreshold()).isEqualTo(Duration.ofSeconds(30));
			assertThat(options.heartbeat()).isEqualTo(Duration.ofSeconds(10));
			assertThat(options.allowShortThreshold()).isFalse();
			assertThat(options.removeOnClose()).isTrue();
			assertThat(options.instanceIdPrefix()).isEqualTo("shopeu");
			InstanceAwareOptions lax = context.getBean(LaxInstanceAwareCounter.class).options();
			assertThat(lax.flushInterval()).isEqualTo(Duration.ofMillis(20));
			assertThat(lax.allowedLag()).isEqualTo(Duration.ofMillis(20));
			assertThat(context.getBean(StrictInstanceAwareCounter.class).instanceId()).matches("shopeu-[0-9a-f]{16}");
			assertThat(context.getBean(LaxInstanceAwareCounter.class).instanceId())
				.isNotEqualTo(context.getBean(StrictInstanceAwareCounter.class).instanceId());
		});
	}

	@Test
	void propertiesShouldBeMapped() {
		this.runner
			.withPropertyValues("distkit.instance-aware.dead-instance-threshold=1s",
					"distkit.instance-aware.heartbeat=500ms", "distkit.instance-aware.flush-interval=50ms",
					"distkit.instance-aware.allowed-lag=100ms", "distkit.instance-aware.instance-id-prefix=pod-7",
					"distkit.instance-aware.remove-on-shutdown=false", "distkit.chunk-size=9",
					"distkit.shutdown-timeout=2s")
			.run((context) -> {
				InstanceAwareOptions options = context.getBean(LaxInstanceAwareCounter.class).options();
				assertThat(options.deadInstanceThreshold()).isEqualTo(Duration.ofSeconds(1));
				assertThat(options.heartbeat()).isEqualTo(Duration.ofMillis(500));
				assertThat(options.flushInterval()).isEqualTo(Duration.ofMillis(50));
				assertThat(options.allowedLag()).isEqualTo(Duration.ofMillis(100));
				assertThat(options.instanceIdPrefix()).isEqualTo("pod-7");
				assertThat(options.removeOnClose()).isFalse();
				assertThat(options.chunkSize()).isEqualTo(9);
				assertThat(options.shutdownTimeout()).isEqualTo(Duration.ofSeconds(2));
			});
	}

	@Test
	void allowShortThresholdShouldPermitAThresholdBelowTwiceTheHeartbeat() {
		this.runner
			.withPropertyValues("distkit.instance-aware.dead-instance-threshold=100ms",
					"distkit.instance-aware.allow-short-threshold=true")
			.run((context) -> assertThat(context.getBean(StrictInstanceAwareCounter.class).options()
				.deadInstanceThreshold()).isEqualTo(Duration.ofMillis(100)));
	}

	@Test
	void whenDisabledShouldNotCreateCounters() {
		this.runner.withPropertyValues("distkit.instance-aware.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(StrictInstanceAwareCounter.class)
				.doesNotHaveBean(LaxInstanceAwareCounter.class)
				.doesNotHaveBean(InstanceAwareCounterShutdown.class));
	}

	@Test
	void withoutConnectionFactoryShouldNotCreateCounters() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DistkitRedisAutoConfiguration.class,
					DistkitInstanceAwareAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(StrictInstanceAwareCounter.class)
				.doesNotHaveBean(LaxInstanceAwareCounter.class));
	}

	@Test
	void userCountersShouldWin() {
		this.runner.withUserConfiguration(UserCounters.class).run((context) -> {
			assertThat(context).hasSingleBean(StrictInstanceAwareCounter.class)
				.hasSingleBean(LaxInstanceAwareCounter.class);
			assertThat(context.getBean(StrictInstanceAwareCounter.class).options().prefix().value()).isEqualTo("mine");
			assertThat(context.getBean(LaxInstanceAwareCounter.class).options().prefix().value()).isEqualTo("mine");
		});
	}

	@Test
	void invalidPropertiesShouldFailStartupNamingThePropertyAndValue() {
		assertFails("distkit.instance-aware.dead-instance-threshold=0ms",
				"Invalid property 'distkit.instance-aware.dead-instance-threshold': must be at least 1ms (value=PT0S)");
		assertFails("distkit.instance-aware.dead-instance-threshold=-5s",
				"Invalid property 'distkit.instance-aware.dead-instance-threshold': must be at least 1ms (value=PT-5S)");
		assertFails("distkit.instance-aware.heartbeat=0s",
				"Invalid property 'distkit.instance-aware.heartbeat': must be at least 1ms (value=PT0S)");
		assertFails("distkit.instance-aware.heartbeat=-1s",
				"Invalid property 'distkit.instance-aware.heartbeat': must be at least 1ms (value=PT-1S)");
		assertFails("distkit.instance-aware.dead-instance-threshold=15s",
				"Invalid property 'distkit.instance-aware.dead-instance-threshold': must be at least twice "
						+ "distkit.instance-aware.heartbeat (PT10S) unless distkit.instance-aware.allow-short-threshold "
						+ "is set (value=PT15S)");
		assertFails("distkit.instance-aware.flush-interval=0ms",
				"Invalid property 'distkit.instance-aware.flush-interval': must be at least 1ms (value=PT0S)");
		assertFails("distkit.instance-aware.instance-id-prefix=pod:7",
				"Invalid property 'distkit.instance-aware.instance-id-prefix': must not contain colons (value=pod:7)");
		assertFails("distkit.instance-aware.instance-id-prefix={pod}",
				"Invalid property 'distkit.instance-aware.instance-id-prefix': must not contain braces (value={pod})");
		assertFails("distkit.instance-aware.instance-id-prefix=pod 7",
				"Invalid property 'distkit.instance-aware.instance-id-prefix': must not contain whitespace (value=pod 7)");
	}

	private void assertFails(String property, String message) {
		this.runner.withPropertyValues(property)
			.run((context) -> assertThat(context).hasFailed().getFailure().rootCause().hasMessage(message));
	}

	@Test
	void contextShutdownRemovesTheInstancesSlices() {
		String prefix = TestRedis.uniquePrefix("iaShutdown");
		this.runner.withPropertyValues("distkit.prefix=" + prefix).run((context) -> {
			context.getBean(StrictInstanceAwareCounter.class).inc("k", 5);
			context.getBean(LaxInstanceAwareCounter.class).inc("k", 7); // buffered: flushed, then removed
			((ConfigurableApplicationContext) context.getSourceApplicationContext()).close();
		});
		try (RedisAdmin admin = TestRedis.endpoint().admin()) {
			assertThat(admin.template().opsForHash().get("{" + prefix + ":ia}:cumulative", "k")).isEqualTo("0");
			assertThat(admin.template().opsForHash().get("{" + prefix + ":lia}:cumulative", "k")).isEqualTo("0");
			assertThat(admin.template().opsForZSet().size("{" + prefix + ":ia}:instances")).isZero();
			assertThat(admin.template().opsForZSet().size("{" + prefix + ":lia}:instances")).isZero();
			admin.deleteKeysContaining(prefix);
		}
	}

	@Test
	void contextShutdownWithoutRemovalFlushesAndLeavesTheSlicesToTheReaper() {
		String prefix = TestRedis.uniquePrefix("iaKeep");
		this.runner.withPropertyValues("distkit.prefix=" + prefix, "distkit.instance-aware.remove-on-shutdown=false")
			.run((context) -> {
				context.getBean(StrictInstanceAwareCounter.class).inc("k", 5);
				context.getBean(LaxInstanceAwareCounter.class).inc("k", 7);
				((ConfigurableApplicationContext) context.getSourceApplicationContext()).close();
			});
		try (RedisAdmin admin = TestRedis.endpoint().admin()) {
			assertThat(admin.template().opsForHash().get("{" + prefix + ":ia}:cumulative", "k")).isEqualTo("5");
			assertThat(admin.template().opsForHash().get("{" + prefix + ":lia}:cumulative", "k")).isEqualTo("7");
			admin.deleteKeysContaining(prefix);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class UserCounters {

		@Bean
		StrictInstanceAwareCounter myStrictInstanceAwareCounter(RedisBackend backend) {
			return StrictInstanceAwareCounter.create(backend, InstanceAwareOptions.builder().prefix("mine").build());
		}

		@Bean
		LaxInstanceAwareCounter myLaxInstanceAwareCounter(RedisBackend backend) {
			return LaxInstanceAwareCounter.create(backend, InstanceAwareOptions.builder().prefix("mine").build());
		}

	}

}
