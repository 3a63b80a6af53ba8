package io.distkit.ratelimit;

import java.time.Duration;

/**
 * The outcome of one rate-limit call: {@link Allowed}, {@link Rejected} (absolute strategy) or {@link Suppressed}
 * (suppressed strategy). {@link #isAdmitted()} tells whether the caller may proceed.
 *
 * <pre>{@code
 * switch (limiter.limit("api").inc(userId)) {
 *     case RateLimitDecision.Allowed allowed -> proceed();
 *     case RateLimitDecision.Rejected rejected -> retryIn(rejected.retryAfter());
 *     case RateLimitDecision.Suppressed suppressed -> { if (suppressed.admitted()) proceed(); else shed(); }
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public sealed interface RateLimitDecision
		permits RateLimitDecision.Allowed, RateLimitDecision.Rejected, RateLimitDecision.Suppressed {

	/** Whether the call is admitted. */
	boolean isAdmitted();

	/**
	 * Admitted. The shared {@link #ADMITTED} carries no details (the fast path allocates nothing);
	 * {@code incDetailed} returns one with {@link #remaining()} and {@link #resetAfter()}; {@link #DEGRADED} is the
	 * decision of the {@code fail-open} policy when Redis failed (no details, nothing counted).
	 */
	final class Allowed implements RateLimitDecision {

		/** Admitted, without details. */
		public static final Allowed ADMITTED = new Allowed(-1, null, false);

		/** Admitted because Redis failed and the failure policy is {@code fail-open}; nothing was counted. */
		public static final Allowed DEGRADED = new Allowed(-1, null, true);

		private final long remaining;

		private final Duration resetAfter;

		private final boolean degraded;

		private Allowed(long remaining, Duration resetAfter, boolean degraded) {
			this.remaining = remaining;
			this.resetAfter = resetAfter;
			this.degraded = degraded;
		}

		/**
		 * Admitted, with details for response headers.
		 * @param remaining units left in the window after this call, at least 0
		 * @param resetAfter time until the oldest live bucket leaves the window ({@code 0} when there is none)
		 * @return the decision
		 */
		public static Allowed of(long remaining, Duration resetAfter) {
			return new Allowed(Math.max(0, remaining), resetAfter, false);
		}

		@Override
		public boolean isAdmitted() {
			return true;
		}

		/** Whether {@link #remaining()} and {@link #resetAfter()} are known. */
		public boolean hasDetails() {
			return this.resetAfter != null;
		}

		/** Units left in the window after this call; {@code -1} when unknown. */
		public long remaining() {
			return this.remaining;
		}

		/** Time until the oldest live bucket leaves the window; {@code null} when unknown. */
		public Duration resetAfter() {
			return this.resetAfter;
		}

		/** Whether this is the {@code fail-open} decision of a Redis failure. */
		public boolean isDegraded() {
			return this.degraded;
		}

		@Override
		public String toString() {
			if (this.degraded) {
				return "Allowed[degraded]";
			}
			return hasDetails() ? "Allowed[remaining=" + this.remaining + ", resetAfter=" + this.resetAfter + "]"
					: "Allowed";
		}

	}

	/**
	 * Rejected by the absolute strategy; nothing was counted. The values are hints: other callers and instances move
	 * them.
	 *
	 * @param window the limit's window
	 * @param retryAfter time until the oldest live bucket leaves the window ({@code 0} when waiting will not help,
	 * e.g. a cost larger than the capacity)
	 * @param remainingAfterWaiting units that bucket releases
	 */
	record Rejected(Duration window, Duration retryAfter, long remainingAfterWaiting) implements RateLimitDecision {

		@Override
		public boolean isAdmitted() {
			return false;
		}

	}

	/**
	 * Decided by the suppressed strategy between its soft and hard capacity (or beyond the hard one).
	 *
	 * @param factor the suppression factor in [0, 1]: the probability of refusing a call
	 * @param admitted whether this call was admitted
	 */
	record Suppressed(double factor, boolean admitted) implements RateLimitDecision {

		/** Factor 0: admitted. */
		public static final Suppressed NONE = new Suppressed(0.0, true);

		/** Factor 1: refused. */
		public static final Suppressed FULL = new Suppressed(1.0, false);

		/** The shared constant for factor 0 or 1, else a new decision. */
		public static Suppressed of(double factor, boolean admitted) {
			if (factor == 0.0 && admitted) {
				return NONE;
			}
			if (factor == 1.0 && !admitted) {
				return FULL;
			}
			return new Suppressed(factor, admitted);
		}

		@Override
		public boolean isAdmitted() {
			return this.admitted;
		}

	}

}
