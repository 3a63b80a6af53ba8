package io.distkit.spring.boot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import io.distkit.RedisBackend;
import io.distkit.counter.Counter;
import io.distkit.counter.LaxCounter;
import io.distkit.counter.StrictCounter;
import io.distkit.icounter.InstanceAwareCounter;
import io.distkit.icounter.LaxInstanceAwareCounter;
import io.distkit.icounter.StrictInstanceAwareCounter;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.spring.boot.actuate.DistkitEndpoint;

/**
 * Auto-configuration of the {@code distkit} Actuator endpoint (read-only by default; writes need
 * {@code management.endpoint.distkit.access=unrestricted}).
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { DistkitRedisAutoConfiguration.class, DistkitRateLimitAutoConfiguration.class,
		DistkitCounterAutoConfiguration.class, DistkitInstanceAwareAutoConfiguration.class })
@ConditionalOnClass(Endpoint.class)
@ConditionalOnAvailableEndpoint(DistkitEndpoint.class)
public final class DistkitEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DistkitEndpoint distkitEndpoint(DistkitProperties properties, Environment environment,
			ObjectProvider<RedisBackend> backend, ObjectProvider<RateLimiter> rateLimiter,
			ObjectProvider<StrictCounter> strict, ObjectProvider<LaxCounter> lax,
			ObjectProvider<StrictInstanceAwareCounter> strictInstanceAware,
			ObjectProvider<LaxInstanceAwareCounter> laxInstanceAware) {
		Map<String, Counter> counters = new LinkedHashMap<>();
		strict.ifUnique((counter) -> counters.put("strict", counter));
		lax.ifUnique((counter) -> counters.put("lax", counter));
		Map<String, InstanceAwareCounter> instanceAware = new LinkedHashMap<>();
		strictInstanceAware.ifUnique((counter) -> instanceAware.put("strict-instance-aware", counter));
		laxInstanceAware.ifUnique((counter) -> instanceAware.put("lax-instance-aware", counter));
		return new DistkitEndpoint(new DistkitPropertiesMapper(properties, environment).prefix().value(),
				backend.getIfAvailable(), rateLimiter.getIfAvailable(), counters, instanceAware);
	}

}
