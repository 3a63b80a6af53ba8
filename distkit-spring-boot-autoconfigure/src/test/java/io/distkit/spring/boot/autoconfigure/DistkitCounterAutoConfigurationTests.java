package io.distkit.spring.boot.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.distkit.DistkitBackendException;
import io.distkit.RedisBackend;
import io.distkit.counter.CounterOptions;
import io.distkit.counter.StrictCounter;
import io.distkit.test.RedisAdmin;
import io.distkit.test.RedisProcess;
import io.distkit.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@ExtendWith(OutputCaptureExtension.class)
class DistkitCounterAutoConfigurationTests {

	private static RedisProcess dedicatedRedis;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, DistkitRedisAutoConfiguration.class,
				DistkitCounterAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.url=" + TestRedis.endpoint().url(), "spring.data.redis.timeout=2s");

	@BeforeAll
	static void startDedicatedRedis() {
		dedicatedRedis = RedisProcess.start();
	}

	@AfterAll
	static void stopDedicatedRedis() {
		dedicatedRedis.close();
	}

	@Test
	void withRedisShouldCreateWorkingStrictCounter() {
		String prefix = TestRedis.uniquePrefix("autoconfig");
		this.runner.withPropertyValues("distkit.prefix=" + prefix).run((context) -> {
			assertThat(context).hasSingleBean(StrictCounter.class).hasSingleBean(RedisBackend.class);
			StrictCounter counter = context.getBean(StrictCounter.class);
			assertThat(counter.options().prefix().value()).isEqualTo(prefix);
			assertThat(counter.options().chunkSize()).isEqualTo(256);
			try {
				assertThat(counter.inc("hits", 3)).isEqualTo(3);
				assertThat(counter.get("hits")).isEqualTo(3);
			}
			finally {
				counter.clear();
			}
		});
	}

	@Test
	void withoutConnectionFactoryShouldNotCreateBeans() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DistkitRedisAutoConfiguration.class, DistkitCounterAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(StrictCounter.class)
				.doesNotHaveBean(RedisBackend.class)
				.doesNotHaveBean(DistkitRedisAutoConfiguration.TEMPLATE_BEAN));
	}

	@Test
	void whenDisabledShouldNotCreateCounter() {
		this.runner.withPropertyValues("distkit.counter.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(StrictCounter.class).hasSingleBean(RedisBackend.class));
	}

	@Test
	void userCounterShouldWin() {
		this.runner.withUserConfiguration(UserCounterConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(StrictCounter.class);
			assertThat(context.getBean(StrictCounter.class).options().prefix().value()).isEqualTo("mine");
		});
	}

	@Test
	void prefixShouldDefaultToSanitisedApplicationName() {
		this.runner.withPropertyValues("spring.application.name=Order Service: {eu}")
			.run((context) -> assertThat(context.getBean(StrictCounter.class).options().prefix().value())
				.isEqualTo("OrderServiceeu"));
	}

	@Test
	void prefixShouldDefaultToDistkit() {
		this.runner.run((context) -> assertThat(context.getBean(StrictCounter.class).options().prefix().value())
			.isEqualTo("distkit"));
	}

	@Test
	void prefixFromLongApplicationNameShouldBeCutTo255Bytes() {
		this.runner.withPropertyValues("spring.application.name=" + "é".repeat(200))
			.run((context) -> assertThat(context.getBean(StrictCounter.class).options().prefix().value())
				.isEqualTo("é".repeat(127)));
	}

	@Test
	void dedicatedConnectionShouldBeUsedWithoutMakingApplicationInjectionAmbiguous() {
		String prefix = TestRedis.uniquePrefix("dedicated");
		this.runner.withUserConfiguration(ApplicationRedisUser.class)
			.withPropertyValues("distkit.prefix=" + prefix, "distkit.redis.url=" + dedicatedRedis.endpoint().url(),
					"distkit.redis.timeout=1s")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasBean(DistkitRedisAutoConfiguration.CONNECTION_FACTORY_BEAN);
				ApplicationRedisUser user = context.getBean(ApplicationRedisUser.class);
				RedisConnectionFactory dedicated = context.getBean(DistkitRedisAutoConfiguration.CONNECTION_FACTORY_BEAN,
						RedisConnectionFactory.class);
				assertThat(user.connectionFactory).isNotSameAs(dedicated);
				assertThat(user.template.getConnectionFactory()).isSameAs(user.connectionFactory);
				assertThat(context.getBean(RedisBackend.class).template().getConnectionFactory()).isSameAs(dedicated);
				assertThat(((LettuceConnectionFactory) dedicated).getClientConfiguration().getCommandTimeout())
					.isEqualTo(Duration.ofSeconds(1));

				context.getBean(StrictCounter.class).inc("hits", 7);
				try (RedisAdmin dedicatedAdmin = dedicatedRedis.endpoint().admin();
						RedisAdmin sharedAdmin = TestRedis.endpoint().admin()) {
					assertThat(dedicatedAdmin.template().opsForHash().get("{" + prefix + ":strict}", "hits"))
						.isEqualTo("7");
					assertThat(sharedAdmin.keysContaining(prefix)).isEmpty();
				}
			});
	}

	@Test
	void userConnectionFactoryNamedDistkitRedisConnectionFactoryShouldWin() {
		this.runner.withUserConfiguration(UserDistkitConnectionFactory.class)
			.withPropertyValues("distkit.redis.host=unused.example.com")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(RedisBackend.class).template().getConnectionFactory())
					.isSameAs(context.getBean(UserDistkitConnectionFactory.class).factory);
			});
	}

	@Test
	void unreachableRedisShouldNotBlockStartup() {
		this.runner.withPropertyValues("spring.data.redis.url=redis://127.0.0.1:1", "spring.data.redis.timeout=300ms")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(StrictCounter.class);
				assertThatExceptionOfType(DistkitBackendException.class)
					.isThrownBy(() -> context.getBean(StrictCounter.class).get("hits"));
			});
	}

	@Test
	void missingTimeoutShouldLogOneWarning(CapturedOutput output) {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					DistkitRedisAutoConfiguration.class, DistkitCounterAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.url=" + TestRedis.endpoint().url())
			.run((context) -> assertThat(context).hasSingleBean(StrictCounter.class));
		assertThat(output).containsOnlyOnce("No Redis command timeout is configured")
			.contains("Set 'spring.data.redis.timeout'");
	}

	@Test
	void configuredTimeoutShouldNotWarn(CapturedOutput output) {
		this.runner.run((context) -> assertThat(context).hasSingleBean(StrictCounter.class));
		assertThat(output).doesNotContain("No Redis command timeout is configured");
	}

	@Test
	void invalidChunkSizeShouldFailStartup() {
		this.runner.withPropertyValues("distkit.chunk-size=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidDistkitPropertyException.class)
				.hasMessage("Invalid property 'distkit.chunk-size': must be between 1 and 4096 (value=0)"));
	}

	@Test
	void invalidPrefixShouldFailStartup() {
		this.runner.withPropertyValues("distkit.prefix=my:app")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("Invalid property 'distkit.prefix': must not contain colons (value=my:app)"));
	}

	@Test
	void invalidCircuitBreakerShouldFailStartup() {
		this.runner.withPropertyValues("distkit.redis.circuit-breaker.failure-threshold=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("Invalid property 'distkit.redis.circuit-breaker.failure-threshold': must be at least 1 "
						+ "(value=0)"));
		this.runner.withPropertyValues("distkit.redis.circuit-breaker.open-for=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("Invalid property 'distkit.redis.circuit-breaker.open-for': must be positive (value=PT0S)"));
	}

	@Test
	void invalidDedicatedUrlShouldFailStartup() {
		this.runner.withPropertyValues("distkit.redis.url=http://localhost:6379")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("Invalid property 'distkit.redis.url': must start with redis:// or rediss:// "
						+ "(value=http://localhost:6379)"));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserCounterConfiguration {

		@Bean
		StrictCounter myCounter(RedisBackend backend) {
			return StrictCounter.create(backend, CounterOptions.builder().prefix("mine").build());
		}

	}

	/** An application component that injects Data Redis's beans by type, as applications do. */
	@Configuration(proxyBeanMethods = false)
	static class ApplicationRedisUser {

		final RedisConnectionFactory connectionFactory;

		final StringRedisTemplate template;

		final RedisTemplate<Object, Object> objectTemplate;

		ApplicationRedisUser(RedisConnectionFactory connectionFactory, StringRedisTemplate template,
				RedisTemplate<Object, Object> objectTemplate) {
			this.connectionFactory = connectionFactory;
			this.template = template;
			this.objectTemplate = objectTemplate;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserDistkitConnectionFactory {

		final LettuceConnectionFactory factory = TestRedis.endpoint().connectionFactory();

		@Bean(name = DistkitRedisAutoConfiguration.CONNECTION_FACTORY_BEAN, defaultCandidate = false)
		@Qualifier(DistkitRedisAutoConfiguration.CONNECTION_FACTORY_BEAN)
		LettuceConnectionFactory distkitRedisConnectionFactory() {
			return this.factory;
		}

	}

}
