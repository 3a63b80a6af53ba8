package io.distkit.spring.boot.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.distkit.RedisBackend;
import io.distkit.counter.BufferedCounter;
import io.distkit.icounter.InstanceAwareCounter;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.spring.boot.metrics.DistkitMetrics;

/**
 * Auto-configuration of distkit's Micrometer meters: a {@link DistkitMetrics} binder that Spring Boot binds to every
 * {@link MeterRegistry} and that the rate limiter reports its decisions to.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = DistkitRedisAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration")
@ConditionalOnClass({ MeterRegistry.class, RateLimiter.class })
public final class DistkitMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DistkitMetrics distkitMetrics(ObjectProvider<RedisBackend> backend, ObjectProvider<RateLimiter> rateLimiter,
			ListableBeanFactory beans) {
		return new DistkitMetrics(backend::getIfAvailable, () -> beans.getBeansOfType(BufferedCounter.class),
				rateLimiter::getIfAvailable, () -> beans.getBeansOfType(InstanceAwareCounter.class));
	}

}
