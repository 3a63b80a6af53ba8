package io.distkit.internal.ratelimit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Units a locked decision grants to the calls after it, which take them without the lock: each take is one
 * compare-and-set, closing ends the lease and says how many units were never taken. What the units mean, and when a
 * lease is valid, is the subclass's. Not part of the public API.
 *
 * <p>Thread-safe.
 */
public abstract class UnitLease {

	private static final VarHandle REMAINING;

	static {
		try {
			REMAINING = MethodHandles.lookup().findVarHandle(UnitLease.class, "remaining", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private static final long CLOSED = -1;

	private final long granted;

	private volatile long remaining;

	protected UnitLease(long granted) {
		this.granted = granted;
		this.remaining = granted;
	}

	/** The units the lease was opened with. */
	public final long granted() {
		return this.granted;
	}

	/** The units not taken yet; negative once closed. */
	public final long remaining() {
		return this.remaining;
	}

	/**
	 * Takes {@code count} units if that many are left and the lease is open.
	 * @return the units left before this take, or {@code -1} when they could not be taken
	 */
	public final long take(long count) {
		for (long left = this.remaining; left >= count; left = this.remaining) {
			if (REMAINING.compareAndSet(this, left, left - count)) {
				return left;
			}
		}
		return -1;
	}

	/** Ends the lease; later takes fail. Returns the units never taken. */
	public final long close() {
		return (long) REMAINING.getAndSet(this, CLOSED);
	}

	/** Ends the lease, as {@link #close()}, and returns the units that were taken: what its owner must now count. */
	public final long closeAndCountTaken() {
		return this.granted - close();
	}

}
