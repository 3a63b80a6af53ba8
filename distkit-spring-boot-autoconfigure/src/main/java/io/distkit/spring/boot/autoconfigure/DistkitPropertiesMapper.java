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
import io.distkit.icounter.InstanceAwareOptions;

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
		builder.coalesceIncrements(this.properties.getCounter().getStrict().isCoalesceIncrements());
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

	/**
	 * The instance-aware options from {@code distkit.instance-aware.*}, {@code distkit.prefix},
	 * {@code distkit.chunk-size} and {@code distkit.shutdown-timeout}.
	 */
	InstanceAwareOptions instanceAwareOptions() {
		RedisKey prefix = prefix();
		DistkitProperties.InstanceAware properties = this.properties.getInstanceAware();
		InstanceAwareOptions.Builder builder = InstanceAwareOptions.builder().prefix(prefix);
		property("distkit.chunk-size", this.properties.getChunkSize(),
				() -> builder.chunkSize(this.properties.getChunkSize()));
		property("distkit.instance-aware.dead-instance-threshold", properties.getDeadInstanceThreshold(),
				() -> builder.deadInstanceThreshold(properties.getDeadInstanceThreshold()));
		property("distkit.instance-aware.heartbeat", properties.getHeartbeat(),
				() -> builder.heartbeat(properties.getHeartbeat()));
		if (!properties.isAllowShortThreshold() && properties.getDeadInstanceThreshold()
			.compareTo(properties.getHeartbeat().multipliedBy(2)) < 0) {
			throw new InvalidDistkitPropertyException("distkit.instance-aware.dead-instance-threshold",
					properties.getDeadInstanceThreshold(),
					"must be at least twice distkit.instance-aware.heartbeat (" + properties.getHeartbeat()
							+ ") unless distkit.instance-aware.allow-short-threshold is set");
		}
		builder.allowShortThreshold(properties.isAllowShortThreshold());
		property("distkit.instance-aware.flush-interval", properties.getFlushInterval(),
				() -> builder.flushInterval(properties.getFlushInterval()));
		property("distkit.instance-aware.allowed-lag", properties.getAllowedLag(),
				() -> builder.allowedLag(properties.getAllowedLag()));
		String idPrefix = properties.getInstanceIdPrefix();
		if (idPrefix != null) {
			property("distkit.instance-aware.instance-id-prefix", idPrefix, () -> builder.instanceIdPrefix(idPrefix));
		}
		else {
			builder.instanceIdPrefix(derivedInstanceIdPrefix());
		}
		builder.removeOnClose(properties.isRemoveOnShutdown());
		property("distkit.shutdown-timeout", this.properties.getShutdownTimeout(),
				() -> builder.shutdownTimeout(this.properties.getShutdownTimeout()));
		return builder.build();
	}

	/** {@code spring.application.name} without colons, braces and whitespace, cut to 128 bytes; else empty. */
	private String derivedInstanceIdPrefix() {
		if (this.applicationName == null) {
			return "";
		}
		String derived = sanitize(this.applicationName);
		while (RedisKey.utf8Length(derived) > InstanceAwareOptions.MAX_INSTANCE_ID_PREFIX_BYTES) {
			derived = derived.substring(0, derived.offsetByCodePoints(derived.length(), -1));
		}
		return (InstanceAwareOptions.instanceIdPrefixRuleBroken(derived) == null) ? derived : "";
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
