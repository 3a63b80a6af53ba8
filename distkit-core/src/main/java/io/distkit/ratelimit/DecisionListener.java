package io.distkit.ratelimit;

/**
 * Told of every decision a {@link RateLimiter} returns from {@code inc}, {@code incDetailed} and {@code isAllowed},
 * including {@link RateLimitDecision.Allowed#DEGRADED} answers of the fail-open policy. Called on the deciding thread:
 * keep it fast and allocation-free (metrics). Must not throw.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface DecisionListener {

	/** A listener that does nothing. */
	DecisionListener NONE = (limit, decision) -> {
	};

	/**
	 * Called after a decision.
	 * @param limit the limit that decided
	 * @param decision the decision returned to the caller
	 */
	void onDecision(RateLimit limit, RateLimitDecision decision);

}
