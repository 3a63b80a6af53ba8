package io.distkit.internal.counter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import io.distkit.CounterOverflowException;
import io.distkit.RedisKey;
import io.distkit.counter.CounterComparator;
import io.distkit.counter.CounterUpdate;

/**
 * The local state of one lax key. {@code view} is the local estimate and the only field callers change:
 * {@code view = remote + inFlight + pending}, so the buffered (pending) amount is {@code view - remote - inFlight}.
 * {@code remote}, {@code inFlight} and {@code loaded} change only under the engine's flush lock, by additive updates
 * of {@code view}, so they commute with concurrent increments.
 *
 * <p>An instance-aware entry also tracks this instance's slice of the key: {@code sliceView = remoteSlice + inFlight
 * + pending}. Both estimates move by the same amounts; only Redis-side events (another instance's global write,
 * reaping, recovery) make them differ from what this process added. Not part of the public API.
 */
public final class LaxEntry {

	private static final VarHandle VIEW;

	private static final VarHandle SLICE_VIEW;

	private static final VarHandle DIRTY;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			VIEW = lookup.findVarHandle(LaxEntry.class, "view", long.class);
			SLICE_VIEW = lookup.findVarHandle(LaxEntry.class, "sliceView", long.class);
			DIRTY = lookup.findVarHandle(LaxEntry.class, "dirty", boolean.class);
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

	/** Set by eviction before it removes a clean entry; an increment that sees it retries on a new entry. */
	volatile boolean retired;

	/** The flush tick of the last access, for idle eviction. */
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

	/** The local estimate of the key's value (instance-aware: of its cumulative). */
	public long view() {
		return this.view;
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
		return this.view - this.remote - this.inFlight;
	}

	/**
	 * Adds {@code delta} to the estimate if the result stays in range.
	 * @return the new estimate
	 * @throws CounterOverflowException if it would not
	 */
	public long add(long delta) {
		for (;;) {
			long current = this.view;
			long next = current + delta;
			if (next > CounterOverflowException.MAX_VALUE || next < -CounterOverflowException.MAX_VALUE) {
				throw new CounterOverflowException(this.key.value(), Long.toString(next));
			}
			if (VIEW.compareAndSet(this, current, next)) {
				return next;
			}
		}
	}

	/**
	 * Adds {@code delta} if {@code comparator} matches the current estimate, atomically.
	 * @return {new, old}; both the current estimate when it did not match
	 */
	public CounterUpdate addIf(CounterComparator comparator, long delta) {
		for (;;) {
			long current = this.view;
			if (!comparator.matches(current)) {
				return new CounterUpdate(current, current);
			}
			long next = current + delta;
			if (next > CounterOverflowException.MAX_VALUE || next < -CounterOverflowException.MAX_VALUE) {
				throw new CounterOverflowException(this.key.value(), Long.toString(next));
			}
			if (VIEW.compareAndSet(this, current, next)) {
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
				long cumulative = this.view;
				return new long[] { cumulative, slice, cumulative, slice };
			}
			if (SLICE_VIEW.compareAndSet(this, slice, value)) {
				long change = value - slice;
				long cumulative;
				try {
					cumulative = add(change);
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
		adjust(-this.view); // increments racing with the clear survive it
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
		return this.inFlight == 0 && this.view == this.remote && !this.dirty;
	}

}
