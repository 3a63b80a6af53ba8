package io.distkit.counter;

import io.distkit.InvalidOptionException;
import io.distkit.InvalidRedisKeyException;
import io.distkit.RedisKey;

/**
 * Immutable options of a counter, made by {@link #builder()}; each setter validates its value at once.
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

	private final RedisKey prefix;

	private final int chunkSize;

	private CounterOptions(Builder builder) {
		this.prefix = builder.prefix;
		this.chunkSize = builder.chunkSize;
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

	/** A builder holding these options, to derive a variant. */
	public Builder toBuilder() {
		Builder builder = new Builder();
		builder.prefix = this.prefix;
		builder.chunkSize = this.chunkSize;
		return builder;
	}

	@Override
	public String toString() {
		return "CounterOptions[prefix=" + this.prefix + ", chunkSize=" + this.chunkSize + "]";
	}

	/** Builds {@link CounterOptions}. Not thread-safe. */
	public static final class Builder {

		private RedisKey prefix;

		private int chunkSize = DEFAULT_CHUNK_SIZE;

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
