package io.distkit.icounter;

import java.time.Duration;

import io.distkit.InvalidOptionException;
import io.distkit.InvalidRedisKeyException;
import io.distkit.NanoClock;
import io.distkit.RedisKey;
import io.distkit.counter.CounterOptions;

/**
 * Immutable options of an instance-aware counter, made by {@link #builder()}; each setter validates its value at once
 * and {@link Builder#build()} checks the options against each other. The same options serve a
 * {@link StrictInstanceAwareCounter} and a {@link LaxInstanceAwareCounter}; the lax options are ignored by the strict
 * counter.
 *
 * <pre>{@code
 * InstanceAwareOptions options = InstanceAwareOptions.builder()
 *     .prefix("shop")
 *     .deadInstanceThreshold(Duration.ofSeconds(30))
 *     .heartbeat(Duration.ofSeconds(10))
 *     .instanceIdPrefix("shop-pod-7")
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class InstanceAwareOptions {

	/** Default age of the last heartbeat beyond which an instance is dead and its slices are removed. */
	public static final Duration DEFAULT_DEAD_INSTANCE_THRESHOLD = Duration.ofSeconds(30);

	/** Default period of an instance's heartbeat. */
	public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);

	/** The longest instance-id prefix in bytes of UTF-8 (the random suffix adds 17 characters). */
	public static final int MAX_INSTANCE_ID_PREFIX_BYTES = 128;

	private final RedisKey prefix;

	private final Duration deadInstanceThreshold;

	private final Duration heartbeat;

	private final boolean allowShortThreshold;

	private final String instanceIdPrefix;

	private final boolean removeOnClose;

	private final int chunkSize;

	private final Duration flushInterval;

	private final Duration allowedLag;

	private final int maxKeys;

	private final int maxPendingKeys;

	private final Duration shutdownTimeout;

	private final NanoClock clock;

	private InstanceAwareOptions(Builder builder) {
		this.prefix = builder.prefix;
		this.deadInstanceThreshold = builder.deadInstanceThreshold;
		this.heartbeat = builder.heartbeat;
		this.allowShortThreshold = builder.allowShortThreshold;
		this.instanceIdPrefix = builder.instanceIdPrefix;
		this.removeOnClose = builder.removeOnClose;
		this.chunkSize = builder.chunkSize;
		this.flushInterval = builder.flushInterval;
		this.allowedLag = builder.allowedLag;
		this.maxKeys = builder.maxKeys;
		this.maxPendingKeys = builder.maxPendingKeys;
		this.shutdownTimeout = builder.shutdownTimeout;
		this.clock = builder.clock;
	}

	/** A builder with the defaults; {@link Builder#prefix(String)} is required. */
	public static Builder builder() {
		return new Builder();
	}

	/** The namespace of the counter's keys in Redis. */
	public RedisKey prefix() {
		return this.prefix;
	}

	/** Age of an instance's last heartbeat (Redis time) beyond which it is dead and its slices are removed. */
	public Duration deadInstanceThreshold() {
		return this.deadInstanceThreshold;
	}

	/** Period of the heartbeat an idle instance sends to stay alive. */
	public Duration heartbeat() {
		return this.heartbeat;
	}

	/** Whether a dead-instance threshold below twice the heartbeat was allowed (tests). */
	public boolean allowShortThreshold() {
		return this.allowShortThreshold;
	}

	/** What every instance id starts with, before its random suffix; empty for none. */
	public String instanceIdPrefix() {
		return this.instanceIdPrefix;
	}

	/** Whether {@code close()} removes the instance's slices (else they stay until the instance is reaped). */
	public boolean removeOnClose() {
		return this.removeOnClose;
	}

	/** How many batch items go into one script call. */
	public int chunkSize() {
		return this.chunkSize;
	}

	/** Lax only: the period of the background flush. */
	public Duration flushInterval() {
		return this.flushInterval;
	}

	/** Lax only: how old a key's last load or confirmed flush may be before a read or comparison reloads it. */
	public Duration allowedLag() {
		return this.allowedLag;
	}

	/** Lax only: how many keys are kept in memory. */
	public int maxKeys() {
		return this.maxKeys;
	}

	/** Lax only: how many keys may hold buffered increments; beyond it an increment of a new key fails. */
	public int maxPendingKeys() {
		return this.maxPendingKeys;
	}

	/** The bound of the final work on {@code close()}: the lax flush and the removal of the slices. */
	public Duration shutdownTimeout() {
		return this.shutdownTimeout;
	}

	/** The monotonic clock of local freshness and heartbeat spacing. */
	public NanoClock clock() {
		return this.clock;
	}

	/** A builder holding these options, to derive a variant. */
	public Builder toBuilder() {
		Builder builder = new Builder();
		builder.prefix = this.prefix;
		builder.deadInstanceThreshold = this.deadInstanceThreshold;
		builder.heartbeat = this.heartbeat;
		builder.allowShortThreshold = this.allowShortThreshold;
		builder.instanceIdPrefix = this.instanceIdPrefix;
		builder.removeOnClose = this.removeOnClose;
		builder.chunkSize = this.chunkSize;
		builder.flushInterval = this.flushInterval;
		builder.allowedLag = this.allowedLag;
		builder.maxKeys = this.maxKeys;
		builder.maxPendingKeys = this.maxPendingKeys;
		builder.shutdownTimeout = this.shutdownTimeout;
		builder.clock = this.clock;
		return builder;
	}

	@Override
	public String toString() {
		return "InstanceAwareOptions[prefix=" + this.prefix + ", deadInstanceThreshold=" + this.deadInstanceThreshold
				+ ", heartbeat=" + this.heartbeat + ", allowShortThreshold=" + this.allowShortThreshold
				+ ", instanceIdPrefix=" + this.instanceIdPrefix + ", removeOnClose=" + this.removeOnClose
				+ ", chunkSize=" + this.chunkSize + ", flushInterval=" + this.flushInterval + ", allowedLag="
				+ this.allowedLag + ", maxKeys=" + this.maxKeys + ", maxPendingKeys=" + this.maxPendingKeys
				+ ", shutdownTimeout=" + this.shutdownTimeout + "]";
	}

	/**
	 * Returns the rule an instance-id prefix breaks, {@code null} if it is valid: at most
	 * {@value #MAX_INSTANCE_ID_PREFIX_BYTES} bytes of UTF-8 without colons, braces or whitespace (it becomes part of
	 * Redis key names); empty is allowed.
	 * @param value the prefix
	 * @return the rule, or {@code null}
	 */
	public static String instanceIdPrefixRuleBroken(String value) {
		if (value == null) {
			return "must not be null";
		}
		if (RedisKey.utf8Length(value) > MAX_INSTANCE_ID_PREFIX_BYTES) {
			return "must not be longer than " + MAX_INSTANCE_ID_PREFIX_BYTES + " bytes of UTF-8";
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == ':') {
				return "must not contain colons";
			}
			if (c == '{' || c == '}') {
				return "must not contain braces";
			}
			if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)) {
				return "must not contain whitespace";
			}
		}
		return null;
	}

	/** Builds {@link InstanceAwareOptions}. Not thread-safe. */
	public static final class Builder {

		private RedisKey prefix;

		private Duration deadInstanceThreshold = DEFAULT_DEAD_INSTANCE_THRESHOLD;

		private Duration heartbeat = DEFAULT_HEARTBEAT;

		private boolean allowShortThreshold;

		private String instanceIdPrefix = "";

		private boolean removeOnClose = true;

		private int chunkSize = CounterOptions.DEFAULT_CHUNK_SIZE;

		private Duration flushInterval = CounterOptions.DEFAULT_FLUSH_INTERVAL;

		private Duration allowedLag = CounterOptions.DEFAULT_ALLOWED_LAG;

		private int maxKeys = CounterOptions.DEFAULT_MAX_KEYS;

		private int maxPendingKeys = CounterOptions.DEFAULT_MAX_PENDING_KEYS;

		private Duration shutdownTimeout = CounterOptions.DEFAULT_SHUTDOWN_TIMEOUT;

		private NanoClock clock = NanoClock.system();

		private Builder() {
		}

		/**
		 * The namespace of the counter's keys (required).
		 * @param prefix 1 to 255 bytes of UTF-8 without colons, braces or whitespace
		 * @return this builder
		 * @throws InvalidRedisKeyException if a rule is broken
		 */
		public Builder prefix(String prefix) {
			this.prefix = RedisKey.prefix(prefix);
			return this;
		}

		/**
		 * The namespace of the counter's keys (required).
		 * @param prefix a key that also satisfies the prefix rules of {@link RedisKey#prefix(String)}
		 * @return this builder
		 * @throws InvalidRedisKeyException if a prefix rule is broken
		 */
		public Builder prefix(RedisKey prefix) {
			if (prefix == null) {
				throw new InvalidOptionException("prefix", null, "must not be null");
			}
			return prefix(prefix.value());
		}

		/**
		 * Age of an instance's last heartbeat (Redis time) beyond which it is dead and its slices are removed; default
		 * 30 s. Must be at least twice the {@link #heartbeat(Duration) heartbeat} unless
		 * {@link #allowShortThreshold(boolean)} is set.
		 * @param threshold at least 1 ms
		 * @return this builder
		 * @throws InvalidOptionException if shorter than 1 ms
		 */
		public Builder deadInstanceThreshold(Duration threshold) {
			this.deadInstanceThreshold = atLeastOneMillisecond("deadInstanceThreshold", threshold);
			return this;
		}

		/**
		 * Period of the heartbeat an instance sends while it makes no other call; default 10 s.
		 * @param heartbeat at least 1 ms
		 * @return this builder
		 * @throws InvalidOptionException if shorter than 1 ms
		 */
		public Builder heartbeat(Duration heartbeat) {
			this.heartbeat = atLeastOneMillisecond("heartbeat", heartbeat);
			return this;
		}

		/**
		 * Allows a dead-instance threshold below twice the heartbeat, so that an idle live instance is reaped (tests);
		 * default {@code false}.
		 * @param allow whether to allow it
		 * @return this builder
		 */
		public Builder allowShortThreshold(boolean allow) {
			this.allowShortThreshold = allow;
			return this;
		}

		/**
		 * What every instance id starts with, e.g. the application or pod name; a random suffix follows. Default empty.
		 * @param instanceIdPrefix at most 128 bytes of UTF-8 without colons, braces or whitespace
		 * @return this builder
		 * @throws InvalidOptionException if a rule is broken
		 */
		public Builder instanceIdPrefix(String instanceIdPrefix) {
			String rule = instanceIdPrefixRuleBroken(instanceIdPrefix);
			if (rule != null) {
				throw new InvalidOptionException("instanceIdPrefix", instanceIdPrefix, rule);
			}
			this.instanceIdPrefix = instanceIdPrefix;
			return this;
		}

		/**
		 * Whether {@code close()} removes the instance's slices at once (default {@code true}); otherwise they stay
		 * counted until the instance is reaped, as after a crash.
		 * @param removeOnClose whether to remove them
		 * @return this builder
		 */
		public Builder removeOnClose(boolean removeOnClose) {
			this.removeOnClose = removeOnClose;
			return this;
		}

		/**
		 * How many batch items go into one script call; default {@value CounterOptions#DEFAULT_CHUNK_SIZE}.
		 * @param chunkSize between 1 and {@value CounterOptions#MAX_CHUNK_SIZE}
		 * @return this builder
		 * @throws InvalidOptionException if out of range
		 */
		public Builder chunkSize(int chunkSize) {
			if (chunkSize < 1 || chunkSize > CounterOptions.MAX_CHUNK_SIZE) {
				throw new InvalidOptionException("chunkSize", chunkSize,
						"must be between 1 and " + CounterOptions.MAX_CHUNK_SIZE);
			}
			this.chunkSize = chunkSize;
			return this;
		}

		/**
		 * Lax only: the period of the background flush; default 20 ms.
		 * @param flushInterval at least 1 ms
		 * @return this builder
		 * @throws InvalidOptionException if shorter than 1 ms
		 */
		public Builder flushInterval(Duration flushInterval) {
			this.flushInterval = atLeastOneMillisecond("flushInterval", flushInterval);
			return this;
		}

		/**
		 * Lax only: how old a key's last load or confirmed flush may be before a read or comparison reloads it;
		 * default 20 ms.
		 * @param allowedLag at least 1 ms
		 * @return this builder
		 * @throws InvalidOptionException if shorter than 1 ms
		 */
		public Builder allowedLag(Duration allowedLag) {
			this.allowedLag = atLeastOneMillisecond("allowedLag", allowedLag);
			return this;
		}

		/**
		 * Lax only: how many keys are kept in memory; default 100,000.
		 * @param maxKeys at least 1
		 * @return this builder
		 * @throws InvalidOptionException if below 1
		 */
		public Builder maxKeys(int maxKeys) {
			if (maxKeys < 1) {
				throw new InvalidOptionException("maxKeys", maxKeys, "must be at least 1");
			}
			this.maxKeys = maxKeys;
			return this;
		}

		/**
		 * Lax only: how many keys may hold buffered increments; default 100,000.
		 * @param maxPendingKeys at least 1
		 * @return this builder
		 * @throws InvalidOptionException if below 1
		 */
		public Builder maxPendingKeys(int maxPendingKeys) {
			if (maxPendingKeys < 1) {
				throw new InvalidOptionException("maxPendingKeys", maxPendingKeys, "must be at least 1");
			}
			this.maxPendingKeys = maxPendingKeys;
			return this;
		}

		/**
		 * The bound of the final work on {@code close()}; default 5 s.
		 * @param shutdownTimeout positive
		 * @return this builder
		 * @throws InvalidOptionException if not positive
		 */
		public Builder shutdownTimeout(Duration shutdownTimeout) {
			if (shutdownTimeout == null || shutdownTimeout.isNegative() || shutdownTimeout.isZero()) {
				throw new InvalidOptionException("shutdownTimeout", shutdownTimeout, "must be positive");
			}
			this.shutdownTimeout = shutdownTimeout;
			return this;
		}

		/**
		 * The monotonic clock of local freshness and heartbeat spacing; default {@link NanoClock#system()}.
		 * @param clock the clock
		 * @return this builder
		 */
		public Builder clock(NanoClock clock) {
			if (clock == null) {
				throw new InvalidOptionException("clock", null, "must not be null");
			}
			this.clock = clock;
			return this;
		}

		private static Duration atLeastOneMillisecond(String option, Duration value) {
			if (value == null || value.compareTo(Duration.ofMillis(1)) < 0) {
				throw new InvalidOptionException(option, value, "must be at least 1ms");
			}
			return value;
		}

		/**
		 * Builds the options.
		 * @return the options
		 * @throws InvalidOptionException if no prefix was given, or the dead-instance threshold is below twice the
		 * heartbeat without {@link #allowShortThreshold(boolean)}
		 */
		public InstanceAwareOptions build() {
			if (this.prefix == null) {
				throw new InvalidOptionException("prefix", null, "is required");
			}
			if (!this.allowShortThreshold && this.deadInstanceThreshold.compareTo(this.heartbeat.multipliedBy(2)) < 0) {
				throw new InvalidOptionException("deadInstanceThreshold", this.deadInstanceThreshold,
						"must be at least twice the heartbeat (heartbeat=" + this.heartbeat
								+ ") unless allowShortThreshold is set, or live idle instances are reaped");
			}
			return new InstanceAwareOptions(this);
		}

	}

}
