package io.distkit.spring.boot.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import io.distkit.RedisBackend;
import io.distkit.counter.StrictCounter;

/**
 * Auto-configuration of distkit's counters.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = DistkitRedisAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "distkit.counter.enabled", matchIfMissing = true)
@ConditionalOnBean(RedisBackend.class)
public final class DistkitCounterAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	StrictCounter strictCounter(RedisBackend backend, DistkitProperties properties, Environment environment) {
		return StrictCounter.create(backend, new DistkitPropertiesMapper(properties, environment).counterOptions());
	}

}
