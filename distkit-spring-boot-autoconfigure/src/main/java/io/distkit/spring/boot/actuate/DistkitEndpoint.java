package io.distkit.spring.boot.actuate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import io.distkit.DistkitException;
import io.distkit.RedisBackend;
import io.distkit.RedisKey;
import io.distkit.counter.Counter;
import io.distkit.counter.CounterComparator;
import io.distkit.icounter.InstanceAwareCounter;
import io.distkit.icounter.Totals;
import io.distkit.ratelimit.BoundLimit;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.ratelimit.Usage;

/**
 * The {@code distkit} Actuator endpoint: the configured limits and counters, one key of a counter, one key of a
 * limit, and (only when {@code management.endpoint.distkit.access} is {@code unrestricted}) writes: set a counter key,
 * set a limit key's window total, delete a counter key, reset a limit key.
 *
 * <ul>
 * <li>{@code GET /actuator/distkit}: overview</li>
 * <li>{@code GET /actuator/distkit/counter/{type}/{key}}: {@code type} is {@code strict}, {@code lax},
 * {@code strict-instance-aware} or {@code lax-instance-aware} (cumulative, this instance's slice, live instances)</li>
 * <li>{@code GET /actuator/distkit/limit/{name}/{key}}: the key's usage of the limit</li>
 * <li>{@code POST /actuator/distkit/counter/{type}/{key}} with {@code {"value": n}}: set</li>
 * <li>{@code POST /actuator/distkit/limit/{name}/{key}} with {@code {"value": n}}: set the window total</li>
 * <li>{@code DELETE /actuator/distkit/counter/{type}/{key}}, {@code DELETE /actuator/distkit/limit/{name}/{key}}</li>
 * </ul>
 * An unknown counter type, limit name or kind reads as {@code 404}.
 *
 * @since 0.1.0
 */
@Endpoint(id = "distkit", defaultAccess = Access.READ_ONLY)
public class DistkitEndpoint {

	private final String prefix;

	private final @Nullable RedisBackend backend;

	private final @Nullable RateLimiter rateLimiter;

	private final Map<String, Counter> counters;

	private final Map<String, InstanceAwareCounter> instanceAware;

	/**
	 * Creates the endpoint.
	 * @param prefix distkit's key prefix
	 * @param backend distkit's Redis access, if any
	 * @param rateLimiter the rate limiter, if any
	 * @param counters the counters by type ({@code strict}, {@code lax})
	 * @param instanceAware the instance-aware counters by type ({@code strict-instance-aware},
	 * {@code lax-instance-aware})
	 */
	public DistkitEndpoint(String prefix, @Nullable RedisBackend backend, @Nullable RateLimiter rateLimiter,
			Map<String, Counter> counters, Map<String, InstanceAwareCounter> instanceAware) {
		this.prefix = prefix;
		this.backend = backend;
		this.rateLimiter = rateLimiter;
		this.counters = Map.copyOf(counters);
		this.instanceAware = Map.copyOf(instanceAware);
	}

	@ReadOperation
	public Overview overview() {
		Map<String, LimitDescriptor> limits = new LinkedHashMap<>();
		if (this.rateLimiter != null) {
			this.rateLimiter.limits().forEach((name, limit) -> limits.put(name, LimitDescriptor.of(limit)));
		}
		RedisDescriptor redis = (this.backend != null) ? new RedisDescriptor(this.backend.circuitState().name(),
				this.backend.circuitOpenings(), this.backend.failures()) : null;
		return new Overview(this.prefix, redis, limits,
				java.util.stream.Stream.concat(this.counters.keySet().stream(), this.instanceAware.keySet().stream())
					.sorted()
					.toList());
	}

	@ReadOperation
	public @Nullable Object entry(@Selector String kind, @Selector String name, @Selector String key) {
		if ("counter".equals(kind)) {
			RedisKey counterKey = counterKey(key);
			if (counterKey == null) {
				return null;
			}
			Counter counter = this.counters.get(name);
			if (counter != null) {
				return new CounterEntry(name, key, counter.get(counterKey));
			}
			InstanceAwareCounter instances = this.instanceAware.get(name);
			return (instances != null) ? InstanceAwareEntry.of(name, key, instances, instances.get(counterKey)) : null;
		}
		if ("limit".equals(kind)) {
			BoundLimit limit = limit(name);
			return (limit != null) ? LimitEntry.of(limit.limit(), key, limit.get(key)) : null;
		}
		return null;
	}

	@WriteOperation
	public @Nullable Object set(@Selector String kind, @Selector String name, @Selector String key, long value) {
		if ("counter".equals(kind)) {
			RedisKey counterKey = counterKey(key);
			if (counterKey == null) {
				return null;
			}
			Counter counter = this.counters.get(name);
			if (counter != null) {
				return new CounterEntry(name, key, counter.set(counterKey, value));
			}
			InstanceAwareCounter instances = this.instanceAware.get(name);
			return (instances != null)
					? InstanceAwareEntry.of(name, key, instances, instances.set(counterKey, value)) : null;
		}
		if ("limit".equals(kind)) {
			BoundLimit limit = limit(name);
			if (limit == null) {
				return null;
			}
			limit.setIf(key, CounterComparator.nil(), value);
			return LimitEntry.of(limit.limit(), key, limit.get(key));
		}
		return null;
	}

	@DeleteOperation
	public @Nullable Object delete(@Selector String kind, @Selector String name, @Selector String key) {
		if ("counter".equals(kind)) {
			RedisKey counterKey = counterKey(key);
			if (counterKey == null) {
				return null;
			}
			Counter counter = this.counters.get(name);
			if (counter != null) {
				return new Deleted(key, counter.del(counterKey));
			}
			InstanceAwareCounter instances = this.instanceAware.get(name);
			return (instances != null) ? new Deleted(key, instances.del(counterKey).cumulative()) : null;
		}
		if ("limit".equals(kind)) {
			BoundLimit limit = limit(name);
			return (limit != null) ? new Deleted(key, limit.setIf(key, CounterComparator.nil(), 0).previousTotal())
					: null;
		}
		return null;
	}

	private @Nullable BoundLimit limit(String name) {
		if (this.rateLimiter == null || !this.rateLimiter.limits().containsKey(name)) {
			return null;
		}
		return this.rateLimiter.limit(name);
	}

	private static @Nullable RedisKey counterKey(String key) {
		try {
			return RedisKey.of(key);
		}
		catch (DistkitException ex) {
			return null;
		}
	}

	/** The endpoint's root. */
	public record Overview(String prefix, @Nullable RedisDescriptor redis, Map<String, LimitDescriptor> limits,
			java.util.List<String> counters) {
	}

	/** The state of distkit's Redis access. */
	public record RedisDescriptor(String circuitBreaker, long circuitOpenings, long failures) {
	}

	/** A configured limit. */
	public record LimitDescriptor(long capacity, long hardCapacity, Duration window, Duration bucket, String provider,
			String strategy) {

		static LimitDescriptor of(RateLimit limit) {
			return new LimitDescriptor(limit.capacity(), limit.hardCapacity(), limit.window(), limit.bucket(),
					limit.provider().name().toLowerCase(), limit.strategy().name().toLowerCase());
		}

	}

	/** One counter key. */
	public record CounterEntry(String type, String key, long value) {
	}

	/** One key's usage of a limit. */
	public record LimitEntry(String limit, String key, long total, long declined, long accepted, long remaining,
			double suppressionFactor, LimitDescriptor configuration) {

		static LimitEntry of(RateLimit limit, String key, Usage usage) {
			return new LimitEntry(limit.name(), key, usage.total(), usage.declined(), usage.accepted(),
					Math.max(0, limit.capacity() - usage.accepted()), usage.suppressionFactor(),
					LimitDescriptor.of(limit));
		}

	}

	/** One key of an instance-aware counter: the cumulative of live instances, this instance's slice. */
	public record InstanceAwareEntry(String type, String key, long cumulative, long slice, String instanceId,
			long liveInstances) {

		static InstanceAwareEntry of(String type, String key, InstanceAwareCounter counter, Totals totals) {
			return new InstanceAwareEntry(type, key, totals.cumulative(), totals.slice(), counter.instanceId(),
					counter.liveInstances());
		}

	}

	/** A deleted key and its value before. */
	public record Deleted(String key, long previous) {
	}

}
