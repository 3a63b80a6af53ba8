package io.distkit.ratelimit;

import io.distkit.DistkitBackendException;
import io.distkit.counter.CounterComparator;

/**
 * Where a provider keeps and decides rate limits: implemented by the local, Redis and hybrid providers and used by
 * {@link RateLimiter}. Every method takes the limit as configured now; an engine remembers the limit a key's state
 * was built with and carries the history over when the limit changes. Keys are any strings; engines that store them
 * in Redis encode them. Counts lie in [0, 2<sup>53</sup>).
 *
 * <p>Implementations are thread-safe. Not part of the stable API: it may change in any release.
 *
 * @since 0.1.0
 */
public interface LimitEngine extends AutoCloseable {

	/**
	 * Decides and, if admitted (suppressed: always), counts {@code count} units.
	 * @return the decision; a shared constant on the admitted path
	 * @throws DistkitBackendException if the decision needed Redis and Redis failed
	 */
	RateLimitDecision inc(RateLimit limit, String key, long count);

	/**
	 * As {@link #inc(RateLimit, String, long)}, but an admitted decision carries the remaining units and the reset
	 * time (for response headers).
	 */
	RateLimitDecision incDetailed(RateLimit limit, String key, long count);

	/**
	 * The counting decisions of one limit, with what the engine finds per limit (its keys' state) looked up once:
	 * what a {@link BoundLimit} calls on its hot path. The default looks nothing up ahead.
	 * @param limit the limit as configured now
	 * @return a decider for the limit's keys
	 */
	default Decider decider(RateLimit limit) {
		return (key, count, detailed) -> detailed ? incDetailed(limit, key, count) : inc(limit, key, count);
	}

	/**
	 * Whether one more unit would be admitted now; counts nothing and draws no random number.
	 * @throws DistkitBackendException if the answer needed Redis and Redis failed
	 */
	RateLimitDecision isAllowed(RateLimit limit, String key);

	/**
	 * The key's usage in its live window: authoritative (the hybrid provider reads Redis and adds its own pending
	 * units). An unknown key reads {@link Usage#NONE} and nothing is created.
	 */
	Usage get(RateLimit limit, String key);

	/** The key's usage as this process knows it without I/O where it can (hybrid); else as {@link #get}. */
	default Usage estimate(RateLimit limit, String key) {
		return get(limit, key);
	}

	/** Suppressed: the current suppression factor in [0, 1]; 0 for an unknown key. */
	double suppressionFactor(RateLimit limit, String key);

	/**
	 * Sets the key's window total to {@code count} if {@code comparator} matches the live total.
	 * @param preservation {@code null} to replace the history by one bucket of {@code count}; else how to reshape it
	 */
	ConditionalSetOutcome setIf(RateLimit limit, String key, CounterComparator comparator, long count,
			HistoryPreservation preservation);

	/** Gives back {@code count} units an earlier admitted call took (best effort, never below zero). */
	void refund(RateLimit limit, String key, long count);

	/** How many keys this engine holds in memory. */
	long size();

	/** Stops background work, flushing what must be flushed. Idempotent. */
	@Override
	void close();

	/** {@link LimitEngine#inc} and {@link LimitEngine#incDetailed} of one limit. Thread-safe. */
	@FunctionalInterface
	interface Decider {

		/**
		 * As {@link LimitEngine#incDetailed(RateLimit, String, long)} for the decider's limit if {@code detailed}, else
		 * as {@link LimitEngine#inc(RateLimit, String, long)}.
		 */
		RateLimitDecision decide(String key, long count, boolean detailed);

	}

}
