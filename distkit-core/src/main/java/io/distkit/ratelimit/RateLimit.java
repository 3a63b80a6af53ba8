package io.distkit.ratelimit;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.regex.Pattern;

import io.distkit.InvalidOptionException;

/**
 * An immutable rate limit: an integer {@code capacity} of units per sliding {@code window}, counted in buckets of
 * {@code bucket} length, decided by a {@link Strategy} on a {@link Provider}. Built by {@link #builder(String)}, whose
 * setters validate at once.
 *
 * <p>For the {@link Strategy#SUPPRESSED suppressed} strategy, {@code capacity} is the soft capacity and the hard
 * capacity is {@code floor(capacity × hardLimitFactor)}, computed once in exact decimal. A capacity above
 * 2<sup>53</sup> − 1 means unlimited.
 *
 * <pre>{@code
 * RateLimit api = RateLimit.builder("api")
 *     .capacity(100)
 *     .window(Duration.ofMinutes(1))
 *     .provider(RateLimit.Provider.REDIS)
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class RateLimit {

	/** The largest count a window holds exactly: 2<sup>53</sup> − 1. A larger capacity means unlimited. */
	public static final long MAX_COUNT = (1L << 53) - 1;

	/** Default window: 10 seconds. */
	public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);

	/** Default bucket: 100 milliseconds. */
	public static final Duration DEFAULT_BUCKET = Duration.ofMillis(100);

	/** Default suppression-factor cache period: 100 milliseconds. */
	public static final Duration DEFAULT_SUPPRESSION_FACTOR_CACHE = Duration.ofMillis(100);

	/** Most buckets a window may have, so that every decision does bounded work. */
	public static final int MAX_BUCKETS_PER_WINDOW = 10_000;

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	private final String name;

	private final long capacity;

	private final long hardCapacity;

	private final BigDecimal hardLimitFactor;

	private final Duration window;

	private final Duration bucket;

	private final int windowBuckets;

	private final Strategy strategy;

	private final Provider provider;

	private final Duration suppressionFactorCache;

	private RateLimit(Builder builder) {
		this.name = builder.name;
		this.capacity = builder.capacity;
		this.hardLimitFactor = builder.hardLimitFactor;
		this.hardCapacity = (builder.strategy == Strategy.SUPPRESSED)
				? hardCapacity(builder.capacity, builder.hardLimitFactor) : builder.capacity;
		this.window = builder.window;
		this.bucket = builder.bucket;
		this.windowBuckets = (int) (builder.window.toNanos() / builder.bucket.toNanos());
		this.strategy = builder.strategy;
		this.provider = builder.provider;
		this.suppressionFactorCache = builder.suppressionFactorCache;
	}

	private static long hardCapacity(long capacity, BigDecimal factor) {
		BigDecimal hard = BigDecimal.valueOf(capacity).multiply(factor).setScale(0, RoundingMode.FLOOR);
		return (hard.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) ? Long.MAX_VALUE : hard.longValueExact();
	}

	/**
	 * Starts a builder with the defaults: window 10 s, bucket 100 ms, absolute strategy, Redis provider, hard-limit
	 * factor 1, suppression-factor cache 100 ms. {@link Builder#capacity(long)} is required.
	 * @param name the limit's name: 1 to 64 of {@code A-Z a-z 0-9 . _ -}
	 * @return the builder
	 * @throws InvalidOptionException if the name breaks the rule
	 */
	public static Builder builder(String name) {
		return new Builder(name);
	}

	/**
	 * Whether {@code name} is a valid limit name.
	 * @param name the name
	 * @return {@code true} if it matches {@code [A-Za-z0-9._-]{1,64}}
	 */
	public static boolean isValidName(String name) {
		return name != null && NAME.matcher(name).matches();
	}

	/**
	 * The name the facade gives a limit made from a rate: {@code r<capacity>w<windowMs>}.
	 * @param capacity units per window
	 * @param window the window
	 * @return the name
	 */
	public static String programmaticName(long capacity, Duration window) {
		return "r" + capacity + "w" + window.toMillis();
	}

	/**
	 * Converts a per-second rate into the capacity of a window: {@code floor(rate × window seconds)}, with a
	 * tolerance of 10<sup>-9</sup> so that a rate such as 0.1/s over 30 s gives 3, not 2.
	 * @param ratePerSecond units per second, finite and positive
	 * @param window the window
	 * @return the capacity, at least 1
	 * @throws InvalidOptionException if the rate is not finite and positive or gives less than 1 unit per window
	 */
	public static long capacityOf(double ratePerSecond, Duration window) {
		if (!Double.isFinite(ratePerSecond) || ratePerSecond <= 0) {
			throw new InvalidOptionException("rate", ratePerSecond, "must be finite and greater than 0");
		}
		double exact = ratePerSecond * window.toNanos() / 1e9;
		double capacity = Math.floor(exact + 1e-9 * Math.max(1, exact));
		if (capacity < 1) {
			throw new InvalidOptionException("rate", ratePerSecond,
					"gives less than 1 unit per window of " + window + "; raise the rate or the window");
		}
		return (capacity >= Long.MAX_VALUE) ? Long.MAX_VALUE : (long) capacity;
	}

	public String name() {
		return this.name;
	}

	/** Units per window; for the suppressed strategy the soft capacity. */
	public long capacity() {
		return this.capacity;
	}

	/** For the suppressed strategy {@code floor(capacity × hardLimitFactor)}; for the absolute one the capacity. */
	public long hardCapacity() {
		return this.hardCapacity;
	}

	/** Whether the capacity is above 2<sup>53</sup> − 1, which means no limit. */
	public boolean isUnlimited() {
		return this.capacity > MAX_COUNT;
	}

	public BigDecimal hardLimitFactor() {
		return this.hardLimitFactor;
	}

	public Duration window() {
		return this.window;
	}

	public Duration bucket() {
		return this.bucket;
	}

	/** How many buckets the window holds: {@code window / bucket}. */
	public int windowBuckets() {
		return this.windowBuckets;
	}

	public Strategy strategy() {
		return this.strategy;
	}

	public Provider provider() {
		return this.provider;
	}

	public Duration suppressionFactorCache() {
		return this.suppressionFactorCache;
	}

	/** A builder holding this limit's values, to derive a variant. */
	public Builder toBuilder() {
		Builder builder = new Builder(this.name);
		builder.capacity = this.capacity;
		builder.hardLimitFactor = this.hardLimitFactor;
		builder.window = this.window;
		builder.bucket = this.bucket;
		builder.strategy = this.strategy;
		builder.provider = this.provider;
		builder.suppressionFactorCache = this.suppressionFactorCache;
		return builder;
	}

	/** Whether {@code other} counts in the same buckets (same window and bucket), so history carries over as is. */
	public boolean sameBuckets(RateLimit other) {
		return this.window.equals(other.window) && this.bucket.equals(other.bucket);
	}

	@Override
	public boolean equals(Object other) {
		if (this == other) {
			return true;
		}
		if (!(other instanceof RateLimit limit)) {
			return false;
		}
		return this.name.equals(limit.name) && this.capacity == limit.capacity
				&& this.hardCapacity == limit.hardCapacity && this.window.equals(limit.window)
				&& this.bucket.equals(limit.bucket) && this.strategy == limit.strategy
				&& this.provider == limit.provider && this.suppressionFactorCache.equals(limit.suppressionFactorCache)
				&& this.hardLimitFactor.compareTo(limit.hardLimitFactor) == 0;
	}

	@Override
	public int hashCode() {
		return this.name.hashCode() * 31 + Long.hashCode(this.capacity);
	}

	@Override
	public String toString() {
		return "RateLimit[" + this.name + ": " + this.capacity
				+ ((this.strategy == Strategy.SUPPRESSED) ? " (hard " + this.hardCapacity + ")" : "") + " per "
				+ this.window + ", bucket " + this.bucket + ", " + this.strategy + ", " + this.provider + "]";
	}

	/** How a limit decides. */
	public enum Strategy {

		/** Admit while {@code total + count ≤ capacity}; reject otherwise. */
		ABSOLUTE,

		/**
		 * Admit everything up to the soft capacity, shed a growing fraction of calls between the soft and the hard
		 * capacity, admit nothing beyond the hard capacity.
		 */
		SUPPRESSED

	}

	/** Where a limit keeps its state. */
	public enum Provider {

		/** In this process only: no Redis. */
		LOCAL,

		/** In Redis: one atomic script per decision; exact across processes. */
		REDIS,

		/** Decided in memory from a budget synchronised with Redis every sync interval. */
		HYBRID

	}

	/** Builds {@link RateLimit}. Not thread-safe. */
	public static final class Builder {

		private final String name;

		private long capacity = -1;

		private BigDecimal hardLimitFactor = BigDecimal.ONE;

		private Duration window = DEFAULT_WINDOW;

		private Duration bucket = DEFAULT_BUCKET;

		private Strategy strategy = Strategy.ABSOLUTE;

		private Provider provider = Provider.REDIS;

		private Duration suppressionFactorCache = DEFAULT_SUPPRESSION_FACTOR_CACHE;

		private Builder(String name) {
			if (!isValidName(name)) {
				throw new InvalidOptionException("name", name, "must match [A-Za-z0-9._-]{1,64}");
			}
			this.name = name;
		}

		/**
		 * Units admitted per window (required); the soft capacity of a suppressed limit.
		 * @param capacity at least 1; above 2<sup>53</sup> − 1 means unlimited
		 * @return this builder
		 */
		public Builder capacity(long capacity) {
			if (capacity < 1) {
				throw new InvalidOptionException("capacity", capacity, "must be at least 1");
			}
			this.capacity = capacity;
			return this;
		}

		/**
		 * The sliding window; default 10 s.
		 * @param window positive, a whole number of buckets
		 * @return this builder
		 */
		public Builder window(Duration window) {
			if (window == null || window.toMillis() < 1) {
				throw new InvalidOptionException("window", window, "must be at least 1ms");
			}
			this.window = window;
			return this;
		}

		/**
		 * The bucket in which counts are grouped; default 100 ms.
		 * @param bucket at least 1 ms, whole milliseconds
		 * @return this builder
		 */
		public Builder bucket(Duration bucket) {
			if (bucket == null || bucket.toMillis() < 1 || bucket.toNanos() % 1_000_000 != 0) {
				throw new InvalidOptionException("bucket", bucket, "must be a whole number of milliseconds, at least 1ms");
			}
			this.bucket = bucket;
			return this;
		}

		public Builder strategy(Strategy strategy) {
			if (strategy == null) {
				throw new InvalidOptionException("strategy", null, "must not be null");
			}
			this.strategy = strategy;
			return this;
		}

		public Builder provider(Provider provider) {
			if (provider == null) {
				throw new InvalidOptionException("provider", null, "must not be null");
			}
			this.provider = provider;
			return this;
		}

		/**
		 * Suppressed only: the hard capacity as a multiple of the capacity; default 1.
		 * @param factor finite, at least 1
		 * @return this builder
		 */
		public Builder hardLimitFactor(double factor) {
			if (!Double.isFinite(factor) || factor < 1) {
				throw new InvalidOptionException("hardLimitFactor", factor, "must be finite and at least 1");
			}
			return hardLimitFactor(new BigDecimal(Double.toString(factor)));
		}

		/**
		 * Suppressed only: the hard capacity as an exact decimal multiple of the capacity; default 1.
		 * @param factor at least 1
		 * @return this builder
		 */
		public Builder hardLimitFactor(BigDecimal factor) {
			if (factor == null || factor.compareTo(BigDecimal.ONE) < 0) {
				throw new InvalidOptionException("hardLimitFactor", factor, "must be finite and at least 1");
			}
			this.hardLimitFactor = factor;
			return this;
		}

		/**
		 * Suppressed only: how long a computed suppression factor is reused; default 100 ms.
		 * @param period at least 1 ms
		 * @return this builder
		 */
		public Builder suppressionFactorCache(Duration period) {
			if (period == null || period.toMillis() < 1) {
				throw new InvalidOptionException("suppressionFactorCache", period, "must be at least 1ms");
			}
			this.suppressionFactorCache = period;
			return this;
		}

		/**
		 * Builds the limit, checking the options against each other.
		 * @return the limit
		 * @throws InvalidOptionException if the capacity is missing, the window is shorter than a bucket or not a
		 * whole number of buckets, or the window has more than {@value #MAX_BUCKETS_PER_WINDOW} buckets
		 */
		public RateLimit build() {
			if (this.capacity < 1) {
				throw new InvalidOptionException("capacity", null, "is required for limit '" + this.name + "'");
			}
			if (this.window.compareTo(this.bucket) < 0) {
				throw new InvalidOptionException("window", this.window,
						"must not be shorter than the bucket (" + this.bucket + ")");
			}
			if (this.window.toNanos() % this.bucket.toNanos() != 0) {
				throw new InvalidOptionException("window", this.window,
						"must be a whole number of buckets (bucket " + this.bucket + ")");
			}
			if (this.window.toNanos() / this.bucket.toNanos() > MAX_BUCKETS_PER_WINDOW) {
				throw new InvalidOptionException("window", this.window, "must hold at most " + MAX_BUCKETS_PER_WINDOW
						+ " buckets (bucket " + this.bucket + "); choose a larger bucket");
			}
			return new RateLimit(this);
		}

	}

}
