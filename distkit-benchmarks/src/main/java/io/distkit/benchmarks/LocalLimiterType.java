package io.distkit.benchmarks;

import io.distkit.benchmarks.impl.Bucket4jLocalLimiter;
import io.distkit.benchmarks.impl.DistkitLimiter;
import io.distkit.benchmarks.impl.Resilience4jLimiter;
import io.distkit.ratelimit.RateLimit;

/** The contestants of {@link LocalRateLimitBenchmark}: in-process decisions, no I/O. */
public enum LocalLimiterType {

	/** distkit's local provider, absolute strategy. */
	DISTKIT_ABSOLUTE {
		@Override
		BasicLimiter create(LimiterLoad load) {
			return DistkitLimiter.local(load.capacityPerWindow(), RateLimit.Strategy.ABSOLUTE);
		}
	},

	/** distkit's local provider, suppressed strategy (hard-limit factor 1). */
	DISTKIT_SUPPRESSED {
		@Override
		BasicLimiter create(LimiterLoad load) {
			return DistkitLimiter.local(load.capacityPerWindow(), RateLimit.Strategy.SUPPRESSED);
		}
	},

	/** Bucket4j's local bucket ({@code tryConsume(1)}), one per key in a {@code ConcurrentHashMap}. */
	BUCKET4J {
		@Override
		BasicLimiter create(LimiterLoad load) {
			return new Bucket4jLocalLimiter(load.capacityPerWindow());
		}
	},

	/** Resilience4j's {@code RateLimiter.acquirePermission()} with no wait, one per key in a {@code ConcurrentHashMap}. */
	RESILIENCE4J {
		@Override
		BasicLimiter create(LimiterLoad load) {
			return new Resilience4jLimiter(load.capacityPerWindow());
		}
	};

	abstract BasicLimiter create(LimiterLoad load);

}
