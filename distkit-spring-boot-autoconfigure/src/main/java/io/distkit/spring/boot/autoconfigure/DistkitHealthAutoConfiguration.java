package io.distkit.spring.boot.autoconfigure;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

import io.distkit.RedisBackend;
import io.distkit.counter.BufferedCounter;
import io.distkit.ratelimit.BackendFailurePolicy;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.spring.boot.actuate.DistkitHealthIndicator;

/**
 * Auto-configuration of distkit's health indicator ({@code distkit} in {@code /actuator/health}). It belongs to no
 * group: a Redis outage must not take a {@code fail-open} application out of its load balancer.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { DistkitRedisAutoConfiguration.class, DistkitRateLimitAutoConfiguration.class,
		DistkitCounterAutoConfiguration.class, DistkitInstanceAwareAutoConfiguration.class })
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(RedisBackend.class)
@ConditionalOnEnabledHealthIndicator("distkit")
public final class DistkitHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "distkitHealthIndicator")
	DistkitHealthIndicator distkitHealthIndicator(RedisBackend backend, ObjectProvider<RateLimiter> rateLimiter,
			DistkitProperties properties, ListableBeanFactory beans) {
		RateLimiter limiter = rateLimiter.getIfAvailable();
		BackendFailurePolicy policy = (limiter != null) ? limiter.backendFailurePolicy()
				: properties.getRateLimit().getOnBackendFailure();
		return new DistkitHealthIndicator(backend, policy, beans.getBeansOfType(BufferedCounter.class));
	}

}
