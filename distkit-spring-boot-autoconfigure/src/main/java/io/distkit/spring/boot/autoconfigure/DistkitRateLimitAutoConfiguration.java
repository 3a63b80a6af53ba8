package io.distkit.spring.boot.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import java.util.List;

import io.distkit.RedisBackend;
import io.distkit.ratelimit.DecisionListener;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimiter;

/**
 * Auto-configuration of distkit's {@link RateLimiter} from {@code distkit.rate-limit.*}: the named limits over the
 * defaults, the Redis and hybrid providers when a {@link RedisBackend} exists (the local provider works without
 * Redis), and the failure policy. Never contacts Redis at start-up.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = DistkitRedisAutoConfiguration.class)
@ConditionalOnClass(RateLimiter.class)
@ConditionalOnBooleanProperty(name = "distkit.rate-limit.enabled", matchIfMissing = true)
@EnableConfigurationProperties(DistkitProperties.class)
public final class DistkitRateLimitAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RateLimiter rateLimiter(DistkitProperties properties, Environment environment,
			ObjectProvider<RedisBackend> backend, ObjectProvider<DecisionListener> listeners) {
		DistkitProperties.RateLimit rateLimit = properties.getRateLimit();
		RateLimiter.Builder builder = RateLimiter.builder();
		RedisBackend redis = backend.getIfAvailable();
		if (redis != null) {
			builder.redis(redis, new DistkitPropertiesMapper(properties, environment).prefix());
		}
		new RateLimitPropertiesMapper(rateLimit).configure(builder);
		builder.onBackendFailure(rateLimit.getOnBackendFailure(),
				properties.getRedis().getCircuitBreaker().getOpenFor());
		List<DecisionListener> all = listeners.orderedStream().toList();
		if (!all.isEmpty()) {
			builder.listener((all.size() == 1) ? all.get(0)
					: (limit, decision) -> all.forEach((listener) -> listener.onDecision(limit, decision)));
		}
		if (redis == null) {
			for (var entry : rateLimit.getLimits().entrySet()) {
				RateLimit.Provider provider = (entry.getValue().getProvider() != null) ? entry.getValue().getProvider()
						: rateLimit.getProvider();
				if (provider != RateLimit.Provider.LOCAL) {
					throw new InvalidDistkitPropertyException("distkit.rate-limit.limits." + entry.getKey() + ".provider",
							provider, "needs Redis, but no RedisConnectionFactory is configured (set spring.data.redis.* "
									+ "or choose provider 'local')");
				}
			}
		}
		return builder.build();
	}

}
