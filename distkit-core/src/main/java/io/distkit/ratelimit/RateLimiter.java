package io.distkit.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.random.RandomGenerator;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.distkit.CircuitBreakerOptions;
import io.distkit.DistkitBackendException;
import io.distkit.InvalidOptionException;
import io.distkit.NanoClock;
import io.distkit.RedisBackend;
import io.distkit.RedisKey;
import io.distkit.counter.CounterComparator;
import io.distkit.ratelimit.hybrid.HybridLimitEngine;
import io.distkit.ratelimit.local.LocalLimitEngine;
import io.distkit.ratelimit.redis.RedisLimitEngine;

/**
 * Sliding-window rate limiting with named limits and three providers. Get a limit by name and decide:
 *
 * <pre>{@code
 * RateLimiter limiter = RateLimiter.builder()
 *     .redis(backend, RedisKey.prefix("shop"))
 *     .limit(RateLimit.builder("api").capacity(100).window(Duration.ofMinutes(1)).build())
 *     .build();
 * if (limiter.limit("api").inc(userId).isAdmitted()) { ... }
 * }</pre>
 *
 * or use the facade of per-second rates on the default window, whose limits are named {@code r<capacity>w<windowMs>}:
 * {@code limiter.redis().absolute().inc(userId, 5.0, 1)}.
 *
 * <p>When a decision needs Redis and Redis fails, the {@link BackendFailurePolicy} applies. Thread-safe; close it to
 * stop the hybrid provider's synchronisation.
 *
 * @since 0.1.0
 */
public final class RateLimiter implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(RateLimiter.class);

	private final Map<String, RateLimit> limits;

	private final Map<RateLimit.Provider, LimitEngine> engines;

	private final LocalLimitEngine fallback;

	private final BackendFailurePolicy failurePolicy;

	private final Duration failureRetryAfter;

	private final Defaults defaults;

	private final DecisionListener listener;

	private final Map<String, BoundLimit> bound = new ConcurrentHashMap<>();

	private final Map<RateLimit.Provider, ProviderFacade> facades = new EnumMap<>(RateLimit.Provider.class);

	private RateLimiter(Builder builder) {
		this.limits = Collections.unmodifiableMap(new LinkedHashMap<>(builder.limits));
		this.failurePolicy = builder.failurePolicy;
		this.failureRetryAfter = builder.failureRetryAfter;
		this.listener = builder.listener;
		this.defaults = new Defaults(builder.window, builder.bucket, builder.hardLimitFactor,
				builder.suppressionFactorCache);
		this.engines = new EnumMap<>(RateLimit.Provider.class);
		this.engines.put(RateLimit.Provider.LOCAL, new LocalLimitEngine(builder.maxKeys, builder.clock, builder.random));
		if (builder.backend != null) {
			this.engines.put(RateLimit.Provider.REDIS,
					new RedisLimitEngine(builder.backend, builder.prefix, builder.random));
			this.engines.put(RateLimit.Provider.HYBRID, new HybridLimitEngine(builder.backend, builder.prefix,
					builder.hybrid(), builder.clock, builder.random));
		}
		this.fallback = (builder.failurePolicy == BackendFailurePolicy.LOCAL_FALLBACK)
				? new LocalLimitEngine(builder.maxKeys, builder.clock, builder.random) : null;
		for (RateLimit limit : this.limits.values()) {
			engine(limit.provider(), limit.name());
		}
		for (RateLimit.Provider provider : RateLimit.Provider.values()) {
			this.facades.put(provider, new ProviderFacade(provider));
		}
	}

	/** A builder with the defaults of the reference: window 10 s, bucket 100 ms, no Redis. */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The configured limit named {@code name}.
	 * @param name the name
	 * @return the limit bound to its provider
	 * @throws InvalidOptionException if no limit has that name
	 */
	public BoundLimit limit(String name) {
		BoundLimit existing = this.bound.get(name);
		if (existing != null) {
			return existing;
		}
		RateLimit limit = this.limits.get(name);
		if (limit == null) {
			throw new InvalidOptionException("limit", name, "is not a configured rate limit (configured: "
					+ String.join(", ", this.limits.keySet()) + ")");
		}
		return this.bound.computeIfAbsent(name, (key) -> new BoundLimit(limit, engine(limit.provider(), name), this));
	}

	/**
	 * A limit built in code, bound to its provider.
	 * @param limit the limit
	 * @return the bound limit
	 * @throws InvalidOptionException if its provider needs Redis and this limiter has none
	 */
	public BoundLimit limit(RateLimit limit) {
		BoundLimit existing = this.bound.get(limit.name());
		if (existing != null && existing.limit().equals(limit)) {
			return existing;
		}
		return new BoundLimit(limit, engine(limit.provider(), limit.name()), this);
	}

	/** The configured limits by name. */
	public Map<String, RateLimit> limits() {
		return this.limits;
	}

	/** The facade of the local provider. */
	public ProviderFacade local() {
		return this.facades.get(RateLimit.Provider.LOCAL);
	}

	/** The facade of the Redis provider. */
	public ProviderFacade redis() {
		return this.facades.get(RateLimit.Provider.REDIS);
	}

	/** The facade of the hybrid provider. */
	public ProviderFacade hybrid() {
		return this.facades.get(RateLimit.Provider.HYBRID);
	}

	DecisionListener listener() {
		return this.listener;
	}

	public BackendFailurePolicy backendFailurePolicy() {
		return this.failurePolicy;
	}

	/** The engine of a provider, if this limiter has it. */
	public LimitEngine engine(RateLimit.Provider provider) {
		return this.engines.get(provider);
	}

	/** The engines this limiter runs. */
	public Collection<LimitEngine> engines() {
		return Collections.unmodifiableCollection(this.engines.values());
	}

	@Override
	public void close() {
		this.engines.values().forEach(LimitEngine::close);
	}

	RateLimitDecision onBackendFailure(RateLimit limit, DistkitBackendException failure,
			Function<LimitEngine, RateLimitDecision> fallbackDecision) {
		switch (this.failurePolicy) {
			case FAIL_OPEN:
				logger.debug("Rate limit '" + limit.name() + "' admitted without Redis (fail-open)", failure);
				return RateLimitDecision.Allowed.DEGRADED;
			case LOCAL_FALLBACK:
				return fallbackDecision.apply(this.fallback);
			default:
				throw new RateLimitBackendUnavailableException(limit.name(), this.failureRetryAfter, failure);
		}
	}

	private LimitEngine engine(RateLimit.Provider provider, String name) {
		LimitEngine engine = this.engines.get(provider);
		if (engine == null) {
			throw new InvalidOptionException("provider", provider,
					"needs Redis, but the rate limiter has no Redis backend (limit '" + name + "')");
		}
		return engine;
	}

	private record Defaults(Duration window, Duration bucket, double hardLimitFactor,
			Duration suppressionFactorCache) {
	}

	/** Limits of one provider given as per-second rates on the default window. */
	public final class ProviderFacade {

		private final StrategyFacade absolute;

		private final StrategyFacade suppressed;

		private ProviderFacade(RateLimit.Provider provider) {
			this.absolute = new StrategyFacade(provider, RateLimit.Strategy.ABSOLUTE);
			this.suppressed = new StrategyFacade(provider, RateLimit.Strategy.SUPPRESSED);
		}

		/** The absolute strategy of this provider. */
		public StrategyFacade absolute() {
			return this.absolute;
		}

		/** The suppressed strategy of this provider. */
		public StrategyFacade suppressed() {
			return this.suppressed;
		}

	}

	/**
	 * Decisions by per-second rate on the default window: the rate becomes the integer capacity
	 * {@code floor(rate × window seconds)} of a limit named {@code r<capacity>w<windowMs>}.
	 */
	public final class StrategyFacade {

		private final RateLimit.Provider provider;

		private final RateLimit.Strategy strategy;

		private final Map<Long, BoundLimit> byCapacity = new ConcurrentHashMap<>();

		private StrategyFacade(RateLimit.Provider provider, RateLimit.Strategy strategy) {
			this.provider = provider;
			this.strategy = strategy;
		}

		/**
		 * The limit of {@code ratePerSecond} on the default window.
		 * @param ratePerSecond units per second, finite and positive
		 * @return the bound limit
		 */
		public BoundLimit limit(double ratePerSecond) {
			long capacity = RateLimit.capacityOf(ratePerSecond, RateLimiter.this.defaults.window());
			return this.byCapacity.computeIfAbsent(capacity, (c) -> RateLimiter.this.limit(RateLimit
				.builder(RateLimit.programmaticName(c, RateLimiter.this.defaults.window()))
				.capacity(c)
				.window(RateLimiter.this.defaults.window())
				.bucket(RateLimiter.this.defaults.bucket())
				.strategy(this.strategy)
				.provider(this.provider)
				.hardLimitFactor(RateLimiter.this.defaults.hardLimitFactor())
				.suppressionFactorCache(RateLimiter.this.defaults.suppressionFactorCache())
				.build()));
		}

		public RateLimitDecision inc(String key, double ratePerSecond, long count) {
			return limit(ratePerSecond).inc(key, count);
		}

		public RateLimitDecision isAllowed(String key, double ratePerSecond) {
			return limit(ratePerSecond).isAllowed(key);
		}

		public Usage get(String key, double ratePerSecond) {
			return limit(ratePerSecond).get(key);
		}

		public double getSuppressionFactor(String key, double ratePerSecond) {
			return limit(ratePerSecond).getSuppressionFactor(key);
		}

		public ConditionalSetOutcome setIf(String key, double ratePerSecond, CounterComparator comparator,
				long count) {
			return limit(ratePerSecond).setIf(key, comparator, count);
		}

		public ConditionalSetOutcome setIfPreserveHistory(String key, double ratePerSecond,
				CounterComparator comparator, long count, HistoryPreservation preservation) {
			return limit(ratePerSecond).setIfPreserveHistory(key, comparator, count, preservation);
		}

	}

	/** Options of a {@link RateLimiter}; each setter validates at once. */
	public static final class Builder {

		private RedisBackend backend;

		private RedisKey prefix = RedisKey.defaultPrefix();

		private final Map<String, RateLimit> limits = new LinkedHashMap<>();

		private Duration window = RateLimit.DEFAULT_WINDOW;

		private Duration bucket = RateLimit.DEFAULT_BUCKET;

		private double hardLimitFactor = 1.0;

		private Duration suppressionFactorCache = RateLimit.DEFAULT_SUPPRESSION_FACTOR_CACHE;

		private int maxKeys = 100_000;

		private Duration syncInterval = HybridLimitEngine.Options.DEFAULT_SYNC_INTERVAL;

		private int commitQueueCapacity = HybridLimitEngine.Options.DEFAULT_COMMIT_QUEUE_CAPACITY;

		private int chunkSize = 256;

		private BackendFailurePolicy failurePolicy = BackendFailurePolicy.FAIL_OPEN;

		private Duration failureRetryAfter = CircuitBreakerOptions.DEFAULT_OPEN_FOR;

		private NanoClock clock = NanoClock.system();

		private RandomGenerator random = ThreadLocalRandom.current();

		private DecisionListener listener = DecisionListener.NONE;

		private Builder() {
		}

		/** Told of every decision (metrics); default none. */
		public Builder listener(DecisionListener listener) {
			if (listener == null) {
				throw new InvalidOptionException("listener", null, "must not be null");
			}
			this.listener = listener;
			return this;
		}

		/**
		 * Enables the Redis and hybrid providers.
		 * @param backend the Redis backend
		 * @param prefix the namespace of every rate-limit key
		 * @return this builder
		 */
		public Builder redis(RedisBackend backend, RedisKey prefix) {
			if (backend == null || prefix == null) {
				throw new InvalidOptionException("redis", null, "backend and prefix must not be null");
			}
			this.backend = backend;
			this.prefix = RedisKey.prefix(prefix.value());
			return this;
		}

		/** Adds a named limit. */
		public Builder limit(RateLimit limit) {
			if (limit == null) {
				throw new InvalidOptionException("limit", null, "must not be null");
			}
			this.limits.put(limit.name(), limit);
			return this;
		}

		/** Default window of the rate facade; 10 s. */
		public Builder defaultWindow(Duration window) {
			RateLimit.builder("check").capacity(1).window(window).bucket(this.bucket);
			this.window = window;
			return this;
		}

		/** Default bucket of the rate facade; 100 ms. */
		public Builder defaultBucket(Duration bucket) {
			RateLimit.builder("check").capacity(1).bucket(bucket);
			this.bucket = bucket;
			return this;
		}

		/** Default hard-limit factor of the rate facade's suppressed limits; 1. */
		public Builder defaultHardLimitFactor(double factor) {
			RateLimit.builder("check").capacity(1).hardLimitFactor(factor);
			this.hardLimitFactor = factor;
			return this;
		}

		/** Default suppression-factor cache of the rate facade; 100 ms. */
		public Builder defaultSuppressionFactorCache(Duration period) {
			RateLimit.builder("check").capacity(1).suppressionFactorCache(period);
			this.suppressionFactorCache = period;
			return this;
		}

		/** Most keys per limit the local and hybrid providers keep in memory; 100,000. */
		public Builder maxKeys(int maxKeys) {
			if (maxKeys < 1) {
				throw new InvalidOptionException("maxKeys", maxKeys, "must be at least 1");
			}
			this.maxKeys = maxKeys;
			return this;
		}

		/** Period of the hybrid provider's synchronisation with Redis; 10 ms. */
		public Builder syncInterval(Duration syncInterval) {
			if (syncInterval == null || syncInterval.toMillis() < 1) {
				throw new InvalidOptionException("syncInterval", syncInterval, "must be at least 1ms");
			}
			this.syncInterval = syncInterval;
			return this;
		}

		/** Most keys with uncommitted hybrid usage; 8,192. */
		public Builder commitQueueCapacity(int capacity) {
			if (capacity < 1) {
				throw new InvalidOptionException("commitQueueCapacity", capacity, "must be at least 1");
			}
			this.commitQueueCapacity = capacity;
			return this;
		}

		/** Commits per pipelined script batch of the hybrid provider; 256. */
		public Builder chunkSize(int chunkSize) {
			if (chunkSize < 1 || chunkSize > 4096) {
				throw new InvalidOptionException("chunkSize", chunkSize, "must be between 1 and 4096");
			}
			this.chunkSize = chunkSize;
			return this;
		}

		/**
		 * What to decide when a decision needs Redis and Redis fails; default {@code FAIL_OPEN}.
		 * @param policy the policy
		 * @param retryAfter for {@code FAIL_CLOSED}: the retry time to announce (the circuit breaker's open period)
		 * @return this builder
		 */
		public Builder onBackendFailure(BackendFailurePolicy policy, Duration retryAfter) {
			if (policy == null || retryAfter == null || retryAfter.isNegative()) {
				throw new InvalidOptionException("onBackendFailure", policy, "policy and retry time must be set");
			}
			this.failurePolicy = policy;
			this.failureRetryAfter = retryAfter;
			return this;
		}

		/** The monotonic clock of local windows; tests pass a manual clock. */
		public Builder clock(NanoClock clock) {
			if (clock == null) {
				throw new InvalidOptionException("clock", null, "must not be null");
			}
			this.clock = clock;
			return this;
		}

		/** The uniform draws of the suppressed strategy (thread-safe); tests pass a seeded or scripted one. */
		public Builder random(RandomGenerator random) {
			if (random == null) {
				throw new InvalidOptionException("random", null, "must not be null");
			}
			this.random = random;
			return this;
		}

		HybridLimitEngine.Options hybrid() {
			return new HybridLimitEngine.Options(this.syncInterval, this.commitQueueCapacity, this.maxKeys,
					this.chunkSize);
		}

		/**
		 * Builds the limiter and starts the hybrid provider's synchronisation (when Redis is configured).
		 * @throws InvalidOptionException if a limit needs Redis and none is configured
		 */
		public RateLimiter build() {
			for (RateLimit limit : this.limits.values()) {
				if (limit.provider() != RateLimit.Provider.LOCAL && this.backend == null) {
					throw new InvalidOptionException("provider", limit.provider(),
							"needs Redis, but the rate limiter has no Redis backend (limit '" + limit.name() + "')");
				}
			}
			return new RateLimiter(this);
		}

	}

	@Override
	public String toString() {
		return "RateLimiter" + new ArrayList<>(this.limits.keySet());
	}

}
