package io.distkit.ratelimit;

import io.distkit.DistkitBackendException;
import io.distkit.InvalidOptionException;
import io.distkit.counter.CounterComparator;

/**
 * One rate limit bound to its provider: the operations a caller uses. Obtained from {@link RateLimiter#limit(String)}
 * or {@link RateLimiter#limit(RateLimit)}; cheap to keep.
 *
 * <p>{@code inc}, {@code incDetailed} and {@code isAllowed} apply the limiter's {@link BackendFailurePolicy} when the
 * decision needed Redis and Redis failed; the other operations throw {@link DistkitBackendException}. Keys are any
 * non-empty strings (Redis-backed providers encode them). Counts lie in [0, 2<sup>53</sup>). Thread-safe.
 *
 * @since 0.1.0
 */
public final class BoundLimit {

	private final RateLimit limit;

	private final LimitEngine engine;

	private final LimitEngine.Decider decider;

	private final RateLimiter limiter;

	BoundLimit(RateLimit limit, LimitEngine engine, RateLimiter limiter) {
		this.limit = limit;
		this.engine = engine;
		this.decider = engine.decider(limit);
		this.limiter = limiter;
	}

	public RateLimit limit() {
		return this.limit;
	}

	/** Decides one unit for {@code key} and counts it if admitted. */
	public RateLimitDecision inc(String key) {
		return inc(key, 1);
	}

	/**
	 * Decides {@code count} units for {@code key} as one batch (all or nothing) and counts them if admitted
	 * (suppressed: counts them as offered either way).
	 * @return the decision; a shared constant when admitted
	 * @throws RateLimitBackendUnavailableException if Redis failed and the policy is {@code fail-closed}
	 */
	public RateLimitDecision inc(String key, long count) {
		checkKeyAndCount(key, count);
		RateLimitDecision decision;
		try {
			decision = this.decider.decide(key, count, false);
		}
		catch (DistkitBackendException ex) {
			decision = this.limiter.onBackendFailure(this.limit, ex, (fallback) -> fallback.inc(this.limit, key, count));
		}
		this.limiter.listener().onDecision(this.limit, decision);
		return decision;
	}

	/** As {@link #inc(String, long)}; an admitted decision carries the remaining units and the reset time. */
	public RateLimitDecision incDetailed(String key, long count) {
		checkKeyAndCount(key, count);
		RateLimitDecision decision;
		try {
			decision = this.decider.decide(key, count, true);
		}
		catch (DistkitBackendException ex) {
			decision = this.limiter.onBackendFailure(this.limit, ex,
					(fallback) -> fallback.incDetailed(this.limit, key, count));
		}
		this.limiter.listener().onDecision(this.limit, decision);
		return decision;
	}

	/** Whether one more unit would be admitted now; counts nothing. */
	public RateLimitDecision isAllowed(String key) {
		checkKeyAndCount(key, 1);
		RateLimitDecision decision;
		try {
			decision = this.engine.isAllowed(this.limit, key);
		}
		catch (DistkitBackendException ex) {
			decision = this.limiter.onBackendFailure(this.limit, ex, (fallback) -> fallback.isAllowed(this.limit, key));
		}
		this.limiter.listener().onDecision(this.limit, decision);
		return decision;
	}

	/**
	 * The key's usage in its live window (hybrid: read from Redis, plus this process's pending units).
	 * @throws DistkitBackendException if Redis failed
	 */
	public Usage get(String key) {
		checkKeyAndCount(key, 0);
		return this.engine.get(this.limit, key);
	}

	/**
	 * Hybrid: the usage this process knows, without Redis I/O while its view of the key is recent enough to decide on
	 * (ten sync intervals), else read as {@link #get}; other providers: {@link #get}.
	 */
	public Usage getEstimate(String key) {
		checkKeyAndCount(key, 0);
		return this.engine.estimate(this.limit, key);
	}

	/** Suppressed: the current suppression factor in [0, 1]; 0 for an unknown key or an absolute limit. */
	public double getSuppressionFactor(String key) {
		checkKeyAndCount(key, 0);
		return this.engine.suppressionFactor(this.limit, key);
	}

	/**
	 * Sets the key's window total to {@code count} if {@code comparator} matches the live total, replacing its history
	 * by one bucket. {@code count == 0} removes the key's state.
	 * @throws DistkitBackendException if Redis failed
	 */
	public ConditionalSetOutcome setIf(String key, CounterComparator comparator, long count) {
		checkKeyAndCount(key, count);
		return this.engine.setIf(this.limit, key, requireComparator(comparator), count, null);
	}

	/**
	 * As {@link #setIf}, reshaping the history instead of replacing it.
	 * @throws DistkitBackendException if Redis failed
	 */
	public ConditionalSetOutcome setIfPreserveHistory(String key, CounterComparator comparator, long count,
			HistoryPreservation preservation) {
		checkKeyAndCount(key, count);
		if (preservation == null) {
			throw new InvalidOptionException("preservation", null, "must not be null");
		}
		return this.engine.setIf(this.limit, key, requireComparator(comparator), count, preservation);
	}

	/**
	 * Gives back {@code count} units an admitted call took (e.g. when a later limit of the same call rejected).
	 * @throws DistkitBackendException if Redis failed
	 */
	public void refund(String key, long count) {
		checkKeyAndCount(key, count);
		this.engine.refund(this.limit, key, count);
	}

	@Override
	public String toString() {
		return "BoundLimit[" + this.limit + "]";
	}

	private static CounterComparator requireComparator(CounterComparator comparator) {
		if (comparator == null) {
			throw new InvalidOptionException("comparator", null, "must not be null; use CounterComparator.nil()");
		}
		return comparator;
	}

	private static void checkKeyAndCount(String key, long count) {
		if (key == null || key.isEmpty()) {
			throw new InvalidOptionException("key", key, "must not be empty");
		}
		if (count < 0 || count > RateLimit.MAX_COUNT) {
			throw new InvalidOptionException("count", count, "must be between 0 and " + RateLimit.MAX_COUNT);
		}
	}

}
