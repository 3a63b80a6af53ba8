package io.distkit.counter;

import java.time.Duration;

import io.distkit.InvalidOptionException;
import io.distkit.NanoClock;
import io.distkit.InvalidRedisKeyException;
import io.distkit.RedisKey;

/**
 * Immutable options of a counter, made by {@link #builder()}; each setter validates its value at once. The same
 * options serve a {@link StrictCounter} and a {@link LaxCounter}; the lax options are ignored by the strict counter.
 *
 * <pre>{@code
 * CounterOptions options = CounterOptions.builder().prefix("shop").chunkSize(256).build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class CounterOptions {

	/** Default number of items per script call of a batch. */
	public static final int DEFAULT_CHUNK_SIZE = 256;

	/** Largest chunk size: a script unpacks a chunk's keys into one Redis command, and Lua limits that. */
	public static final int MAX_CHUNK_SIZE = 4096;

	/** Default period of a lax counter's flush. */
	public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(20);

	/** Default age after which a lax counter reloads a key's value before reading or comparing it. */
	public static final Duration DEFAULT_ALLOWED_LAG = Duration.ofMillis(20);

	/** Default bound of a lax counter's local keys. */
	public static final int DEFAULT_MAX_KEYS = 100_000;

	/** Default bound of a lax counter's keys with buffered increments. */
	public static final int DEFAULT_MAX_PENDING_KEYS = 100_000;

	/** Default bound of a lax counter's final flush on close. */
	public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

	private final RedisKey prefix;

	private final int chunkSize;

	private final Duration flushInterval;

	private final Duration allowedLag;

	private final int maxKeys;

	private final int maxPendingKeys;

	private final Duration shutdownTimeout;

	private final NanoClock clock;

	private final boolean coalesceIncrements;

	private CounterOptions(Builder builder) {
		this.prefix = builder.prefix;
		this.chunkSize = builder.chunkSize;
		this.flushInterval = builder.flushInterval;
		this.allowedLag = builder.allowedLag;
		this.maxKeys = builder.maxKeys;
		this.maxPendingKeys = builder.maxPendingKeys;
		this.shutdownTimeout = builder.shutdownTimeout;
		this.clock = builder.clock;
		this.coalesceIncrements = builder.coalesceIncrements;
	}

	/** A builder with the defaults; {@link Builder#prefix(String)} is required. */
	public static Builder builder() {
		return new Builder();
	}

	/** The namespace of the counter's keys in Redis. */
	public RedisKey prefix() {
		return this.prefix;
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

	/** Lax only: how many keys are kept in memory; idle keys without buffered increments are evicted beyond it. */
	public int maxKeys() {
		return this.maxKeys;
	}

	/** Lax only: how many keys may hold buffered increments; beyond it {@code inc} of a new key fails. */
	public int maxPendingKeys() {
		return this.maxPendingKeys;
	}

	/** Lax only: the bound of the final flush on {@code close()}. */
	public Duration shutdownTimeout() {
		return this.shutdownTimeout;
	}

	/** The monotonic clock of local freshness. */
	public NanoClock clock() {
		return this.clock;
	}

	/**
	 * Strict only: whether concurrent {@code inc}/{@code dec} of one key share one script call (each caller still gets
	 * its own exact result).
	 */
	public boolean coalesceIncrements() {
		return this.coalesceIncrements;
	}

	/** A builder holding these options, to derive a variant. */
	public Builder toBuilder() {
		Builder builder = new Builder();
		builder.prefix = this.prefix;
		builder.chunkSize = this.chunkSize;
		builder.flushInterval = this.flushInterval;
		builder.allowedLag = this.allowedLag;
		builder.maxKeys = this.maxKeys;
		builder.maxPendingKeys = this.maxPendingKeys;
		builder.shutdownTimeout = this.shutdownTimeout;
		builder.clock = this.clock;
		builder.coalesceIncrements = this.coalesceIncrements;
		return builder;
	}

	@Override
	public String toString() {
		return "CounterOptions[prefix=" + this.prefix + ", chunkSize=" + this.chunkSize + ", flushInterval="
				+ this.flushInterval + ", allowedLag=" + this.allowedLag + ", maxKeys=" + this.maxKeys
				+ ", maxPendingKeys=" + this.maxPendingKeys + ", shutdownTimeout=" + this.shutdownTimeout
				+ ", coalesceIncrements=" + this.coalesceIncrements + "]";
	}

	/** Builds {@link CounterOptions}. Not thread-safe. */
	public static final class Builder {

		private RedisKey prefix;

		private int chunkSize = DEFAULT_CHUNK_SIZE;

		private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;

		private Duration allowedLag = DEFAULT_ALLOWED_LAG;

		private int maxKeys = DEFAULT_MAX_KEYS;

		private int maxPendingKeys = DEFAULT_MAX_PENDING_KEYS;

		private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;

		private NanoClock clock = NanoClock.system();

		private boolean coalesceIncrements;

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
		 * How many batch items go into one script call; default {@value #DEFAULT_CHUNK_SIZE}.
		 * @param chunkSize between 1 and {@value #MAX_CHUNK_SIZE}
		 * @return this builder
		 * @throws InvalidOptionException if out of range
		 */
		public Builder chunkSize(int chunkSize) {
			if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
				throw new InvalidOptionException("chunkSize", chunkSize, "must be between 1 and " + MAX_CHUNK_SIZE);
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
		 * Lax only: the bound of the final flush on {@code close()}; default 5 s.
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
		 * The monotonic clock of local freshness; default {@link NanoClock#system()}. Tests pass a manual clock.
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

		/**
		 * Strict only: whether concurrent {@code inc}/{@code dec} of one key share one script call; default
		 * {@code false}. While a call for a key is in flight, further increments of that key queue and go out
		 * together as the next call, with the sum of their deltas; each caller gets the value its own increment
		 * produced (as if the queued increments ran one after another). A hot key then costs Redis one call per round
		 * trip instead of one per increment; a caller may wait for the call in flight before its own.
		 * @param coalesceIncrements whether to coalesce
		 * @return this builder
		 */
		public Builder coalesceIncrements(boolean coalesceIncrements) {
			this.coalesceIncrements = coalesceIncrements;
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
		 * @throws InvalidOptionException if no prefix was given
		 */
		public CounterOptions build() {
			if (this.prefix == null) {
				throw new InvalidOptionException("prefix", null, "is required");
			}
			return new CounterOptions(this);
		}

	}

}
