package io.distkit.internal.ratelimit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Units a locked decision grants to the calls after it, which take them without the lock: each take is one
 * compare-and-set, closing ends the lease and says how many units were never taken. What the units mean, and when a
 * lease is valid, is the subclass's. Not part of the public API.
 *
 * <p>A lease keeps its units in one counter, or, when its owner {@linkplain #UnitLease(long, boolean) asks for it},
 * split over {@link #STRIPES} counters on separate cache lines. One counter written by every core is the limit of a hot
 * key under threads: each take moves its cache line between cores. A striped lease lets each thread take from its
 * own stripe, trying the others when its stripe runs short; a take can then fail while the stripes together still
 * hold enough units, which only sends the caller to its owner's locked path (where the lease is settled and the
 * decision is exact). A take that lost a race on a single counter marks the lease {@linkplain #contended()
 * contended}, which is how an owner learns to stripe the next one.
 *
 * <p>Thread-safe.
 */
public abstract class UnitLease {

	private static final VarHandle REMAINING;

	private static final VarHandle STRIPE = MethodHandles.arrayElementVarHandle(long[].class);

	static {
		try {
			REMAINING = MethodHandles.lookup().findVarHandle(UnitLease.class, "remaining", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	/** Stripes of a striped lease: four per processor, a power of two, at most 64. */
	static final int STRIPES = Math.min(64, Integer.highestOneBit(4 * Runtime.getRuntime().availableProcessors() - 1) << 1);

	/** Longs from one stripe's counter to the next: 128 bytes, so no two share a cache line or a prefetched pair. */
	private static final int STRIDE = 16;

	private static final long CLOSED = -1;

	private final long granted;

	/** The units not taken yet, or {@link #CLOSED}; unused when striped. */
	private volatile long remaining;

	/** The striped counters at {@code (i + 1) * STRIDE}, or {@code null} for one counter. */
	private final long[] stripes;

	/** Whether a take on the single counter lost a race (written only ever from false to true, so left plain). */
	private boolean contended;

	/** A lease of {@code granted} units in one counter. */
	protected UnitLease(long granted) {
		this(granted, false);
	}

	/**
	 * A lease of {@code granted} units, split over {@link #STRIPES} counters if {@code striped} (for a key that earlier
	 * leases found {@linkplain #contended() contended}).
	 */
	protected UnitLease(long granted, boolean striped) {
		this.granted = granted;
		if (!striped) {
			this.stripes = null;
			this.remaining = granted;
			return;
		}
		this.stripes = new long[(STRIPES + 1) * STRIDE];
		long share = granted / STRIPES;
		long extra = granted % STRIPES;
		for (int i = 0; i < STRIPES; i++) {
			this.stripes[(i + 1) * STRIDE] = share + ((i < extra) ? 1 : 0);
		}
	}

	/** The units the lease was opened with. */
	public final long granted() {
		return this.granted;
	}

	/**
	 * The units not taken yet (striped: summed over the stripes, each read once); negative once closed. Units are
	 * only ever taken, so the true number is at most this once the call returns.
	 */
	public final long remaining() {
		long[] stripes = this.stripes;
		if (stripes == null) {
			return this.remaining;
		}
		long sum = 0;
		for (int i = 1; i <= STRIPES; i++) {
			long left = (long) STRIPE.getVolatile(stripes, i * STRIDE);
			if (left < 0) {
				return CLOSED;
			}
			sum += left;
		}
		return sum;
	}

	/** Whether the lease is striped. */
	public final boolean striped() {
		return this.stripes != null;
	}

	/** Whether a take on this single-counter lease lost a compare-and-set to another thread. */
	public final boolean contended() {
		return this.contended;
	}

	/**
	 * Takes {@code count} units if the lease is open and that many are left (striped: in one stripe).
	 * @return whether the units were taken
	 */
	public final boolean take(long count) {
		return (this.stripes != null) ? takeStriped(count) : takeSingle(count);
	}

	private boolean takeSingle(long count) {
		for (long left = this.remaining; left >= count; left = this.remaining) {
			if (REMAINING.compareAndSet(this, left, left - count)) {
				return true;
			}
			if (!this.contended) {
				this.contended = true;
			}
		}
		return false;
	}

	private boolean takeStriped(long count) {
		long[] stripes = this.stripes;
		int home = home();
		for (int probe = 0; probe < STRIPES; probe++) {
			int at = (((home + probe) & (STRIPES - 1)) + 1) * STRIDE;
			long left = (long) STRIPE.getVolatile(stripes, at);
			while (left >= count) {
				long witness = (long) STRIPE.compareAndExchange(stripes, at, left, left - count);
				if (witness == left) {
					return true;
				}
				left = witness;
			}
			if (left < 0) {
				return false;
			}
		}
		return false;
	}

	/** The calling thread's first stripe: its id, Fibonacci-hashed so that consecutive ids spread. */
	@SuppressWarnings("deprecation") // Thread.threadId() is Java 19+
	private static int home() {
		return (int) ((Thread.currentThread().getId() * 0x9E3779B97F4A7C15L) >>> 58);
	}

	/** Ends the lease; later takes fail. Returns the units never taken. */
	public final long close() {
		long[] stripes = this.stripes;
		if (stripes == null) {
			return Math.max(0, (long) REMAINING.getAndSet(this, CLOSED));
		}
		long untaken = 0;
		for (int i = 1; i <= STRIPES; i++) {
			untaken += Math.max(0, (long) STRIPE.getAndSet(stripes, i * STRIDE, CLOSED));
		}
		return untaken;
	}

	/** Ends the lease, as {@link #close()}, and returns the units that were taken: what its owner must now count. */
	public final long closeAndCountTaken() {
		return this.granted - close();
	}

}
