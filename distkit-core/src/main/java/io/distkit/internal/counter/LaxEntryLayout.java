package io.distkit.internal.counter;

/**
 * The field layout of {@link LaxEntry}: its {@code view}, which every increment of a hot key writes, on a cache line of
 * its own. The JVM lays out a superclass's fields before its subclass's, so the padding classes around {@link View}
 * keep {@link LaxEntry}'s read-mostly fields (key, flags, stripes) off that line: a core that increments does not
 * evict them from the others, and an increment then moves one cache line between cores instead of two.
 */
final class LaxEntryLayout {

	private LaxEntryLayout() {
	}

	@SuppressWarnings("unused")
	abstract static class LeftPadding {

		long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;

	}

	abstract static class View extends LeftPadding {

		/** The estimate, less what stripes hold; written by {@link LaxEntry} only, through its var handle. */
		volatile long view;

	}

	@SuppressWarnings("unused")
	abstract static class RightPadding extends View {

		long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;

	}

}
