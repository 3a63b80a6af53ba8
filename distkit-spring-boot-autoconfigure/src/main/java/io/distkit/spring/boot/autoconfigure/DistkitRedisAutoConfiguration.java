package io.distkit.spring.boot.autoconfigure;

import java.time.Duration;

import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;

import io.distkit.RedisBackend;

/**
 * Auto-configuration of distkit's access to Redis: its own {@link RedisTemplate} (never a candidate for the
 * application's injection points) over the application's {@link RedisConnectionFactory} or a dedicated one from
 * {@code distkit.redis.*}, and the {@link RedisBackend} with the factory's circuit breaker. A bean named
 * {@value #CONNECTION_FACTORY_BEAN} replaces both factories. Never contacts Redis at start-up.
 *
 * @since 0.1.0
 */
@AutoConfiguration(afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass({ RedisConnectionFactory.class, RedisBackend.class })
@EnableConfigurationProperties(DistkitProperties.class)
@ImportRuntimeHints(DistkitRuntimeHints.class)
public final class DistkitRedisAutoConfiguration {

	/** Name of the connection factory distkit prefers to the application's. */
	public static final String CONNECTION_FACTORY_BEAN = "distkitRedisConnectionFactory";

	/** Name of distkit's template. */
	public static final String TEMPLATE_BEAN = "distkitRedisTemplate";

	private static final Log logger = LogFactory.getLog(DistkitRedisAutoConfiguration.class);

	private static final Duration LETTUCE_DEFAULT_TIMEOUT = Duration.ofSeconds(60);

	@Bean(name = TEMPLATE_BEAN, defaultCandidate = false)
	@ConditionalOnMissingBean(name = TEMPLATE_BEAN)
	@ConditionalOnBean(RedisConnectionFactory.class)
	RedisTemplate<String, String> distkitRedisTemplate(
			@Qualifier(CONNECTION_FACTORY_BEAN) ObjectProvider<RedisConnectionFactory> dedicated,
			ObjectProvider<RedisConnectionFactory> application, DistkitProperties properties, Environment environment) {
		RedisConnectionFactory factory = dedicated.getIfAvailable();
		boolean timeoutConfigured;
		if (factory != null) {
			timeoutConfigured = properties.getRedis().getTimeout() != null;
		}
		else {
			factory = application.getIfUnique();
			if (factory == null) {
				throw new IllegalStateException("distkit needs one RedisConnectionFactory, found several: define a bean "
						+ "named '" + CONNECTION_FACTORY_BEAN + "' or mark one as @Primary");
			}
			timeoutConfigured = environment.containsProperty("spring.data.redis.timeout");
		}
		warnIfWaitingLong(factory, timeoutConfigured, (factory == dedicated.getIfAvailable()));
		return RedisBackend.createTemplate(factory);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(name = TEMPLATE_BEAN)
	RedisBackend distkitRedisBackend(@Qualifier(TEMPLATE_BEAN) RedisTemplate<String, String> template,
			DistkitProperties properties, Environment environment, ObjectProvider<ObservationRegistry> observations) {
		RedisConnectionFactory factory = template.getConnectionFactory();
		if (factory == null) {
			throw new IllegalStateException("Bean '" + TEMPLATE_BEAN + "' has no connection factory");
		}
		return RedisBackend.builder(factory)
			.template(template)
			.circuitBreaker(new DistkitPropertiesMapper(properties, environment).circuitBreakerOptions())
			.observationRegistry(observations.getIfUnique(() -> ObservationRegistry.NOOP))
			.build();
	}

	private static void warnIfWaitingLong(RedisConnectionFactory factory, boolean timeoutConfigured,
			boolean dedicated) {
		if (timeoutConfigured) {
			return;
		}
		@Nullable Duration timeout = (factory instanceof LettuceConnectionFactory lettuce)
				? lettuce.getClientConfiguration().getCommandTimeout() : null;
		if (timeout == null || timeout.compareTo(LETTUCE_DEFAULT_TIMEOUT) >= 0) {
			String property = dedicated ? "distkit.redis.timeout" : "spring.data.redis.timeout";
			logger.warn("No Redis command timeout is configured: a distkit call waits up to "
					+ ((timeout != null) ? timeout.toSeconds() + " s" : "the client's default")
					+ " when Redis does not answer. Set '" + property + "' (e.g. 500ms) to bound it.");
		}
	}

	/** The dedicated connection of {@code distkit.redis.*}. */
	@Configuration(proxyBeanMethods = false)
	@Conditional(OnDedicatedRedisCondition.class)
	static class DedicatedConnectionConfiguration {

		@Bean(name = CONNECTION_FACTORY_BEAN, defaultCandidate = false)
		@ConditionalOnMissingBean(name = CONNECTION_FACTORY_BEAN)
		LettuceConnectionFactory distkitRedisConnectionFactory(DistkitProperties properties) {
			return DedicatedRedisConnectionFactories.create(properties.getRedis());
		}

	}

}
