package io.distkit.spring.boot.actuate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;

import io.distkit.RedisBackend;
import io.distkit.counter.BufferedCounter;
import io.distkit.ratelimit.BackendFailurePolicy;

/**
 * Health of distkit's Redis access. A Redis that does not answer makes the status DOWN only under the
 * {@code fail-closed} policy (decisions then fail); otherwise the application keeps working without Redis, so the
 * status stays UP with {@code redis: unavailable} in the details. Lax counters (plain and instance-aware) whose flushes
 * have failed for more than 30 seconds are listed in the details. Not part of the liveness or readiness groups.
 *
 * @since 0.1.0
 */
public class DistkitHealthIndicator extends AbstractHealthIndicator {

	/** How long lax flushes may fail before the details report them. */
	public static final Duration LAX_FLUSH_FAILURE_THRESHOLD = Duration.ofSeconds(30);

	private final RedisBackend backend;

	private final BackendFailurePolicy policy;

	private final Map<String, BufferedCounter> laxCounters;

	/**
	 * Creates the indicator.
	 * @param backend distkit's Redis access
	 * @param policy the rate limiter's failure policy
	 * @param laxCounters the lax counters, plain and instance-aware, by bean name
	 */
	public DistkitHealthIndicator(RedisBackend backend, BackendFailurePolicy policy,
			Map<String, ? extends BufferedCounter> laxCounters) {
		super("distkit health check failed");
		this.backend = backend;
		this.policy = policy;
		this.laxCounters = new LinkedHashMap<>(laxCounters);
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.withDetail("circuitBreaker", this.backend.circuitState().name())
			.withDetail("failurePolicy", this.policy.name().toLowerCase().replace('_', '-'));
		try {
			this.backend.template().execute((RedisCallback<String>) RedisConnection::ping);
			builder.up().withDetail("redis", "available");
		}
		catch (RuntimeException ex) {
			builder.withDetail("redis", "unavailable").withDetail("error", String.valueOf(ex.getMessage()));
			if (this.policy == BackendFailurePolicy.FAIL_CLOSED) {
				builder.down();
			}
			else {
				builder.up();
			}
		}
		Map<String, String> failing = new LinkedHashMap<>();
		for (Map.Entry<String, BufferedCounter> entry : this.laxCounters.entrySet()) {
			Duration failingFor = entry.getValue().stats().failingFor();
			if (failingFor.compareTo(LAX_FLUSH_FAILURE_THRESHOLD) > 0) {
				failing.put(entry.getKey(), "flushes failing for " + failingFor.toSeconds() + " s, "
						+ entry.getValue().pendingKeys() + " keys buffered");
			}
		}
		if (!failing.isEmpty()) {
			builder.withDetail("laxFlushes", failing);
		}
	}

}
