package io.distkit.ratelimit;

import java.time.Duration;

import io.distkit.DistkitException;

/**
 * A call was not admitted by a rate limit. Carries the limit, the decision and when to retry. Thrown by the
 * annotation support; programmatic callers get the {@link RateLimitDecision} instead.
 *
 * @since 0.1.0
 */
public class RateLimitExceededException extends DistkitException {

	private static final long serialVersionUID = 1L;

	private final transient RateLimit limit;

	private final transient RateLimitDecision decision;

	private final Duration retryAfter;

	/**
	 * Creates the exception of a decision that did not admit a call.
	 * @param limit the limit that refused the call
	 * @param decision its decision
	 * @param retryAfter when a retry may succeed; {@link Duration#ZERO} when waiting will not help
	 */
	public RateLimitExceededException(RateLimit limit, RateLimitDecision decision, Duration retryAfter) {
		super("Rate limit '" + limit.name() + "' exceeded (" + limit.capacity() + " per " + limit.window() + ")"
				+ ((retryAfter != null && !retryAfter.isZero()) ? "; retry after " + retryAfter.toMillis() + " ms"
						: ""));
		this.limit = limit;
		this.decision = decision;
		this.retryAfter = retryAfter;
	}

	/**
	 * The exception of a decision that did not admit a call, with its retry time: for a
	 * {@link RateLimitDecision.Rejected Rejected} decision its {@code retryAfter} (zero when the cost is larger than the
	 * capacity), for a {@link RateLimitDecision.Suppressed Suppressed} one the limit's suppression-factor cache period,
	 * the time after which the suppression factor is computed again.
	 * @param limit the limit that refused the call
	 * @param decision its decision
	 * @return the exception
	 * @throws IllegalArgumentException if the decision admitted the call
	 */
	public static RateLimitExceededException of(RateLimit limit, RateLimitDecision decision) {
		if (decision.isAdmitted()) {
			throw new IllegalArgumentException("Decision " + decision + " of limit '" + limit.name()
					+ "' admitted the call; only a refusal becomes a RateLimitExceededException");
		}
		Duration retryAfter = (decision instanceof RateLimitDecision.Rejected rejected) ? rejected.retryAfter()
				: limit.suppressionFactorCache();
		return new RateLimitExceededException(limit, decision, retryAfter);
	}

	/** The name of the limit that refused the call. */
	public String getLimitName() {
		return this.limit.name();
	}

	public RateLimit getLimit() {
		return this.limit;
	}

	public RateLimitDecision getDecision() {
		return this.decision;
	}

	/** When a retry may succeed; {@link Duration#ZERO} when waiting will not help (a cost above the capacity). */
	public Duration getRetryAfter() {
		return this.retryAfter;
	}

}
