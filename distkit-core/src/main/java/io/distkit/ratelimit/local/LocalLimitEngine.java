package io.distkit.ratelimit.local;

import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.distkit.NanoClock;
import io.distkit.counter.CounterComparator;
import io.distkit.ratelimit.ConditionalSetOutcome;
import io.distkit.ratelimit.HistoryPreservation;
import io.distkit.ratelimit.LimitEngine;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.Usage;

/**
 * The local provider: every key's sliding window in memory, on the injectable monotonic clock. Exact under
 * concurrency (a decision and its count are one atomic step per key). At most {@code maxKeys} windows per limit are
 * kept; beyond that the least valuable (idle, rarely used) windows are evicted, which forgets their history.
 *
 * <p>An admitted {@code inc} on a warm key allocates nothing. Thread-safe.
 *
 * @since 0.1.0
 */
public final class LocalLimitEngine implements LimitEngine {

	private final int maxKeys;

	private final NanoClock clock;

	private final RandomGenerator random;

	private final ConcurrentHashMap<String, Cache<String, LocalWindow>> windows = new ConcurrentHashMap<>();

	/**
	 * Creates a local provider.
	 * @param maxKeys most windows kept per limit
	 * @param clock the monotonic clock of bucket ages
	 * @param random the uniform draws of the suppressed strategy
	 */
	public LocalLimitEngine(int maxKeys, NanoClock clock, RandomGenerator random) {
		this.maxKeys = maxKeys;
		this.clock = clock;
		this.random = random;
	}

	@Override
	public RateLimitDecision inc(RateLimit limit, String key, long count) {
		return inc(limit, key, count, false);
	}

	@Override
	public RateLimitDecision incDetailed(RateLimit limit, String key, long count) {
		return inc(limit, key, count, true);
	}

	/** Finds the limit's windows once, instead of by the limit's name on every decision. */
	@Override
	public Decider decider(RateLimit limit) {
		Cache<String, LocalWindow> cache = cache(limit);
		return (key, count, detailed) -> decide(limit, window(cache, limit, key), count, detailed);
	}

	private RateLimitDecision inc(RateLimit limit, String key, long count, boolean detailed) {
		return decide(limit, window(cache(limit), limit, key), count, detailed);
	}

	private RateLimitDecision decide(RateLimit limit, LocalWindow window, long count, boolean detailed) {
		long now = this.clock.nanoTime();
		return (limit.strategy() == RateLimit.Strategy.ABSOLUTE) ? window.incAbsolute(limit, count, now, detailed)
				: window.incSuppressed(limit, count, now, this.random, detailed);
	}

	@Override
	public RateLimitDecision isAllowed(RateLimit limit, String key) {
		LocalWindow window = existing(limit, key);
		return (window != null) ? window.isAllowed(limit, this.clock.nanoTime()) : RateLimitDecision.Allowed.ADMITTED;
	}

	@Override
	public Usage get(RateLimit limit, String key) {
		LocalWindow window = existing(limit, key);
		return (window != null) ? window.usage(limit, this.clock.nanoTime()) : Usage.NONE;
	}

	@Override
	public double suppressionFactor(RateLimit limit, String key) {
		if (limit.strategy() == RateLimit.Strategy.ABSOLUTE) {
			return 0.0;
		}
		LocalWindow window = existing(limit, key);
		return (window != null) ? window.suppressionFactor(limit, this.clock.nanoTime()) : 0.0;
	}

	@Override
	public ConditionalSetOutcome setIf(RateLimit limit, String key, CounterComparator comparator, long count,
			HistoryPreservation preservation) {
		long now = this.clock.nanoTime();
		Cache<String, LocalWindow> cache = cache(limit);
		LocalWindow window = cache.getIfPresent(key);
		if (window == null || window.isEmpty(now)) {
			// a missing (or fully expired) key counts as 0; nothing is created unless the set writes a positive total
			if (!comparator.matches(0)) {
				return new ConditionalSetOutcome(false, 0, 0);
			}
			if (count == 0) {
				cache.invalidate(key);
				return new ConditionalSetOutcome(true, 0, 0);
			}
			window = cache.get(key, (k) -> new LocalWindow(limit));
			return window.setIf(limit, comparator, count, null, now);
		}
		if (count == 0) {
			long previous = window.liveTotal(now);
			if (!comparator.matches(previous)) {
				return new ConditionalSetOutcome(false, previous, previous);
			}
			cache.invalidate(key);
			return new ConditionalSetOutcome(true, previous, 0);
		}
		return window.setIf(limit, comparator, count, preservation, now);
	}

	@Override
	public void refund(RateLimit limit, String key, long count) {
		LocalWindow window = existing(limit, key);
		if (window != null) {
			window.refund(count, this.clock.nanoTime());
		}
	}

	@Override
	public long size() {
		long size = 0;
		for (Cache<String, LocalWindow> cache : this.windows.values()) {
			cache.cleanUp();
			size += cache.estimatedSize();
		}
		return size;
	}

	@Override
	public void close() {
		this.windows.values().forEach(Cache::invalidateAll); // deciders hold their limit's cache
		this.windows.clear();
	}

	private static LocalWindow window(Cache<String, LocalWindow> cache, RateLimit limit, String key) {
		LocalWindow window = cache.getIfPresent(key);
		return (window != null) ? window : cache.get(key, (k) -> new LocalWindow(limit));
	}

	private LocalWindow existing(RateLimit limit, String key) {
		Cache<String, LocalWindow> cache = this.windows.get(limit.name());
		return (cache != null) ? cache.getIfPresent(key) : null;
	}

	private Cache<String, LocalWindow> cache(RateLimit limit) {
		Cache<String, LocalWindow> cache = this.windows.get(limit.name());
		if (cache == null) {
			cache = this.windows.computeIfAbsent(limit.name(),
					(name) -> Caffeine.newBuilder().maximumSize(this.maxKeys).executor(Runnable::run).build());
		}
		return cache;
	}

}
