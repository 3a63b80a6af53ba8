package io.distkit.spring.boot.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import io.distkit.RedisBackend;
import io.distkit.counter.CounterOptions;
import io.distkit.counter.LaxCounter;
import io.distkit.counter.StrictCounter;

/**
 * Auto-configuration of distkit's counters: a {@link StrictCounter} and a {@link LaxCounter} on the
 * {@link RedisBackend}, the lax one flushed when the application shuts down.
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
		return StrictCounter.create(backend, counterOptions(properties, environment));
	}

	@Bean
	@ConditionalOnMissingBean
	LaxCounter laxCounter(RedisBackend backend, DistkitProperties properties, Environment environment) {
		return LaxCounter.create(backend, counterOptions(properties, environment));
	}

	@Bean
	@ConditionalOnMissingBean
	LaxCounterShutdown distkitLaxCounterShutdown(ObjectProvider<LaxCounter> laxCounters) {
		return new LaxCounterShutdown(laxCounters);
	}

	private static CounterOptions counterOptions(DistkitProperties properties, Environment environment) {
		return new DistkitPropertiesMapper(properties, environment).counterOptions();
	}

}
