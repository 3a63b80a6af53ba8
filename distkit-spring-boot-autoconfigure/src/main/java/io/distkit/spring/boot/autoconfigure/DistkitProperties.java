package io.distkit.spring.boot.autoconfigure;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

import io.distkit.spring.boot.web.RateLimitHeaderStyle;

/**
 * Configuration properties for distkit.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("distkit")
public class DistkitProperties {

	/**
	 * Namespace of every Redis key distkit writes. Defaults to 'spring.application.name' without colons, braces and
	 * whitespace, or 'distkit'.
	 */
	private @Nullable String prefix;

	/**
	 * Number of batch items sent in one script call.
	 */
	private int chunkSize = 256;

	/**
	 * Maximum time to flush buffered counters and stop background work when the application shuts down.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(5);

	private final Counter counter = new Counter();

	private final Redis redis = new Redis();

	private final RateLimit rateLimit = new RateLimit();

	private final InstanceAware instanceAware = new InstanceAware();

	private final RateLimited rateLimited = new RateLimited();

	private final Counted counted = new Counted();

	private final Web web = new Web();

	public @Nullable String getPrefix() {
		return this.prefix;
	}

	public void setPrefix(@Nullable String prefix) {
		this.prefix = prefix;
	}

	public int getChunkSize() {
		return this.chunkSize;
	}

	public void setChunkSize(int chunkSize) {
		this.chunkSize = chunkSize;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public Counter getCounter() {
		return this.counter;
	}

	public Redis getRedis() {
		return this.redis;
	}

	public RateLimit getRateLimit() {
		return this.rateLimit;
	}

	public InstanceAware getInstanceAware() {
		return this.instanceAware;
	}

	public RateLimited getRateLimited() {
		return this.rateLimited;
	}

	public Counted getCounted() {
		return this.counted;
	}

	public Web getWeb() {
		return this.web;
	}

	/**
	 * Counter properties.
	 */
	public static class Counter {

		/**
		 * Whether to create the counter beans.
		 */
		private boolean enabled = true;

		private final Strict strict = new Strict();

		private final Lax lax = new Lax();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Strict getStrict() {
			return this.strict;
		}

		public Lax getLax() {
			return this.lax;
		}

	}

	/**
	 * Strict counter properties.
	 */
	public static class Strict {

		/**
		 * Whether concurrent increments of one key share one script call while a call for that key is in flight;
		 * each caller still gets the value its own increment produced.
		 */
		private boolean coalesceIncrements;

		public boolean isCoalesceIncrements() {
			return this.coalesceIncrements;
		}

		public void setCoalesceIncrements(boolean coalesceIncrements) {
			this.coalesceIncrements = coalesceIncrements;
		}

	}

	/**
	 * Lax counter properties.
	 */
	public static class Lax {

		/**
		 * Period of the background flush of buffered increments.
		 */
		private Duration flushInterval = Duration.ofMillis(20);

		/**
		 * Age of a key's last load or confirmed flush beyond which a read or comparison reloads it from Redis.
		 */
		private Duration allowedLag = Duration.ofMillis(20);

		/**
		 * Maximum number of keys kept in memory; idle keys without buffered increments are evicted beyond it.
		 */
		private int maxKeys = 100_000;

		/**
		 * Maximum number of keys holding increments not yet flushed; beyond it, an increment of a new key fails
		 * instead of risking data loss.
		 */
		private int maxPendingKeys = 100_000;

		public Duration getFlushInterval() {
			return this.flushInterval;
		}

		public void setFlushInterval(Duration flushInterval) {
			this.flushInterval = flushInterval;
		}

		public Duration getAllowedLag() {
			return this.allowedLag;
		}

		public void setAllowedLag(Duration allowedLag) {
			this.allowedLag = allowedLag;
		}

		public int getMaxKeys() {
			return this.maxKeys;
		}

		public void setMaxKeys(int maxKeys) {
			this.maxKeys = maxKeys;
		}

		public int getMaxPendingKeys() {
			return this.maxPendingKeys;
		}

		public void setMaxPendingKeys(int maxPendingKeys) {
			this.maxPendingKeys = maxPendingKeys;
		}

	}

	/**
	 * Instance-aware counter properties.
	 */
	public static class InstanceAware {

		/**
		 * Whether to create the instance-aware counter beans.
		 */
		private boolean enabled = true;

		/**
		 * Age of an instance's last heartbeat (Redis time) beyond which it is dead and the survivors remove its slices.
		 * Must be at least twice the heartbeat unless 'allow-short-threshold' is set.
		 */
		private Duration deadInstanceThreshold = Duration.ofSeconds(30);

		/**
		 * Period of the heartbeat an instance sends while it makes no other call.
		 */
		private Duration heartbeat = Duration.ofSeconds(10);

		/**
		 * Period of the lax instance-aware counter's background flush.
		 */
		private Duration flushInterval = Duration.ofMillis(20);

		/**
		 * Age of a lax instance-aware key's last load or confirmed flush beyond which a read reloads it.
		 */
		private Duration allowedLag = Duration.ofMillis(20);

		/**
		 * What every instance id starts with, before a random suffix. Defaults to 'spring.application.name' without
		 * colons, braces and whitespace.
		 */
		private @Nullable String instanceIdPrefix;

		/**
		 * Whether to allow a dead-instance threshold below twice the heartbeat, so that idle live instances are reaped
		 * (tests).
		 */
		private boolean allowShortThreshold;

		/**
		 * Whether an instance removes its slices when the application shuts down (the lax counter flushes first);
		 * otherwise they stay counted until the instance is reaped.
		 */
		private boolean removeOnShutdown = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getDeadInstanceThreshold() {
			return this.deadInstanceThreshold;
		}

		public void setDeadInstanceThreshold(Duration deadInstanceThreshold) {
			this.deadInstanceThreshold = deadInstanceThreshold;
		}

		public Duration getHeartbeat() {
			return this.heartbeat;
		}

		public void setHeartbeat(Duration heartbeat) {
			this.heartbeat = heartbeat;
		}

		public Duration getFlushInterval() {
			return this.flushInterval;
		}

		public void setFlushInterval(Duration flushInterval) {
			this.flushInterval = flushInterval;
		}

		public Duration getAllowedLag() {
			return this.allowedLag;
		}

		public void setAllowedLag(Duration allowedLag) {
			this.allowedLag = allowedLag;
		}

		public @Nullable String getInstanceIdPrefix() {
			return this.instanceIdPrefix;
		}

		public void setInstanceIdPrefix(@Nullable String instanceIdPrefix) {
			this.instanceIdPrefix = instanceIdPrefix;
		}

		public boolean isAllowShortThreshold() {
			return this.allowShortThreshold;
		}

		public void setAllowShortThreshold(boolean allowShortThreshold) {
			this.allowShortThreshold = allowShortThreshold;
		}

		public boolean isRemoveOnShutdown() {
			return this.removeOnShutdown;
		}

		public void setRemoveOnShutdown(boolean removeOnShutdown) {
			this.removeOnShutdown = removeOnShutdown;
		}

	}

	/**
	 * Redis connection of distkit. When none of 'url', 'host' and 'cluster.nodes' is set, distkit uses the
	 * application's connection factory ('spring.data.redis.*').
	 */
	public static class Redis {

		/**
		 * Connection URL of a dedicated Redis for distkit, such as 'redis://user:password@example.com:6379/0'. Overrides
		 * host, port, username, password and database.
		 */
		private @Nullable String url;

		/**
		 * Host of a dedicated Redis for distkit.
		 */
		private @Nullable String host;

		/**
		 * Port of the dedicated Redis.
		 */
		private int port = 6379;

		/**
		 * Login username of the dedicated Redis.
		 */
		private @Nullable String username;

		/**
		 * Login password of the dedicated Redis.
		 */
		private @Nullable String password;

		/**
		 * Database index of the dedicated Redis.
		 */
		private int database;

		/**
		 * Deadline of every distkit call on the dedicated connection. When unset, Lettuce waits 60 seconds.
		 */
		private @Nullable Duration timeout;

		private final Ssl ssl = new Ssl();

		private final Cluster cluster = new Cluster();

		private final CircuitBreaker circuitBreaker = new CircuitBreaker();

		public @Nullable String getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable String url) {
			this.url = url;
		}

		public @Nullable String getHost() {
			return this.host;
		}

		public void setHost(@Nullable String host) {
			this.host = host;
		}

		public int getPort() {
			return this.port;
		}

		public void setPort(int port) {
			this.port = port;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public int getDatabase() {
			return this.database;
		}

		public void setDatabase(int database) {
			this.database = database;
		}

		public @Nullable Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(@Nullable Duration timeout) {
			this.timeout = timeout;
		}

		public Ssl getSsl() {
			return this.ssl;
		}

		public Cluster getCluster() {
			return this.cluster;
		}

		public CircuitBreaker getCircuitBreaker() {
			return this.circuitBreaker;
		}

		/** Whether any property asks for a dedicated connection. */
		boolean isDedicated() {
			return hasText(this.url) || hasText(this.host) || !this.cluster.getNodes().isEmpty();
		}

		private static boolean hasText(@Nullable String text) {
			return text != null && !text.isBlank();
		}

	}

	/**
	 * SSL properties of the dedicated connection.
	 */
	public static class Ssl {

		/**
		 * Whether to enable SSL on the dedicated connection. Implied by a 'rediss://' URL.
		 */
		private boolean enabled;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Cluster properties of the dedicated connection.
	 */
	public static class Cluster {

		/**
		 * Comma-separated "host:port" pairs to bootstrap from: a dedicated Redis Cluster for distkit.
		 */
		private List<String> nodes = new ArrayList<>();

		public List<String> getNodes() {
			return this.nodes;
		}

		public void setNodes(List<String> nodes) {
			this.nodes = nodes;
		}

	}

	/**
	 * Circuit breaker in front of Redis, one per connection factory.
	 */
	public static class CircuitBreaker {

		/**
		 * Number of consecutive connection failures or timeouts that opens the circuit breaker.
		 */
		private int failureThreshold = 5;

		/**
		 * Time the circuit breaker stays open, failing calls at once, before one probe call is let through.
		 */
		private Duration openFor = Duration.ofSeconds(5);

		public int getFailureThreshold() {
			return this.failureThreshold;
		}

		public void setFailureThreshold(int failureThreshold) {
			this.failureThreshold = failureThreshold;
		}

		public Duration getOpenFor() {
			return this.openFor;
		}

		public void setOpenFor(Duration openFor) {
			this.openFor = openFor;
		}

	}


	/**
	 * Rate limiting properties: defaults for every limit and the named limits.
	 */
	public static class RateLimit {

		/**
		 * Whether to create the rate limiter bean.
		 */
		private boolean enabled = true;

		/**
		 * Default sliding window of a limit.
		 */
		private Duration window = Duration.ofSeconds(10);

		/**
		 * Default length of the buckets in which a window counts; the window must be a whole number of buckets.
		 */
		private Duration bucket = Duration.ofMillis(100);

		/**
		 * Default provider of a limit.
		 */
		private io.distkit.ratelimit.RateLimit.Provider provider = io.distkit.ratelimit.RateLimit.Provider.REDIS;

		/**
		 * Default strategy of a limit.
		 */
		private io.distkit.ratelimit.RateLimit.Strategy strategy = io.distkit.ratelimit.RateLimit.Strategy.ABSOLUTE;

		/**
		 * Default hard capacity of a suppressed limit, as a multiple of its capacity (at least 1).
		 */
		private BigDecimal hardLimitFactor = BigDecimal.ONE;

		/**
		 * Default time a suppressed limit reuses a computed suppression factor.
		 */
		private Duration suppressionFactorCache = Duration.ofMillis(100);

		/**
		 * Period of the hybrid provider's synchronisation with Redis.
		 */
		private Duration syncInterval = Duration.ofMillis(10);

		/**
		 * Maximum number of keys waiting for a hybrid commit; beyond it a decision waits one sync interval, then
		 * counts as a backend failure.
		 */
		private int commitQueueCapacity = 8192;

		/**
		 * Maximum number of keys per limit the local and hybrid providers keep in memory.
		 */
		private int maxKeys = 100_000;

		/**
		 * What a decision does when it needs Redis and Redis fails.
		 */
		private io.distkit.ratelimit.BackendFailurePolicy onBackendFailure = io.distkit.ratelimit.BackendFailurePolicy.FAIL_OPEN;

		/**
		 * Named limits.
		 */
		private Map<String, Limit> limits = new LinkedHashMap<>();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getWindow() {
			return this.window;
		}

		public void setWindow(Duration window) {
			this.window = window;
		}

		public Duration getBucket() {
			return this.bucket;
		}

		public void setBucket(Duration bucket) {
			this.bucket = bucket;
		}

		public io.distkit.ratelimit.RateLimit.Provider getProvider() {
			return this.provider;
		}

		public void setProvider(io.distkit.ratelimit.RateLimit.Provider provider) {
			this.provider = provider;
		}

		public io.distkit.ratelimit.RateLimit.Strategy getStrategy() {
			return this.strategy;
		}

		public void setStrategy(io.distkit.ratelimit.RateLimit.Strategy strategy) {
			this.strategy = strategy;
		}

		public BigDecimal getHardLimitFactor() {
			return this.hardLimitFactor;
		}

		public void setHardLimitFactor(BigDecimal hardLimitFactor) {
			this.hardLimitFactor = hardLimitFactor;
		}

		public Duration getSuppressionFactorCache() {
			return this.suppressionFactorCache;
		}

		public void setSuppressionFactorCache(Duration suppressionFactorCache) {
			this.suppressionFactorCache = suppressionFactorCache;
		}

		public Duration getSyncInterval() {
			return this.syncInterval;
		}

		public void setSyncInterval(Duration syncInterval) {
			this.syncInterval = syncInterval;
		}

		public int getCommitQueueCapacity() {
			return this.commitQueueCapacity;
		}

		public void setCommitQueueCapacity(int commitQueueCapacity) {
			this.commitQueueCapacity = commitQueueCapacity;
		}

		public int getMaxKeys() {
			return this.maxKeys;
		}

		public void setMaxKeys(int maxKeys) {
			this.maxKeys = maxKeys;
		}

		public io.distkit.ratelimit.BackendFailurePolicy getOnBackendFailure() {
			return this.onBackendFailure;
		}

		public void setOnBackendFailure(io.distkit.ratelimit.BackendFailurePolicy onBackendFailure) {
			this.onBackendFailure = onBackendFailure;
		}

		public Map<String, Limit> getLimits() {
			return this.limits;
		}

		public void setLimits(Map<String, Limit> limits) {
			this.limits = limits;
		}

	}

	/**
	 * One named limit; unset values take the defaults of 'distkit.rate-limit'.
	 */
	public static class Limit {

		/**
		 * Units admitted per window (the soft capacity of a suppressed limit).
		 */
		private @Nullable Long capacity;

		/**
		 * Sliding window of the limit.
		 */
		private @Nullable Duration window;

		/**
		 * Length of the buckets in which the window counts.
		 */
		private @Nullable Duration bucket;

		/**
		 * Provider of the limit.
		 */
		private io.distkit.ratelimit.RateLimit.@Nullable Provider provider;

		/**
		 * Strategy of the limit.
		 */
		private io.distkit.ratelimit.RateLimit.@Nullable Strategy strategy;

		/**
		 * Hard capacity of a suppressed limit as a multiple of its capacity.
		 */
		private @Nullable BigDecimal hardLimitFactor;

		/**
		 * Time a suppressed limit reuses a computed suppression factor.
		 */
		private @Nullable Duration suppressionFactorCache;

		public @Nullable Long getCapacity() {
			return this.capacity;
		}

		public void setCapacity(@Nullable Long capacity) {
			this.capacity = capacity;
		}

		public @Nullable Duration getWindow() {
			return this.window;
		}

		public void setWindow(@Nullable Duration window) {
			this.window = window;
		}

		public @Nullable Duration getBucket() {
			return this.bucket;
		}

		public void setBucket(@Nullable Duration bucket) {
			this.bucket = bucket;
		}

		public io.distkit.ratelimit.RateLimit.@Nullable Provider getProvider() {
			return this.provider;
		}

		public void setProvider(io.distkit.ratelimit.RateLimit.@Nullable Provider provider) {
			this.provider = provider;
		}

		public io.distkit.ratelimit.RateLimit.@Nullable Strategy getStrategy() {
			return this.strategy;
		}

		public void setStrategy(io.distkit.ratelimit.RateLimit.@Nullable Strategy strategy) {
			this.strategy = strategy;
		}

		public @Nullable BigDecimal getHardLimitFactor() {
			return this.hardLimitFactor;
		}

		public void setHardLimitFactor(@Nullable BigDecimal hardLimitFactor) {
			this.hardLimitFactor = hardLimitFactor;
		}

		public @Nullable Duration getSuppressionFactorCache() {
			return this.suppressionFactorCache;
		}

		public void setSuppressionFactorCache(@Nullable Duration suppressionFactorCache) {
			this.suppressionFactorCache = suppressionFactorCache;
		}

	}

	/**
	 * Properties of the @RateLimited annotation support.
	 */
	public static class RateLimited {

		/**
		 * Whether to apply @RateLimited annotations. When false, they are ignored.
		 */
		private boolean enabled = true;

		/**
		 * Order of the @RateLimited interceptor among a bean's advisors; lower runs first (further outside). The
		 * default runs outside @Transactional and @Retryable.
		 */
		private int order = io.distkit.spring.boot.aop.RateLimitedInterceptor.DEFAULT_ORDER;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getOrder() {
			return this.order;
		}

		public void setOrder(int order) {
			this.order = order;
		}

	}

	/**
	 * Properties of the @Counted annotation support.
	 */
	public static class Counted {

		/**
		 * Whether to apply @Counted annotations. When false, they are ignored.
		 */
		private boolean enabled = true;

		/**
		 * Order of the @Counted interceptor among a bean's advisors; lower runs first (further outside). The default
		 * runs inside every other advisor, including @Transactional and @Retryable.
		 */
		private int order = io.distkit.spring.boot.aop.CountedInterceptor.DEFAULT_ORDER;

		/**
		 * Whether a failure to count a call is thrown to the caller. When false, it is logged at most once a minute and
		 * metered, and the call's outcome is unaffected.
		 */
		private boolean propagateFailures;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getOrder() {
			return this.order;
		}

		public void setOrder(int order) {
			this.order = order;
		}

		public boolean isPropagateFailures() {
			return this.propagateFailures;
		}

		public void setPropagateFailures(boolean propagateFailures) {
			this.propagateFailures = propagateFailures;
		}

	}

	/**
	 * HTTP properties: the answers to rate-limit failures, the rate-limit header fields and the URL limits.
	 */
	public static class Web {

		/**
		 * Whether to answer rate-limit failures with standard HTTP responses (429, 503), add rate-limit header fields
		 * and apply URL limits in web applications.
		 */
		private boolean enabled = true;

		/**
		 * Which rate-limit header fields admitted responses carry. Rejected responses always carry the IETF fields.
		 */
		private RateLimitHeaderStyle headers = RateLimitHeaderStyle.IETF;

		/**
		 * Order of distkit's servlet filter or WebFilter, which applies the URL limits. The default runs before Spring
		 * Security's filter (-100); a URL limit whose key uses #principal needs it after.
		 */
		private int filterOrder = io.distkit.spring.boot.web.UrlLimits.DEFAULT_FILTER_ORDER;

		/**
		 * Limits applied to requests by path and HTTP method before any handler runs, in order.
		 */
		private List<UrlLimit> limits = new ArrayList<>();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public RateLimitHeaderStyle getHeaders() {
			return this.headers;
		}

		public void setHeaders(RateLimitHeaderStyle headers) {
			this.headers = headers;
		}

		public int getFilterOrder() {
			return this.filterOrder;
		}

		public void setFilterOrder(int filterOrder) {
			this.filterOrder = filterOrder;
		}

		public List<UrlLimit> getLimits() {
			return this.limits;
		}

		public void setLimits(List<UrlLimit> limits) {
			this.limits = limits;
		}

	}

	/**
	 * One URL limit: requests matching its paths and methods take one unit of its limit for their key.
	 */
	public static class UrlLimit {

		/**
		 * Path patterns the limit applies to, in Spring's PathPattern syntax, such as '/login' or '/api/**'.
		 */
		private List<String> paths = new ArrayList<>();

		/**
		 * HTTP methods the limit applies to, such as 'POST'. When empty, every method.
		 */
		private List<String> methods = new ArrayList<>();

		/**
		 * Name of the limit, one of 'distkit.rate-limit.limits'.
		 */
		private @Nullable String limit;

		/**
		 * SpEL expression of the key a request counts against, over #request, #clientIp, #principal and @beans.
		 */
		private String key = "#clientIp";

		public List<String> getPaths() {
			return this.paths;
		}

		public void setPaths(List<String> paths) {
			this.paths = paths;
		}

		public List<String> getMethods() {
			return this.methods;
		}

		public void setMethods(List<String> methods) {
			this.methods = methods;
		}

		public @Nullable String getLimit() {
			return this.limit;
		}

		public void setLimit(@Nullable String limit) {
			this.limit = limit;
		}

		public String getKey() {
			return this.key;
		}

		public void setKey(String key) {
			this.key = key;
		}

	}

}
