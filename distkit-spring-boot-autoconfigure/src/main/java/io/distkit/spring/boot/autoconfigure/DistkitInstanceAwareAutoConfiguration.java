package io.distkit.spring.boot.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import io.distkit.RedisBackend;
import io.distkit.icounter.InstanceAwareCounter;
import io.distkit.icounter.InstanceAwareOptions;
import io.distkit.icounter.LaxInstanceAwareCounter;
import io.distkit.icounter.StrictInstanceAwareCounter;

/**
 * Auto-configuration of distkit's instance-aware counters from {@code distkit.instance-aware.*}: a
 * {@link StrictInstanceAwareCounter} and a {@link LaxInstanceAwareCounter} on the {@link RedisBackend}, closed when
 * the application shuts down (the lax one flushed first, then each removes its slices unless
 * {@code distkit.instance-aware.remove-on-shutdown=false}).
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = DistkitRedisAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "distkit.instance-aware.enabled", matchIfMissing = true)
@ConditionalOnBean(RedisBackend.class)
public final class DistkitInstanceAwareAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	StrictInstanceAwareCounter strictInstanceAwareCounter(RedisBackend backend, DistkitProperties properties,
			Environment environment) {
		return StrictInstanceAwareCounter.create(backend, options(properties, environment));
	}

	@Bean
	@ConditionalOnMissingBean
	LaxInstanceAwareCounter laxInstanceAwareCounter(RedisBackend backend, DistkitProperties properties,
			Environment environment) {
		return LaxInstanceAwareCounter.create(backend, options(properties, environment));
	}

	@Bean
	@ConditionalOnMissingBean
	InstanceAwareCounterShutdown distkitInstanceAwareCounterShutdown(ObjectProvider<InstanceAwareCounter> counters) {
		return new InstanceAwareCounterShutdown(counters);
	}

	private static InstanceAwareOptions options(DistkitProperties properties, Environment environment) {
		return new DistkitPropertiesMapper(properties, environment).instanceAwareOptions();
	}

}
