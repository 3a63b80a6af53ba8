package io.distkit.spring.boot.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import io.distkit.RedisBackend;
import io.distkit.counter.BufferedCounter;
import io.distkit.icounter.InstanceAwareCounter;
import io.distkit.ratelimit.DecisionListener;
import io.distkit.ratelimit.LimitEngine;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.ratelimit.hybrid.HybridLimitEngine;

/**
 * distkit's meters. Tags are limit names (facade-made {@code r<capacity>w<windowMs>} limits are tagged
 * {@code programmatic}), counter bean names, provider, strategy and outcome: never a key, a user or an address.
 * Recording a decision allocates nothing once a limit's meters exist.
 *
 * <ul>
 * <li>{@code distkit.ratelimit.decisions} (counter): limit, provider, strategy, outcome = allowed | rejected |
 * suppressed.admitted | suppressed.refused | degraded</li>
 * <li>{@code distkit.ratelimit.fail.open} (counter): limit; decisions admitted because Redis failed</li>
 * <li>{@code distkit.ratelimit.hybrid.commit.queue} (gauge): keys waiting for a hybrid commit</li>
 * <li>{@code distkit.redis.failures} (function counter): calls that failed on a connection failure or timeout</li>
 * <li>{@code distkit.redis.circuit.state} (gauge): 0 closed, 1 open, 2 half-open</li>
 * <li>{@code distkit.redis.circuit.openings} (function counter)</li>
 * <li>{@code distkit.counter.lax.flushes} (function timer): counter; confirmed flushes and their time</li>
 * <li>{@code distkit.counter.lax.flush.failures}, {@code distkit.counter.lax.flushed.keys},
 * {@code distkit.counter.lax.refused.keys} (function counters) and {@code distkit.counter.lax.pending.keys} (gauge):
 * counter</li>
 * <li>{@code distkit.instance.aware.live.instances} (gauge): counter; instances whose heartbeat is younger than the
 * threshold (one Redis call per scrape)</li>
 * </ul>
 *
 * @since 0.1.0
 */
public class DistkitMetrics implements MeterBinder, DecisionListener {

	private static final Pattern PROGRAMMATIC = Pattern.compile("r[0-9]+w[0-9]+");

	private static final String[] OUTCOMES = { "allowed", "rejected", "suppressed.admitted", "suppressed.refused",
			"degraded" };

	private final Supplier<@Nullable RedisBackend> backend;

	private final Supplier<? extends Map<String, ? extends BufferedCounter>> laxCounters;

	private final Supplier<@Nullable RateLimiter> rateLimiter;

	private final Supplier<Map<String, InstanceAwareCounter>> instanceAware;

	private final Map<String, Counter[]> decisions = new ConcurrentHashMap<>();

	private volatile @Nullable MeterRegistry registry;

	/**
	 * Creates the binder. The suppliers are called when the binder is bound to a registry, so the beans they return
	 * may depend on this binder (the rate limiter reports its decisions to it).
	 * @param backend distkit's Redis access, if any
	 * @param laxCounters the lax counters, plain and instance-aware, by bean name
	 * @param rateLimiter the rate limiter, if any (for the hybrid queue gauge)
	 */
	public DistkitMetrics(Supplier<@Nullable RedisBackend> backend,
			Supplier<? extends Map<String, ? extends BufferedCounter>> laxCounters,
			Supplier<@Nullable RateLimiter> rateLimiter, Supplier<Map<String, InstanceAwareCounter>> instanceAware) {
		this.backend = backend;
		this.laxCounters = laxCounters;
		this.rateLimiter = rateLimiter;
		this.instanceAware = instanceAware;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registry = registry;
		RedisBackend redis = this.backend.get();
		if (redis != null) {
			FunctionCounter.builder("distkit.redis.failures", redis, RedisBackend::failures)
				.description("distkit calls to Redis that failed on a connection failure or timeout")
				.register(registry);
			Gauge.builder("distkit.redis.circuit.state", redis, (b) -> b.circuitState().ordinal())
				.description("State of the circuit breaker in front of Redis: 0 closed, 1 open, 2 half-open")
				.register(registry);
			FunctionCounter.builder("distkit.redis.circuit.openings", redis, RedisBackend::circuitOpenings)
				.description("Times the circuit breaker in front of Redis opened")
				.register(registry);
		}
		this.laxCounters.get().forEach((name, counter) -> bindLax(registry, name, counter));
		this.instanceAware.get()
			.forEach((name, counter) -> Gauge.builder("distkit.instance.aware.live.instances", counter,
					DistkitMetrics::liveInstances)
				.tag("counter", name)
				.description("Instances of an instance-aware counter whose heartbeat is younger than the threshold")
				.register(registry));
		RateLimiter limiter = this.rateLimiter.get();
		if (limiter != null) {
			LimitEngine engine = limiter.engine(RateLimit.Provider.HYBRID);
			if (engine instanceof HybridLimitEngine hybrid) {
				Gauge.builder("distkit.ratelimit.hybrid.commit.queue", hybrid, HybridLimitEngine::commitQueueLength)
					.description("Keys whose locally admitted usage waits for a commit to Redis")
					.register(registry);
			}
		}
	}

	private static void bindLax(MeterRegistry registry, String name, BufferedCounter counter) {
		FunctionTimer.builder("distkit.counter.lax.flushes", counter, (c) -> c.stats().flushes(),
				(c) -> c.stats().flushTime().toNanos(), TimeUnit.NANOSECONDS)
			.tag("counter", name)
			.description("Confirmed flushes of a lax counter and the time they took")
			.register(registry);
		FunctionCounter.builder("distkit.counter.lax.flush.failures", counter, (c) -> c.stats().failedFlushes())
			.tag("counter", name)
			.description("Failed flushes of a lax counter (their increments stay buffered)")
			.register(registry);
		FunctionCounter.builder("distkit.counter.lax.flushed.keys", counter, (c) -> c.stats().flushedKeys())
			.tag("counter", name)
			.description("Keys sent to Redis in confirmed chunks")
			.register(registry);
		FunctionCounter.builder("distkit.counter.lax.refused.keys", counter, (c) -> c.stats().refusedKeys())
			.tag("counter", name)
			.description("Increments Redis refused (out of range) and that were dropped")
			.register(registry);
		Gauge.builder("distkit.counter.lax.pending.keys", counter, BufferedCounter::pendingKeys)
			.tag("counter", name)
			.description("Keys whose increments are not yet confirmed by Redis")
			.register(registry);
	}

	private static double liveInstances(InstanceAwareCounter counter) {
		try {
			return counter.liveInstances();
		}
		catch (RuntimeException ex) {
			return Double.NaN; // Redis unavailable: the scrape must not fail
		}
	}

	@Override
	public void onDecision(RateLimit limit, RateLimitDecision decision) {
		MeterRegistry current = this.registry;
		if (current == null) {
			return;
		}
		Counter[] counters = this.decisions.get(limit.name());
		if (counters == null) {
			counters = this.decisions.computeIfAbsent(limit.name(), (name) -> register(current, limit));
		}
		int outcome;
		if (decision instanceof RateLimitDecision.Allowed allowed) {
			outcome = allowed.isDegraded() ? 4 : 0;
		}
		else if (decision instanceof RateLimitDecision.Rejected) {
			outcome = 1;
		}
		else {
			outcome = decision.isAdmitted() ? 2 : 3;
		}
		counters[outcome].increment();
		if (outcome == 4) {
			counters[5].increment();
		}
	}

	private static Counter[] register(MeterRegistry registry, RateLimit limit) {
		String tag = PROGRAMMATIC.matcher(limit.name()).matches() ? "programmatic" : limit.name();
		String provider = limit.provider().name().toLowerCase();
		String strategy = limit.strategy().name().toLowerCase();
		Counter[] counters = new Counter[OUTCOMES.length + 1];
		for (int i = 0; i < OUTCOMES.length; i++) {
			counters[i] = Counter.builder("distkit.ratelimit.decisions")
				.tag("limit", tag)
				.tag("provider", provider)
				.tag("strategy", strategy)
				.tag("outcome", OUTCOMES[i])
				.description("Rate-limit decisions by outcome")
				.register(registry);
		}
		counters[OUTCOMES.length] = Counter.builder("distkit.ratelimit.fail.open")
			.tag("limit", tag)
			.description("Decisions admitted without counting because Redis failed (fail-open)")
			.register(registry);
		return counters;
	}

}
