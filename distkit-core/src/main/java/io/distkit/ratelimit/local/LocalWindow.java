package io.distkit.ratelimit.local;

import java.math.BigInteger;
import java.time.Duration;
import java.util.random.RandomGenerator;

import io.distkit.ratelimit.ConditionalSetOutcome;
import io.distkit.ratelimit.HistoryPreservation;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.RateLimitDecision.Allowed;
import io.distkit.ratelimit.RateLimitDecision.Rejected;
import io.distkit.ratelimit.RateLimitDecision.Suppressed;
import io.distkit.ratelimit.Usage;
import io.distkit.counter.CounterComparator;
import io.distkit.internal.ratelimit.UnitLease;

/**
 * The sliding window of one key in memory: a ring of counts per bucket, buckets aligned to multiples of the bucket
 * length on the monotonic clock. The live window is the current bucket and the {@code n - 1} before it. A decision
 * and its count are one atomic step, so the window never overshoots: every method is {@code synchronized}, except the
 * fast paths of {@code inc} (an admission, an absolute rejection of a full window, a suppressed decline at the hard
 * capacity), which use the bucket's {@link Lease} with at most one compare-and-set.
 */
final class LocalWindow {

	/** The headroom of the current bucket, open to admissions without the lock; see {@link #settleLease()}. */
	private volatile Lease lease;

	/** Whether a lease of this key saw threads race for its units: later leases are striped. */
	private boolean contended;

	private RateLimit limit;

	private long bucketNanos;

	private int n;

	private long[] counts;

	private long[] declined;

	private long total;

	private long totalDeclined;

	/** The newest bucket number the ring was advanced to; the ring holds buckets (newest - n, newest]. */
	private long newest = Long.MIN_VALUE;

	private double factor;

	private long factorUntil;

	private boolean factorCached;

	LocalWindow(RateLimit limit) {
		configure(limit);
	}

	private void configure(RateLimit limit) {
		this.limit = limit;
		this.bucketNanos = limit.bucket().toNanos();
		this.n = limit.windowBuckets();
		this.counts = new long[this.n];
		this.declined = (limit.strategy() == RateLimit.Strategy.SUPPRESSED) ? new long[this.n] : null;
		this.newest = Long.MIN_VALUE;
		this.factorCached = false;
	}

	/**
	 * Applies a changed limit from now on. With the same buckets, history stays as it is; otherwise the live totals
	 * move into the current bucket, so nothing counted is forgotten (it expires one window from now).
	 */
	private void follow(RateLimit current, long now) {
		if (current == this.limit) {
			return;
		}
		if (current.sameBuckets(this.limit) && current.strategy() == this.limit.strategy()) {
			this.limit = current;
			this.factorCached = false;
			return;
		}
		advance(now);
		long keptTotal = this.total;
		long keptDeclined = this.totalDeclined;
		configure(current);
		this.total = 0;
		this.totalDeclined = 0;
		advance(now);
		int slot = slot(this.newest);
		this.counts[slot] = keptTotal;
		this.total = keptTotal;
		if (this.declined != null) {
			this.declined[slot] = keptDeclined;
			this.totalDeclined = keptDeclined;
		}
	}

	RateLimitDecision incAbsolute(RateLimit current, long count, long now, boolean detailed) {
		Lease lease = detailed ? null : leaseFor(current, now);
		if (lease != null) {
			if (lease.take(count)) {
				return Allowed.ADMITTED;
			}
			Rejected rejected = lease.refuse(count, now);
			if (rejected != null) {
				return rejected;
			}
		}
		return incAbsoluteLocked(current, count, now, detailed);
	}

	/** The open lease, if it was opened under {@code current} and {@code now} falls in its bucket. */
	private Lease leaseFor(RateLimit current, long now) {
		Lease lease = this.lease;
		return (lease != null && lease.limit == current && lease.covers(now)) ? lease : null;
	}

	private synchronized RateLimitDecision incAbsoluteLocked(RateLimit current, long count, long now,
			boolean detailed) {
		settleLease();
		follow(current, now);
		advance(now);
		RateLimitDecision decision;
		if (this.total + count > this.limit.capacity() && !this.limit.isUnlimited()) {
			decision = rejected(now, count);
		}
		else {
			this.counts[slot(this.newest)] += count;
			this.total += count;
			decision = detailed ? Allowed.of(this.limit.capacity() - this.total, resetAfter(now)) : Allowed.ADMITTED;
		}
		if (this.limit.isUnlimited()) {
			openLease(RateLimit.MAX_COUNT, false);
		}
		else if (this.total < this.limit.capacity()) {
			openLease(this.limit.capacity() - this.total, false);
		}
		else {
			// a full window stays full until the bucket ends: rejections need no lock either
			this.lease = lease(0, false, false);
		}
		return decision;
	}

	/**
	 * Opens a lease on the newest bucket for {@code units}, if positive, striped if this key's leases were contended.
	 * Admitting: absolute {@code capacity - total}; suppressed, the units still below the soft capacity (accepted
	 * usage), less the one that reaches a hard capacity equal to the soft one, which the locked path admits and caches
	 * factor 1 for. Declining: the units that can still be counted.
	 */
	private void openLease(long units, boolean declines) {
		if (units > 0) {
			this.lease = lease(units, this.contended, declines);
		}
	}

	private Lease lease(long granted, boolean striped, boolean declines) {
		return new Lease(this.limit, this.newest, this.bucketNanos, granted, oldestUsed(), this.counts, striped,
				declines);
	}

	/**
	 * Closes the open lease and counts the units taken from it in its bucket. Every locked method calls this first:
	 * the lease was opened on the newest bucket and the ring has not moved since, so the counts are exact again.
	 */
	private void settleLease() {
		Lease lease = this.lease;
		if (lease == null) {
			return;
		}
		this.lease = null;
		this.contended |= lease.contended();
		long taken = lease.closeAndCountTaken();
		if (taken > 0) {
			int slot = slot(lease.bucket);
			this.counts[slot] += taken;
			this.total += taken;
			if (lease.declines) {
				this.declined[slot] += taken;
				this.totalDeclined += taken;
			}
		}
	}

	synchronized RateLimitDecision isAllowed(RateLimit current, long now) {
		settleLease();
		follow(current, now);
		advance(now);
		if (this.limit.strategy() == RateLimit.Strategy.ABSOLUTE) {
			return (this.total + 1 <= this.limit.capacity() || this.limit.isUnlimited()) ? Allowed.ADMITTED
					: rejected(now, 1);
		}
		long forecast = this.total - this.totalDeclined + 1;
		if (forecast <= this.limit.capacity() || forecast == this.limit.hardCapacity()) {
			return Allowed.ADMITTED;
		}
		if (forecast > this.limit.hardCapacity()) {
			return Suppressed.FULL;
		}
		double sf = factor(now);
		return Suppressed.of(sf, sf < 1.0);
	}

	RateLimitDecision incSuppressed(RateLimit current, long count, long now, RandomGenerator random,
			boolean detailed) {
		Lease lease = detailed ? null : leaseFor(current, now);
		if (lease != null && (count > 0 || !lease.declines) && lease.take(count)) {
			// below the soft capacity: admitted without a draw; at the hard capacity: declined; as the locked path does
			return lease.declines ? Suppressed.FULL : Allowed.ADMITTED;
		}
		return incSuppressedLocked(current, count, now, random, detailed);
	}

	private synchronized RateLimitDecision incSuppressedLocked(RateLimit current, long count, long now,
			RandomGenerator random, boolean detailed) {
		settleLease();
		follow(current, now);
		advance(now);
		long soft = this.limit.capacity();
		long hard = this.limit.hardCapacity();
		long forecast = this.total - this.totalDeclined + count;
		RateLimitDecision decision;
		boolean admitted;
		if (forecast <= soft || forecast == hard) {
			admitted = true;
			if (forecast == hard) {
				cacheFactor(1.0, now);
			}
			decision = detailed ? null : Allowed.ADMITTED; // detailed: made below, once the units are counted
		}
		else if (forecast > hard) {
			cacheFactor(1.0, now);
			admitted = false;
			decision = Suppressed.FULL;
		}
		else {
			double sf = factor(now);
			admitted = (sf == 0.0) || (sf < 1.0 && random.nextDouble() < 1.0 - sf);
			decision = Suppressed.of(sf, admitted);
		}
		int slot = slot(this.newest);
		this.counts[slot] += count;
		this.total += count;
		if (!admitted) {
			this.declined[slot] += count;
			this.totalDeclined += count;
		}
		long accepted = this.total - this.totalDeclined;
		if (accepted >= hard && !this.limit.isUnlimited()) {
			// accepted units leave the window only when a bucket ends: until then every unit offered is declined
			openLease(RateLimit.MAX_COUNT - this.total, true);
		}
		else {
			openLease(soft - accepted - ((soft == hard) ? 1 : 0), false);
		}
		return (decision != null) ? decision : Allowed.of(soft - forecast, resetAfter(now));
	}

	synchronized Usage usage(RateLimit current, long now) {
		settleLease();
		follow(current, now);
		advance(now);
		if (this.limit.strategy() == RateLimit.Strategy.ABSOLUTE) {
			return new Usage(this.total, 0, 0.0);
		}
		return new Usage(this.total, Math.min(this.totalDeclined, this.total), factor(now));
	}

	synchronized double suppressionFactor(RateLimit current, long now) {
		settleLease();
		follow(current, now);
		advance(now);
		return factor(now);
	}

	synchronized void refund(long count, long now) {
		settleLease();
		advance(now);
		long left = Math.min(count, this.total - this.totalDeclined);
		for (long bucket = this.newest; left > 0 && bucket > this.newest - this.n; bucket--) {
			int slot = slot(bucket);
			long accepted = this.counts[slot] - ((this.declined != null) ? this.declined[slot] : 0);
			long taken = Math.min(left, accepted);
			this.counts[slot] -= taken;
			this.total -= taken;
			left -= taken;
		}
		this.factorCached = false;
	}

	/** The live total as a comparator sees it, without changing anything. */
	synchronized long liveTotal(long now) {
		settleLease();
		long current = Math.floorDiv(now, this.bucketNanos);
		if (this.newest == Long.MIN_VALUE || current - this.newest >= this.n) {
			return 0;
		}
		long sum = 0;
		for (long bucket = current - this.n + 1; bucket <= this.newest; bucket++) {
			sum += this.counts[slot(bucket)];
		}
		return sum;
	}

	/**
	 * The conditional set on an existing window. The caller handles a missing key and a zero target (which removes
	 * the window).
	 */
	synchronized ConditionalSetOutcome setIf(RateLimit current, CounterComparator comparator, long count,
			HistoryPreservation preservation, long now) {
		long previous = liveTotal(now); // settles the lease
		if (!comparator.matches(previous)) {
			return new ConditionalSetOutcome(false, previous, previous);
		}
		follow(current, now);
		advance(now);
		if (preservation == null) {
			java.util.Arrays.fill(this.counts, 0);
			if (this.declined != null) {
				java.util.Arrays.fill(this.declined, 0);
			}
			this.counts[slot(this.newest)] = count;
			this.total = count;
			this.totalDeclined = 0;
		}
		else {
			reshape(count, preservation);
		}
		this.factorCached = false;
		return new ConditionalSetOutcome(true, previous, count);
	}

	/** Adds or removes units to reach {@code target}, keeping the newest or the oldest history. */
	private void reshape(long target, HistoryPreservation preservation) {
		boolean keepNewest = preservation == HistoryPreservation.PRESERVE_NEWEST;
		long oldestBucket = this.newest - this.n + 1;
		long delta = target - this.total;
		if (delta > 0) {
			long bucket = keepNewest ? newestUsed() : oldestUsed();
			if (bucket == Long.MIN_VALUE) {
				bucket = this.newest;
			}
			this.counts[slot(bucket)] += delta;
		}
		else if (delta < 0) {
			long toRemove = -delta;
			long step = keepNewest ? 1 : -1;
			for (long bucket = keepNewest ? oldestBucket : this.newest; toRemove > 0
					&& bucket >= oldestBucket && bucket <= this.newest; bucket += step) {
				int slot = slot(bucket);
				long count = this.counts[slot];
				if (count == 0) {
					continue;
				}
				if (count <= toRemove) {
					toRemove -= count;
					this.counts[slot] = 0;
					if (this.declined != null) {
						this.declined[slot] = 0;
					}
				}
				else {
					long kept = count - toRemove;
					if (this.declined != null) {
						this.declined[slot] = BigInteger.valueOf(this.declined[slot])
							.multiply(BigInteger.valueOf(kept))
							.divide(BigInteger.valueOf(count))
							.longValueExact();
					}
					this.counts[slot] = kept;
					toRemove = 0;
				}
			}
		}
		this.total = target;
		this.totalDeclined = 0;
		if (this.declined != null) {
			for (long value : this.declined) {
				this.totalDeclined += value;
			}
		}
	}

	private long newestUsed() {
		int slot = slot(this.newest);
		for (long bucket = this.newest; bucket > this.newest - this.n; bucket--) {
			if (this.counts[slot] > 0) {
				return bucket;
			}
			slot = (slot == 0) ? this.n - 1 : slot - 1;
		}
		return Long.MIN_VALUE;
	}

	// Walks the ring by slot index rather than calling slot() per bucket: a rejection runs this scan, and a long
	// division per bucket made rejecting several times slower than admitting.
	private long oldestUsed() {
		long oldest = this.newest - this.n + 1;
		int slot = slot(oldest);
		for (long bucket = oldest; bucket <= this.newest; bucket++) {
			if (this.counts[slot] > 0) {
				return bucket;
			}
			slot = (slot == this.n - 1) ? 0 : slot + 1;
		}
		return Long.MIN_VALUE;
	}

	/** Moves the ring to the bucket of {@code now}, clearing buckets that left the window. */
	private void advance(long now) {
		long current = Math.floorDiv(now, this.bucketNanos);
		if (current <= this.newest) {
			return;
		}
		boolean evicted = false;
		if (this.newest == Long.MIN_VALUE || current - this.newest >= this.n) {
			evicted = this.total != 0;
			java.util.Arrays.fill(this.counts, 0);
			if (this.declined != null) {
				java.util.Arrays.fill(this.declined, 0);
			}
			this.total = 0;
			this.totalDeclined = 0;
		}
		else {
			for (long bucket = this.newest + 1; bucket <= current; bucket++) {
				int slot = slot(bucket);
				if (this.counts[slot] != 0) {
					evicted = true;
					this.total -= this.counts[slot];
					this.counts[slot] = 0;
					if (this.declined != null) {
						this.totalDeclined -= this.declined[slot];
						this.declined[slot] = 0;
					}
				}
			}
		}
		this.newest = current;
		if (evicted) {
			this.factorCached = false;
		}
	}

	private int slot(long bucket) {
		return (int) Math.floorMod(bucket, (long) this.n);
	}

	private Rejected rejected(long now, long count) {
		long oldest = oldestUsed();
		if (oldest == Long.MIN_VALUE || count > this.limit.capacity()) {
			return new Rejected(this.limit.window(), Duration.ZERO, 0);
		}
		return new Rejected(this.limit.window(), expiry(oldest, now), this.counts[slot(oldest)]);
	}

	private Duration resetAfter(long now) {
		long oldest = oldestUsed();
		return (oldest == Long.MIN_VALUE) ? Duration.ZERO : expiry(oldest, now);
	}

	/** Time until {@code bucket} leaves the window, within [0, window]. */
	private Duration expiry(long bucket, long now) {
		long nanos = (bucket + this.n) * this.bucketNanos - now;
		return Duration.ofNanos(Math.max(0, Math.min(nanos, this.limit.window().toNanos())));
	}

	private void cacheFactor(double value, long now) {
		this.factor = value;
		this.factorUntil = now + this.limit.suppressionFactorCache().toNanos();
		this.factorCached = true;
	}

	private double factor(long now) {
		if (this.factorCached && now < this.factorUntil) {
			return this.factor;
		}
		double computed = computeFactor(now);
		cacheFactor(computed, now);
		return computed;
	}

	/**
	 * The suppression factor from the live window: 1 once accepted usage reaches the hard capacity, 0 below the soft
	 * capacity, else {@code 1 - target rate / perceived rate}, where the perceived rate is the larger of the
	 * window's average and the last second's offered units.
	 */
	private double computeFactor(long now) {
		if (this.total == 0) {
			return 0.0;
		}
		long soft = this.limit.capacity();
		long hard = this.limit.hardCapacity();
		long accepted = this.total - this.totalDeclined;
		if (accepted >= hard) {
			return 1.0;
		}
		if (accepted < soft) {
			return 0.0;
		}
		if (accepted == soft && soft == hard) {
			return 1.0;
		}
		long lastSecond = 0;
		long firstRecent = Math.floorDiv(now - 1_000_000_000L, this.bucketNanos) + 1;
		for (long bucket = Math.max(firstRecent, this.newest - this.n + 1); bucket <= this.newest; bucket++) {
			lastSecond += this.counts[slot(bucket)];
		}
		double windowSeconds = this.limit.window().toNanos() / 1e9;
		double perceived = Math.max(this.total / windowSeconds, lastSecond);
		double target = soft / windowSeconds;
		double value = 1.0 - target / perceived;
		return (value < 0 || Double.isNaN(value)) ? 0.0 : Math.min(1.0, value);
	}

	/** Whether the open lease is striped (for tests). */
	boolean leaseStriped() {
		Lease lease = this.lease;
		return lease != null && lease.striped();
	}

	/** Whether the window holds nothing live at {@code now}. */
	synchronized boolean isEmpty(long now) {
		return liveTotal(now) == 0;
	}

	/**
	 * Units of one bucket that callers take without the window's lock. Opened by a locked {@code inc} with the
	 * headroom left (absolute: {@code capacity - total}; suppressed: up to the soft capacity): no unit leaves the
	 * window before the bucket ends, so taking up to that many units is exactly what the locked path would admit.
	 * Units taken belong to the lease's bucket until {@link LocalWindow#settleLease()} moves them into the counts. For
	 * the absolute strategy, a call the remaining units cannot cover is refused from the lease too: the oldest live
	 * bucket, which says when to retry, cannot change before the bucket ends. For the suppressed strategy at its hard
	 * capacity, a <em>declining</em> lease counts the units offered until the bucket ends, each call declined
	 * ({@code Suppressed.FULL}) as the locked path would: accepted units cannot leave the window before then.
	 */
	private static final class Lease extends UnitLease {

		final RateLimit limit;

		/** Whether the units taken are declined (suppressed, at the hard capacity) rather than admitted. */
		final boolean declines;

		final long bucket;

		/** The bucket's time span on the clock, {@code [from, until)}: a comparison, not a division, on the fast path. */
		private final long from;

		private final long until;

		/** The oldest bucket holding units once any unit is taken, and its count without the units taken. */
		private final long oldest;

		private final long oldestCount;

		/** When the oldest bucket leaves the window, on the clock. */
		private final long oldestExpiresAt;

		Lease(RateLimit limit, long bucket, long bucketNanos, long granted, long oldestUsed, long[] counts,
				boolean striped, boolean declines) {
			super(granted, striped);
			this.limit = limit;
			this.declines = declines;
			this.bucket = bucket;
			this.from = bucket * bucketNanos;
			this.until = this.from + bucketNanos;
			int n = counts.length;
			this.oldest = (oldestUsed != Long.MIN_VALUE) ? oldestUsed : bucket;
			this.oldestCount = (oldestUsed != Long.MIN_VALUE) ? counts[(int) Math.floorMod(oldestUsed, (long) n)] : 0;
			this.oldestExpiresAt = (this.oldest + n) * bucketNanos;
		}

		boolean covers(long now) {
			return now >= this.from && now < this.until;
		}

		/**
		 * The rejection of {@code count} units when the units left cannot cover them (absolute strategy), as the
		 * locked path would decide it; {@code null} when only the locked path can decide (closed lease, a lost race,
		 * a count over the capacity).
		 */
		Rejected refuse(long count, long now) {
			long left = remaining();
			if (left < 0 || left >= count || count > this.limit.capacity()) {
				return null;
			}
			long units = (this.oldest == this.bucket) ? this.oldestCount + (granted() - left) : this.oldestCount;
			if (units == 0) {
				return null;
			}
			long nanos = Math.max(0, Math.min(this.oldestExpiresAt - now, this.limit.window().toNanos()));
			return new Rejected(this.limit.window(), Duration.ofNanos(nanos), units);
		}

	}

}
