package io.distkit.counter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import io.distkit.CounterOverflowException;
import io.distkit.RedisKey;

/**
 * The local state of one lax key. {@code view} is the local estimate and the only field callers change:
 * {@code view = remote + inFlight + pending}, so the buffered (pending) amount is {@code view - remote - inFlight}.
 * {@code remote}, {@code inFlight} and {@code loaded} change only under the counter's flush lock, by additive updates
 * of {@code view}, so they commute with concurrent increments.
 */
final class LaxEntry {

	private static final VarHandle VIEW;

	private static final VarHandle DIRTY;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			VIEW = lookup.findVarHandle(LaxEntry.class, "view", long.class);
			DIRTY = lookup.findVarHandle(LaxEntry.class, "dirty", boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	final RedisKey key;

	private volatile long view;

	private volatile boolean dirty;

	/** Set by eviction before it removes a clean entry; an increment that sees it retries on a new entry. */
	volatile boolean retired;

	/** The flush tick of the last access, for idle eviction. */
	volatile int touchedTick;

	/** Whether {@code remote} came from Redis (a load or a confirmed flush). */
	volatile boolean loaded;

	/** Clock time of the last load or confirmed flush. */
	volatile long loadedAt;

	// guarded by the counter's flush lock
	long remote;

	long inFlight;

	LaxEntry(RedisKey key) {
		this.key = key;
	}

	long view() {
		return this.view;
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
	long add(long delta) {
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
	CounterUpdate addIf(CounterComparator comparator, long delta) {
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

	/** Adjusts the estimate without a range check (Redis-side changes, undo of an increment). */
	void adjust(long delta) {
		VIEW.getAndAdd(this, delta);
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

	/** Records a value read from Redis while nothing of this key is in flight. Under the flush lock. */
	void loaded(long value, long now) {
		adjust(value - this.remote);
		this.remote = value;
		this.loaded = true;
		this.loadedAt = now;
	}

	/** Records the confirmation of the in-flight amount with Redis' value after it. Under the flush lock. */
	void confirmed(long value, long now) {
		adjust(value - this.remote - this.inFlight);
		this.remote = value;
		this.inFlight = 0;
		this.loaded = true;
		this.loadedAt = now;
	}

	/** Whether nothing is buffered or in flight. Under the flush lock. */
	boolean isClean() {
		return this.inFlight == 0 && this.view == this.remote && !this.dirty;
	}

}
