package io.distkit.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;

import io.distkit.CircuitBreakerOptions;
import io.distkit.InvalidOptionException;
import io.distkit.InvalidRedisKeyException;
import io.distkit.RedisKey;
import io.distkit.counter.CounterOptions;

/**
 * Maps {@link DistkitProperties} to distkit's core options, turning every rejected value into an
 * {@link InvalidDistkitPropertyException} that names the property.
 */
final class DistkitPropertiesMapper {

	private final DistkitProperties properties;

	private final @Nullable String applicationName;

	DistkitPropertiesMapper(DistkitProperties properties, Environment environment) {
		this.properties = properties;
		this.applicationName = environment.getProperty("spring.application.name");
	}

	/**
	 * The prefix: {@code distkit.prefix}, else {@code spring.application.name} without colons, braces and
	 * whitespace and cut to 255 bytes of UTF-8, else {@code distkit}.
	 */
	RedisKey prefix() {
		String configured = this.properties.getPrefix();
		if (configured != null) {
			return property("distkit.prefix", configured, () -> RedisKey.prefix(configured));
		}
		String derived = (this.applicationName != null) ? sanitize(this.applicationName) : "";
		return derived.isEmpty() ? RedisKey.defaultPrefix() : RedisKey.prefix(derived);
	}

	CounterOptions counterOptions() {
		RedisKey prefix = prefix();
		CounterOptions.Builder builder = CounterOptions.builder().prefix(prefix);
		property("distkit.chunk-size", this.properties.getChunkSize(),
				() -> builder.chunkSize(this.properties.getChunkSize()));
		DistkitProperties.Lax lax = this.properties.getCounter().getLax();
		property("distkit.counter.lax.flush-interval", lax.getFlushInterval(),
				() -> builder.flushInterval(lax.getFlushInterval()));
		property("distkit.counter.lax.allowed-lag", lax.getAllowedLag(), () -> builder.allowedLag(lax.getAllowedLag()));
		property("distkit.counter.lax.max-keys", lax.getMaxKeys(), () -> builder.maxKeys(lax.getMaxKeys()));
		property("distkit.counter.lax.max-pending-keys", lax.getMaxPendingKeys(),
				() -> builder.maxPendingKeys(lax.getMaxPendingKeys()));
		property("distkit.shutdown-timeout", this.properties.getShutdownTimeout(),
				() -> builder.shutdownTimeout(this.properties.getShutdownTimeout()));
		return builder.build();
	}

	CircuitBreakerOptions circuitBreakerOptions() {
		DistkitProperties.CircuitBreaker breaker = this.properties.getRedis().getCircuitBreaker();
		property("distkit.redis.circuit-breaker.failure-threshold", breaker.getFailureThreshold(),
				() -> new CircuitBreakerOptions(breaker.getFailureThreshold(), CircuitBreakerOptions.DEFAULT_OPEN_FOR));
		return property("distkit.redis.circuit-breaker.open-for", breaker.getOpenFor(),
				() -> new CircuitBreakerOptions(breaker.getFailureThreshold(), breaker.getOpenFor()));
	}

	Duration shutdownTimeout() {
		return positive("distkit.shutdown-timeout", this.properties.getShutdownTimeout());
	}

	/** Checks that a duration is set and positive. */
	static Duration positive(String property, @Nullable Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new InvalidDistkitPropertyException(property, value, "must be positive");
		}
		return value;
	}

	/**
	 * Runs {@code build}, reporting a rejected option as a rejected property.
	 * @param property the property's name
	 * @param value its value
	 * @param build what validates it
	 * @return what {@code build} returned
	 */
	static <T> T property(String property, @Nullable Object value, Supplier<T> build) {
		try {
			return build.get();
		}
		catch (InvalidOptionException ex) {
			throw new InvalidDistkitPropertyException(property, value, ex.getRule());
		}
		catch (InvalidRedisKeyException ex) {
			throw new InvalidDistkitPropertyException(property, value, ex.getRule());
		}
	}

	static String sanitize(String name) {
		StringBuilder kept = new StringBuilder(name.length());
		name.codePoints()
			.filter((c) -> c != ':' && c != '{' && c != '}' && !Character.isWhitespace(c) && !Character.isSpaceChar(c))
			.forEach(kept::appendCodePoint);
		String result = kept.toString();
		while (RedisKey.utf8Length(result) > RedisKey.MAX_BYTES) {
			result = result.substring(0, result.offsetByCodePoints(result.length(), -1));
		}
		return result;
	}

}
