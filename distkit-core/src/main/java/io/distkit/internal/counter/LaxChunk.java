package io.distkit.internal.counter;

import io.distkit.RedisKey;

/**
 * A numbered group of buffered increments handed to Redis together. Its content never changes, so it can be sent
 * again under the same number until Redis confirms it; the flush script ignores a number it has applied. Not part of
 * the public API.
 */
public final class LaxChunk {

	final long sequence;

	final LaxEntry[] entries;

	final long[] deltas;

	int attempts;

	LaxChunk(long sequence, LaxEntry[] entries, long[] deltas) {
		this.sequence = sequence;
		this.entries = entries;
		this.deltas = deltas;
	}

	/** The chunk's number, unique per writer. */
	public long sequence() {
		return this.sequence;
	}

	public int size() {
		return this.entries.length;
	}

	/** The key of item {@code index}. */
	public RedisKey key(int index) {
		return this.entries[index].key;
	}

	/** The entry of item {@code index}. */
	public LaxEntry entry(int index) {
		return this.entries[index];
	}

	/** The buffered amount of item {@code index} (possibly 0). */
	public long delta(int index) {
		return this.deltas[index];
	}

}
