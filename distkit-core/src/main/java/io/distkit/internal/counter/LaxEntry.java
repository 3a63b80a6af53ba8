package io.distkit.internal.counter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.jspecify.annotations.Nullable;

import io.distkit.CounterOverflowException;
import io.distkit.RedisKey;
import io.distkit.counter.CounterComparator;
import io.distkit.counter.CounterUpdate;

/**
 * The local state of one lax key. The local estimate is {@code view} plus what the stripes hold, and those are the only
 * fields callers change: {@code estimate = remote + inFlight + pending}, so the buffered (pending) amount is
 * {@code estimate - remote - inFlight}. {@code remote}, {@code inFlight} and {@code loaded} change only under the
 * engine's flush lock, by additive updates of {@code view}, so they commute with concurrent increments.
 *
 * <p>Stripes: uncontended, {@link #inc} and {@link #addQuietly} add to {@code view} with one compare-and-set. When
 * the entry keeps meeting contention ({@link #STRIPE_AFTER_COLLISIONS} failed compare-and-sets within one flush tick)
 * it gets a few stripes (one per thread-id slot, each on cache lines of its own) and each thread adds to its own, so
 * threads that count one hot key stop queueing for one cache line. Stripes are never reset: every full read (a
 * {@link #view}, a conditional, an exact add) adds them up, and an amount in a stripe is pending like any other. Each
 * stripe stays within {@link #STRIPE_LIMIT} and stripes are only used while {@code view} has
 * {@link #STRIPE_HEADROOM} to spare, so the estimate stays in range without reading every stripe on each add. Only
 * counters without slices use stripes.
 *
 * <p>A striped {@link #inc} does not read the other threads' stripes (that read would cost more than the contended
 * add it replaces): it returns {@code view} plus the other stripes as the last full read saw them plus the calling
 * thread's stripe now. So it includes all of the calling thread's increments and every other increment made before
 * that read, and a thread's successive estimates never go back while all deltas are positive. The flush reads every
 * tick, and every {@link #READ_STRIPES_EVERY}th call to a stripe reads too, so an estimate leaves out at most about
 * that many calls of each other stripe even while flushes fail (threads that share a stripe may miss a count of its
 * calls now and then).
 */
public final class LaxEntry {

	private static final VarHandle VIEW;

	private static final VarHandle SLICE_VIEW;

	private static final VarHandle DIRTY;

	private static final VarHandle STRIPES;

	private static final VarHandle STRIPES_SEEN;

	private static final VarHandle STRIPE = MethodHandles.arrayElementVarHandle(long[].class);

	/**
	 * Array slots from one stripe to the next: 128 bytes, so no two stripes share a cache line or its prefetch pair.
	 * A stripe's amount is at its first slot, the calls it took at the next.
	 */
	private static final int STRIPE_SPACING = 16;

	/**
	 * Stripes of a contended entry: a power of two of at least four per processor (threads pick theirs by id, so
	 * spare stripes make it unlikely that two running threads share one), at most 32.
	 */
	static final int STRIPE_COUNT = Math.min(32,
			Integer.highestOneBit(Math.max(2, Runtime.getRuntime().availableProcessors()) * 4 - 1) << 1);

	/**
	 * Failed compare-and-sets of {@link #inc} and {@link #addQuietly} within one flush tick after which the entry gets
	 * stripes: a key that threads only meet on now and then keeps its single value (stripes would cost it a cache miss
	 * per add).
	 */
	static final int STRIPE_AFTER_COLLISIONS = 16;

	/** Largest magnitude one stripe may hold; an add beyond it goes to {@code view}. */
	static final long STRIPE_LIMIT = 1L << 40;

	/** Largest magnitude all stripes together can hold. */
	static final long STRIPE_HEADROOM = STRIPE_COUNT * STRIPE_LIMIT;

	/**
	 * Calls to one stripe after which the call reads every stripe, so what a striped {@link #inc} leaves out of the
	 * other stripes stays within about this many calls each, whether or not the flush runs. A power of two.
	 */
	static final int READ_STRIPES_EVERY = 1024;

	/** {@link #addToStripe}'s answer when the amount went nowhere (no stripe value can be this large). */
	private static final long NOT_ADDED = Long.MIN_VALUE;

	/** What a full read of fresh (all-zero) stripes sees. */
	private static final long[] ZERO_STRIPES_SEEN = new long[STRIPE_COUNT + 1];

	/** Largest magnitude of {@code view} at which stripes cannot carry the estimate out of range. */
	private static final long STRIPED_VIEW_LIMIT = CounterOverflowException.MAX_VALUE - STRIPE_HEADROOM;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			VIEW = lookup.findVarHandle(LaxEntry.class, "view", long.class);
			SLICE_VIEW = lookup.findVarHandle(LaxEntry.class, "sliceView", long.class);
			DIRTY = lookup.findVarHandle(LaxEntry.class, "dirty", boolean.class);
			STRIPES = lookup.findVarHandle(LaxEntry.class, "stripes", long[].class);
			STRIPES_SEEN = lookup.findVarHandle(LaxEntry.class, "stripesSeen", long[].class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	final RedisKey key;

	private final boolean tracksSlice;

	private volatile long view;

	private volatile long sliceView;

	private volatile boolean dirty;

	/** Null until adds meet contention; then stripe {@code i} is at {@code (i + 1) * STRIPE_SPACING}. */
	private volatile long @Nullable [] stripes;

	/**
	 * The stripes as the last full read saw them, for a striped {@link #inc}: their sum at 0, stripe {@code i} at
	 * {@code i + 1}. Never changed once published; each read publishes a newer one.
	 */
	private volatile long[] stripesSeen = ZERO_STRIPES_SEEN;

	/** Failed compare-and-sets of adds since the last flush took this entry (racy: an estimate is enough). */
	int collisions;

	/** Set by eviction before it removes a clean entry; an increment that sees it retries on a new entry. */
	volatile boolean retired;

	/**
	 * The engine tick of the last read, or of the last flush that found increments here (so increments never write
	 * it), for idle eviction.
	 */
	volatile int touchedTick;

	/** Whether {@code remote} came from Redis (a load or a confirmed flush). */
	volatile boolean loaded;

	/** Clock time of the last load or confirmed flush. */
	volatile long loadedAt;

	// guarded by the engine's flush lock
	long remote;

	long remoteSlice;

	long inFlight;

	LaxEntry(RedisKey key, boolean tracksSlice) {
		this.key = key;
		this.tracksSlice = tracksSlice;
	}

	public RedisKey key() {
		return this.key;
	}

	/** The local estimate of the key's value (instance-aware: of its cumulative), with every stripe read. */
	public long view() {
		long[] striped = this.stripes;
		return (striped != null) ? this.view + readStripes(striped) : this.view;
	}

	/** Instance-aware only: the local estimate of this instance's slice. */
	public long slice() {
		return this.sliceView;
	}

	/** Whether eviction removed this entry; an operation that used it starts again on a new entry. */
	public boolean isRetired() {
		return this.retired;
	}

	/** Amount buffered and not yet handed to a flush. Under the flush lock only. */
	long pending() {
		return view() - this.remote - this.inFlight;
	}

	/**
	 * Adds {@code delta} to the estimate if the result stays in range. Uncontended, one compare-and-set on
	 * {@code view}; striped, one atomic add to the calling thread's stripe (see the class description for what the
	 * returned estimate then includes).
	 * @return the new estimate
	 * @throws CounterOverflowException if the estimate would leave the range
	 */
	public long inc(long delta) {
		long[] striped = this.stripes;
		if (striped == null) {
			return addUncontended(delta);
		}
		int stripe = stripeOfThisThread();
		long own = addToStripe(striped, stripe, delta);
		if (own == NOT_ADDED) {
			return incExactly(delta);
		}
		long[] seen = this.stripesSeen;
		return this.view + seen[0] - seen[stripe + 1] + own;
	}

	/**
	 * Adds {@code delta} to the estimate if the result stays in range, without computing it: as {@link #inc}.
	 * @throws CounterOverflowException if the estimate would leave the range
	 */
	public void addQuietly(long delta) {
		long[] striped = this.stripes;
		if (striped == null) {
			addUncontended(delta);
		}
		else if (addToStripe(striped, stripeOfThisThread(), delta) == NOT_ADDED) {
			incExactly(delta);
		}
	}

	/**
	 * Adds {@code delta} to {@code view} if the estimate stays in range, with one atomic add, which unlike a
	 * compare-and-set never retries: the path of large amounts and of estimates near the bound. An add that would
	 * leave the range is taken back and refused; near the edge of the range a concurrent add may therefore be refused
	 * too while the other is taken back.
	 * @return the new estimate, every stripe read
	 * @throws CounterOverflowException if it would leave the range
	 */
	long incExactly(long delta) {
		long next = (long) VIEW.getAndAdd(this, delta) + delta;
		long[] striped = this.stripes;
		if (striped == null) {
			if (inRange(next)) {
				return next;
			}
		}
		else {
			long estimate = next + readStripes(striped);
			if (Math.abs(next) <= STRIPED_VIEW_LIMIT || inRange(estimate)) {
				return estimate;
			}
			next = estimate;
		}
		VIEW.getAndAdd(this, -delta);
		throw new CounterOverflowException(this.key.value(), Long.toString(next));
	}

	private long addUncontended(long delta) {
		long current = this.view;
		long next = current + delta;
		if (!inRange(next)) {
			throw new CounterOverflowException(this.key.value(), Long.toString(next));
		}
		if (VIEW.compareAndSet(this, current, next)) {
			return next;
		}
		if (++this.collisions >= STRIPE_AFTER_COLLISIONS) {
			STRIPES.compareAndSet(this, (long[]) null, new long[(STRIPE_COUNT + 2) * STRIPE_SPACING]);
		}
		return incExactly(delta);
	}

	/**
	 * Adds {@code delta} to the stripe while it and the estimate stay far enough from the bound.
	 * @return the stripe's new value, or {@link #NOT_ADDED}: the caller then counts exactly
	 */
	private long addToStripe(long[] striped, int stripe, long delta) {
		if (Math.abs(delta) > STRIPE_LIMIT) {
			return NOT_ADDED;
		}
		int slot = slot(stripe);
		long value = (long) STRIPE.getAndAdd(striped, slot, delta) + delta;
		if (Math.abs(value) > STRIPE_LIMIT || Math.abs(this.view) > STRIPED_VIEW_LIMIT) {
			STRIPE.getAndAdd(striped, slot, -delta);
			return NOT_ADDED;
		}
		// a plain (racy) count next to the stripe, on the line the add just took: it only paces the reads
		long calls = (long) STRIPE.get(striped, slot + 1) + 1;
		STRIPE.set(striped, slot + 1, calls);
		if ((calls & (READ_STRIPES_EVERY - 1)) == 0) {
			readStripes(striped);
		}
		return value;
	}

	private static int stripeOfThisThread() {
		return (int) Thread.currentThread().getId() & (STRIPE_COUNT - 1);
	}

	private static int slot(int stripe) {
		return (stripe + 1) * STRIPE_SPACING;
	}

	/** Whether contention gave this entry stripes. */
	boolean isStriped() {
		return this.stripes != null;
	}

	/**
	 * Adds up the stripes and publishes what it read as what later striped {@link #inc}s start from. Published only
	 * over the read it started after (else it reads again), so whatever a read returned, a later {@link #inc} counts.
	 * @return the sum of the stripes
	 */
	private long readStripes(long[] striped) {
		for (;;) {
			long[] previouslySeen = this.stripesSeen;
			long[] seen = new long[STRIPE_COUNT + 1];
			for (int stripe = 0; stripe < STRIPE_COUNT; stripe++) {
				seen[stripe + 1] = (long) STRIPE.getVolatile(striped, slot(stripe));
				seen[0] += seen[stripe + 1];
			}
			if (STRIPES_SEEN.compareAndSet(this, previouslySeen, seen)) {
				return seen[0];
			}
		}
	}

	private static boolean inRange(long value) {
		return value <= CounterOverflowException.MAX_VALUE && value >= -CounterOverflowException.MAX_VALUE;
	}

	/**
	 * Adds {@code delta} if {@code comparator} matches the current estimate, atomically.
	 * @return {new, old}; both the current estimate when it did not match
	 */
	public CounterUpdate addIf(CounterComparator comparator, long delta) {
		for (;;) {
			long base = this.view;
			long[] striped = this.stripes;
			long current = (striped != null) ? base + readStripes(striped) : base;
			if (!comparator.matches(current)) {
				return new CounterUpdate(current, current);
			}
			long next = current + delta;
			if (!inRange(next)) {
				throw new CounterOverflowException(this.key.value(), Long.toString(next));
			}
			if (VIEW.compareAndSet(this, base, base + delta)) {
				return new CounterUpdate(next, current);
			}
		}
	}

	/**
	 * Instance-aware: adds {@code delta} to both estimates if {@code comparator} matches the cumulative estimate.
	 * @return {new cumulative, new slice, old cumulative, old slice}; new = old when it did not match
	 * @throws CounterOverflowException if either estimate would leave the range (nothing is changed)
	 */
	public long[] addBothIf(CounterComparator comparator, long delta) {
		CounterUpdate cumulative = addIf(comparator, delta);
		if (cumulative.newValue() == cumulative.oldValue() && !comparator.matches(cumulative.oldValue())) {
			long slice = this.sliceView;
			return new long[] { cumulative.newValue(), slice, cumulative.oldValue(), slice };
		}
		long slice = (long) SLICE_VIEW.getAndAdd(this, delta) + delta;
		if (slice > CounterOverflowException.MAX_VALUE || slice < -CounterOverflowException.MAX_VALUE) {
			undo(delta);
			throw new CounterOverflowException(this.key.value(), Long.toString(slice));
		}
		return new long[] { cumulative.newValue(), slice, cumulative.oldValue(), slice - delta };
	}

	/**
	 * Instance-aware: sets the slice estimate to {@code value} if {@code comparator} matches it, moving the cumulative
	 * estimate by the same amount.
	 * @return {new cumulative, new slice, old cumulative, old slice}; new = old when it did not match
	 * @throws CounterOverflowException if the cumulative estimate would leave the range (nothing is changed)
	 */
	public long[] setSliceIf(CounterComparator comparator, long value) {
		for (;;) {
			long slice = this.sliceView;
			if (!comparator.matches(slice)) {
				long cumulative = view();
				return new long[] { cumulative, slice, cumulative, slice };
			}
			if (SLICE_VIEW.compareAndSet(this, slice, value)) {
				long change = value - slice;
				long cumulative;
				try {
					cumulative = incExactly(change);
				}
				catch (CounterOverflowException ex) {
					SLICE_VIEW.getAndAdd(this, -change);
					throw ex;
				}
				return new long[] { cumulative, value, cumulative - change, slice };
			}
		}
	}

	/** Takes back an amount this process added (both estimates), without a range check. */
	public void undo(long delta) {
		adjust(-delta);
		if (this.tracksSlice) {
			SLICE_VIEW.getAndAdd(this, -delta);
		}
	}

	/** Adjusts the estimate without a range check (Redis-side changes). */
	void adjust(long delta) {
		VIEW.getAndAdd(this, delta);
	}

	private void adjustSlice(long delta) {
		if (this.tracksSlice) {
			SLICE_VIEW.getAndAdd(this, delta);
		}
	}

	/** Marks the entry dirty; returns {@code true} if it was clean (the caller then queues it). */
	boolean markDirty() {
		return !this.dirty && DIRTY.compareAndSet(this, false, true);
	}

	void clearDirty() {
		this.dirty = false;
	}

	boolean isDirty() {
		return this.dirty;
	}

	/** Records values read from Redis while nothing of this key is in flight. Under the flush lock. */
	void loaded(long value, long slice, long now) {
		adjust(value - this.remote);
		adjustSlice(slice - this.remoteSlice);
		this.remote = value;
		this.remoteSlice = slice;
		this.loaded = true;
		this.loadedAt = now;
	}

	/**
	 * Records the confirmation of the in-flight amount with Redis' values after it. Under the flush lock.
	 * @param value the key's value (instance-aware: cumulative) after the write
	 * @param slice instance-aware: this instance's slice after the write; ignored otherwise
	 * @param now the clock's time
	 */
	public void confirmed(long value, long slice, long now) {
		adjust(value - this.remote - this.inFlight);
		adjustSlice(slice - this.remoteSlice - this.inFlight);
		this.remote = value;
		this.remoteSlice = slice;
		this.inFlight = 0;
		this.loaded = true;
		this.loadedAt = now;
	}

	/**
	 * After the whole namespace was cleared in Redis: both estimates drop to what was added since. Under the flush
	 * lock, with nothing in flight.
	 */
	void cleared(long now) {
		adjust(-view()); // increments racing with the clear survive it
		adjustSlice(-this.sliceView);
		this.remote = 0;
		this.remoteSlice = 0;
		this.loaded = true;
		this.loadedAt = now;
	}

	/**
	 * Instance-aware: after this instance's slices were removed in Redis. The slice estimate drops to what was added
	 * since, the cumulative estimate by the slice; the entry is reloaded on its next read. Under the flush lock, with
	 * nothing in flight.
	 */
	void sliceRemoved() {
		long slice = this.sliceView;
		adjustSlice(-slice);
		adjust(-slice);
		this.remote -= this.remoteSlice;
		this.remoteSlice = 0;
		this.loaded = false;
	}

	/** Whether nothing is buffered or in flight. Under the flush lock. */
	boolean isClean() {
		return this.inFlight == 0 && view() == this.remote && !this.dirty;
	}

}
