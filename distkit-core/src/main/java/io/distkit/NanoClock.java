package io.distkit;

/**
 * A monotonic time source in nanoseconds, for local state only (Redis-side time comes from the server's
 * {@code TIME}). Tests pass a manual clock instead of sleeping.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface NanoClock {

	/**
	 * Returns the current value of the time source, in nanoseconds. Only differences between two values are
	 * meaningful.
	 * @return the current time in nanoseconds
	 */
	long nanoTime();

	/** The system's monotonic clock, {@link System#nanoTime()}. */
	static NanoClock system() {
		return SystemNanoClock.INSTANCE;
	}

}

enum SystemNanoClock implements NanoClock {

	INSTANCE;

	@Override
	public long nanoTime() {
		return System.nanoTime();
	}

}
