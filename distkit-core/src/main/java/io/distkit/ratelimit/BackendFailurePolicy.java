package io.distkit.ratelimit;

/**
 * What a {@link RateLimiter} decides when a decision needed Redis and Redis failed.
 *
 * @since 0.1.0
 */
public enum BackendFailurePolicy {

	/** Admit with {@link RateLimitDecision.Allowed#DEGRADED}; nothing is counted. */
	FAIL_OPEN,

	/** Throw {@link RateLimitBackendUnavailableException}. */
	FAIL_CLOSED,

	/** Decide with a local provider holding the same limit for the duration of the outage. */
	LOCAL_FALLBACK

}
