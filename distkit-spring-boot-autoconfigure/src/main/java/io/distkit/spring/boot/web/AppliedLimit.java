package io.distkit.spring.boot.web;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimitDecision;

/**
 * One rate limit applied to a web request and what it decided, as the response's header fields describe it
 * (draft-ietf-httpapi-ratelimit-headers-10): the policy, {@code q} = {@link #quota()} units per {@code w} =
 * {@link #windowSeconds()}, and, when known, {@code r} = {@link #remaining()} units left and {@code t} =
 * {@link #resetSeconds()} seconds until more become available.
 *
 * @param limit the limit
 * @param cost the units the request asked for; {@code -1} when unknown
 * @param decision the limit's decision
 * @param remaining units left in the window after the decision (a suppressed limit: below its soft capacity);
 * {@code -1} when unknown
 * @param reset time until units become available again: the oldest live bucket's expiry, a rejection's retry time,
 * or a suppressed limit's factor-cache period; {@code null} when unknown
 * @since 0.1.0
 */
public record AppliedLimit(RateLimit limit, long cost, RateLimitDecision decision, long remaining,
		@Nullable Duration reset) {

	/** The limit's name. */
	public String name() {
		return this.limit.name();
	}

	/** The policy's quota {@code q}: the capacity, for a suppressed limit the soft capacity. */
	public long quota() {
		return this.limit.capacity();
	}

	/** The policy's window {@code w} in whole seconds, rounded up. */
	public long windowSeconds() {
		return seconds(this.limit.window());
	}

	/** Whether the limit admitted the request. */
	public boolean isAdmitted() {
		return this.decision.isAdmitted();
	}

	/** Whether {@link #remaining()} and {@link #reset()} are known, so the {@code RateLimit} field can list it. */
	public boolean hasDetails() {
		return this.remaining >= 0 && this.reset != null;
	}

	/**
	 * Whether the limit refused a cost larger than its (hard) capacity: waiting will not help, so the response has no
	 * {@code Retry-After}. When the cost is unknown, a rejection whose retry time is zero.
	 */
	public boolean costExceedsCapacity() {
		if (isAdmitted()) {
			return false;
		}
		if (this.cost >= 0) {
			return this.cost > this.limit.hardCapacity();
		}
		return this.decision instanceof RateLimitDecision.Rejected rejected && rejected.retryAfter().isZero();
	}

	/**
	 * {@code t}: the seconds until units become available again, rounded up; for a refusal that waiting can cure at
	 * least 1, so a client is never told to retry at once. {@code -1} when unknown.
	 */
	public long resetSeconds() {
		if (this.reset == null) {
			return -1;
		}
		long seconds = seconds(this.reset);
		return (!isAdmitted() && !costExceedsCapacity()) ? Math.max(1, seconds) : seconds;
	}

	/** {@code duration} in whole seconds, rounded up. */
	static long seconds(Duration duration) {
		long seconds = duration.getSeconds();
		return (duration.getNano() > 0) ? seconds + 1 : seconds;
	}

}
