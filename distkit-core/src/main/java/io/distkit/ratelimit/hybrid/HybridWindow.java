package io.distkit.ratelimit.hybrid;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;

import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.RateLimitDecision.Allowed;
import io.distkit.ratelimit.RateLimitDecision.Rejected;
import io.distkit.ratelimit.RateLimitDecision.Suppressed;
import io.distkit.ratelimit.Usage;
import io.distkit.internal.ratelimit.UnitLease;

/**
 * The hybrid state of one key: what Redis said at the last synchronisation ({@code base}), units admitted here
 * since ({@code pending}), and units sent to Redis but not yet confirmed ({@code inFlight}). Local decisions run
 * under the object's monitor, except the fast path of an admitted absolute {@code inc}, which takes units from a
 * {@link Lease} with one compare-and-set; every Redis exchange of the key runs under {@link #syncLock}.
 */
final class HybridWindow {

	final List<String> redisKeys;

	final ReentrantLock syncLock = new ReentrantLock();

	RateLimit limit;

	// guarded by this
	boolean synced;

	long syncedAt;

	long base;

	long baseDeclined;

	long pending;

	long pendingDeclined;

	long pendingSince;

	long inFlight;

	long inFlightDeclined;

	long inFlightSince;

	long inFlightSequence;

	long resetAt;

	long oldestCount;

	double factor;

	long factorUntil;

	/** Headroom open to admissions without the monitor; see {@link #settleLease()}. */
	private volatile Lease lease;

	/** Whether a lease of this key saw threads race for its units: later leases are striped. */
	private boolean contended;

	private volatile boolean queued;

	private static final VarHandle QUEUED;

	static {
		try {
			QUEUED = MethodHandles.lookup().findVarHandle(HybridWindow.class, "queued", boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	HybridWindow(RateLimit limit, List<String> redisKeys) {
		this.limit = limit;
		this.redisKeys = redisKeys;
	}

	/**
	 * Admits {@code count} units from the open lease, without the monitor: the fast path of an absolute {@code inc}
	 * that is admitted and needs no details.
	 * @return whether the units were admitted; {@code false} when only {@link #decide} can tell
	 */
	boolean admitFromLease(RateLimit current, long count, long now) {
		Lease lease = this.lease;
		return lease != null && lease.limit == current && now < lease.validUntil && lease.take(count, now);
	}

	/**
	 * Decides locally if the state allows it.
	 * @param record whether to count the units (else a check)
	 * @param staleAfter how long a synchronisation stays usable for decisions that do not fit
	 * @return the decision, or {@code null} when Redis is needed
	 */
	synchronized RateLimitDecision decide(RateLimit current, long count, boolean record, boolean detailed, long now,
			long staleAfter, boolean justSynced, RandomGenerator random) {
		settleLease();
		follow(current);
		if (!this.synced || (!justSynced && now - this.syncedAt >= staleAfter)) {
			return null;
		}
		if (current.strategy() != RateLimit.Strategy.ABSOLUTE) {
			return suppressed(count, record, detailed, now, justSynced, random);
		}
		RateLimitDecision decision = absolute(count, record, detailed, now);
		long headroom = this.limit.isUnlimited() ? RateLimit.MAX_COUNT
				: this.limit.capacity() - (this.base + this.inFlight + this.pending);
		if (headroom > 0) {
			this.lease = new Lease(this.limit, headroom, now, this.syncedAt + staleAfter, this.contended);
		}
		return decision;
	}

	/**
	 * Adopts the limit of the current call (the configured limit applies from the next call on); a different limit
	 * drops the cached suppression factor, which was computed for the old capacities.
	 */
	synchronized void follow(RateLimit current) {
		if (current != this.limit) {
			if (!current.equals(this.limit)) {
				this.factorUntil = Long.MIN_VALUE;
			}
			this.limit = current;
		}
	}

	private RateLimitDecision absolute(long count, boolean record, boolean detailed, long now) {
		long used = this.base + this.inFlight + this.pending;
		if (used + count <= this.limit.capacity() || this.limit.isUnlimited()) {
			if (record) {
				add(count, 0, now);
			}
			return detailed ? Allowed.of(this.limit.capacity() - used - count, resetAfter(now)) : Allowed.ADMITTED;
		}
		if (count > this.limit.capacity()) {
			return new Rejected(this.limit.window(), Duration.ZERO, 0);
		}
		return new Rejected(this.limit.window(), resetAfter(now), releasedAtReset(now));
	}

	private RateLimitDecision suppressed(long count, boolean record, boolean detailed, long now, boolean justSynced,
			RandomGenerator random) {
		long soft = this.limit.capacity();
		long hard = this.limit.hardCapacity();
		long accepted = this.base - this.baseDeclined + this.inFlight - this.inFlightDeclined + this.pending
				- this.pendingDeclined;
		long forecast = accepted + count;
		if (forecast <= soft || forecast == hard) {
			if (record) {
				add(count, 0, now);
				if (forecast == hard) {
					cacheFactor(1.0, now);
				}
			}
			return detailed ? Allowed.of(soft - forecast, resetAfter(now)) : Allowed.ADMITTED;
		}
		if (forecast > hard) {
			if (record) {
				add(count, count, now);
				cacheFactor(1.0, now);
			}
			return Suppressed.FULL;
		}
		if (now >= this.factorUntil && !justSynced) {
			return null;
		}
		double sf = this.factor;
		if (!record) {
			return Suppressed.of(sf, sf < 1.0);
		}
		boolean admitted = (sf == 0.0) || (sf < 1.0 && random.nextDouble() < 1.0 - sf);
		add(count, admitted ? 0 : count, now);
		return Suppressed.of(sf, admitted);
	}

	/**
	 * Closes the open lease and counts the units taken from it as pending. Every locked method that reads or changes
	 * the counts calls this first; the lease's headroom was computed from them, so they are exact again.
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
			add(taken, 0, lease.firstTakenAt());
		}
	}

	private void add(long count, long declined, long now) {
		if (this.pending == 0 && this.pendingDeclined == 0) {
			this.pendingSince = now;
		}
		this.pending += count;
		this.pendingDeclined += declined;
	}

	private void cacheFactor(double value, long now) {
		this.factor = value;
		this.factorUntil = now + this.limit.suppressionFactorCache().toNanos();
	}

	/**
	 * Time until the oldest counted unit leaves the window: Redis' oldest bucket as of the last synchronisation, or
	 * the oldest unit admitted here since, whichever comes first.
	 */
	private Duration resetAfter(long now) {
		long at = resetAt(now);
		return Duration.ofNanos(Math.max(0, Math.min(at - now, this.limit.window().toNanos())));
	}

	private long resetAt(long now) {
		long window = this.limit.window().toNanos();
		long at = Long.MAX_VALUE;
		if (this.base > 0 && this.resetAt > now) {
			at = this.resetAt;
		}
		if (this.inFlight > 0) {
			at = Math.min(at, this.inFlightSince + window);
		}
		if (this.pending > 0) {
			at = Math.min(at, this.pendingSince + window);
		}
		return (at == Long.MAX_VALUE) ? now : at;
	}

	/** Units released at {@link #resetAt}: Redis' oldest bucket, else the oldest local amount. */
	private long releasedAtReset(long now) {
		long at = resetAt(now);
		if (this.base > 0 && this.resetAt == at) {
			return this.oldestCount;
		}
		if (this.inFlight > 0 && this.inFlightSince + this.limit.window().toNanos() == at) {
			return this.inFlight;
		}
		return this.pending;
	}

	/** Whether units wait to be committed (pending or unconfirmed). */
	synchronized boolean hasUncommitted() {
		settleLease();
		return this.pending != 0 || this.pendingDeclined != 0 || this.inFlight != 0 || this.inFlightDeclined != 0;
	}

	/**
	 * Hands the pending units to a commit, unless a commit is already unconfirmed (which is then sent again as it
	 * is). Under {@link #syncLock}.
	 */
	synchronized void prepareCommit(long sequence) {
		settleLease();
		if (this.inFlight == 0 && this.inFlightDeclined == 0 && (this.pending != 0 || this.pendingDeclined != 0)) {
			this.inFlight = this.pending;
			this.inFlightDeclined = this.pendingDeclined;
			this.inFlightSince = this.pendingSince;
			this.inFlightSequence = sequence;
			this.pending = 0;
			this.pendingDeclined = 0;
		}
	}

	/** Applies Redis' state after a commit (or a read) that included the in-flight units. Under {@link #syncLock}. */
	synchronized void synced(long total, long declined, long resetMillis, long oldest, double sf, long sfValidMillis,
			long now) {
		settleLease();
		this.base = total;
		this.baseDeclined = declined;
		this.inFlight = 0;
		this.inFlightDeclined = 0;
		this.resetAt = now + resetMillis * 1_000_000L;
		this.oldestCount = oldest;
		this.factor = sf;
		this.factorUntil = now + Math.max(1, sfValidMillis) * 1_000_000L;
		this.syncedAt = now;
		this.synced = true;
	}

	/** Forgets the Redis view (after a conditional set); pending units stay and are committed on top. */
	synchronized void invalidate() {
		settleLease();
		this.synced = false;
	}

	synchronized Usage usage() {
		settleLease();
		long total = this.base + this.inFlight + this.pending;
		long declined = Math.min(total, this.baseDeclined + this.inFlightDeclined + this.pendingDeclined);
		return new Usage(total, declined, (this.limit.strategy() == RateLimit.Strategy.SUPPRESSED) ? this.factor : 0.0);
	}

	/** Takes back units just added by a decision that then failed. */
	synchronized void undo(long count, boolean declined) {
		settleLease();
		this.pending -= count;
		if (declined) {
			this.pendingDeclined -= count;
		}
	}

	/** Takes back up to {@code count} pending units; returns how many could not be taken locally. */
	synchronized long refundPending(long count) {
		settleLease();
		long accepted = this.pending - this.pendingDeclined;
		long taken = Math.min(count, Math.max(0, accepted));
		this.pending -= taken;
		return count - taken;
	}

	/** Marks the window queued for commit; returns {@code true} if it was not (the caller then queues it). */
	boolean markQueued() {
		return !this.queued && QUEUED.compareAndSet(this, false, true);
	}

	/** Unmarks the window before its pending units are taken, so units added later queue it again. */
	void unqueue() {
		this.queued = false;
	}

	synchronized boolean isValid(long now, long staleAfter) {
		return this.synced && now - this.syncedAt < staleAfter;
	}

	synchronized double validFactor(long now) {
		return (this.synced && now < this.factorUntil) ? this.factor : -1;
	}

	/**
	 * Units an absolute limit can still admit on this instance's view ({@code capacity - base - inFlight - pending}
	 * when opened), taken by callers without the monitor until the view goes stale. Taking up to that many units is
	 * exactly what the locked path would admit: only a locked method changes the counts, and it settles the lease
	 * first. Rejections always take the locked path.
	 */
	private static final class Lease extends UnitLease {

		final RateLimit limit;

		private final long openedAt;

		/** When the view the headroom was computed from goes stale, on the clock. */
		final long validUntil;

		/** When the first unit was taken (for the age of the pending units), {@code 0} before. */
		private volatile long firstTakenAt;

		Lease(RateLimit limit, long granted, long openedAt, long validUntil, boolean striped) {
			super(granted, striped);
			this.limit = limit;
			this.openedAt = openedAt;
			this.validUntil = validUntil;
		}

		boolean take(long count, long now) {
			if (!take(count)) {
				return false;
			}
			if (this.firstTakenAt == 0) {
				this.firstTakenAt = now; // racing first takers each write a time of their take
			}
			return true;
		}

		/** When a first unit was taken; the opening time if no taker has recorded it yet. */
		long firstTakenAt() {
			long at = this.firstTakenAt;
			return (at != 0) ? at : this.openedAt;
		}

	}

}
