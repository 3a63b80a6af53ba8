package io.distkit.counter;

/**
 * A numbered group of buffered increments handed to Redis together. Its content never changes, so it can be sent
 * again under the same number until Redis confirms it; the flush script ignores a number it has applied.
 */
final class LaxChunk {

	final long sequence;

	final LaxEntry[] entries;

	final long[] deltas;

	int attempts;

	LaxChunk(long sequence, LaxEntry[] entries, long[] deltas) {
		this.sequence = sequence;
		this.entries = entries;
		this.deltas = deltas;
	}

	int size() {
		return this.entries.length;
	}

}
