package io.distkit.internal.counter;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiPredicate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.distkit.DistkitBackendException;
import io.distkit.NanoClock;
import io.distkit.RedisKey;

/**
 * The Redis side of a lax engine: numbered chunks, their confirmation, and loads. Everything that changes an
 * entry's {@code remote} or {@code inFlight} runs here under one lock, so a load and a flush of one key never
 * overlap and nothing is counted twice.
 *
 * <p>Chunks are sent in number order. A chunk that failed stays unconfirmed with its content and number and is sent
 * again before anything else; while one is unconfirmed no new chunk is formed. So every key is in at most one
 * chunk, and every number below the one being sent is confirmed: the script may forget them.
 */
final class LaxFlusher {

	private static final Log logger = LogFactory.getLog(LaxFlusher.class);

	private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

	private final ReentrantLock lock = new ReentrantLock();

	private final LaxStore store;

	private final int chunkSize;

	private final NanoClock clock;

	private final String name;

	/** Entries whose estimate changed since they were last flushed. */
	private final Queue<LaxEntry> dirty = new ConcurrentLinkedQueue<>();

	private final AtomicInteger dirtyCount = new AtomicInteger();

	/** Entries created by an increment, to be loaded in the background. */
	private final Queue<LaxEntry> toLoad = new ConcurrentLinkedQueue<>();

	// guarded by lock
	private final ArrayDeque<LaxChunk> unconfirmed = new ArrayDeque<>();

	private volatile int unconfirmedKeys;

	private long nextSequence = 1;

	private long lastFailureLog;

	private final AtomicLong failingSince = new AtomicLong();

	private final AtomicLong refusedKeys = new AtomicLong();

	private final AtomicLong flushes = new AtomicLong();

	private final AtomicLong failedFlushes = new AtomicLong();

	private final AtomicLong flushedKeys = new AtomicLong();

	private final AtomicLong flushNanos = new AtomicLong();

	/** Test hook: drops the reply of a chunk after the script ran, as a lost reply would. */
	private volatile BiPredicate<Long, Integer> dropReply = (sequence, attempt) -> false;

	LaxFlusher(LaxStore store, int chunkSize, NanoClock clock, String name) {
		this.store = store;
		this.chunkSize = chunkSize;
		this.clock = clock;
		this.name = name;
	}

	/** Queues an entry whose estimate changed. Called by increments; allocates only on the clean-to-dirty edge. */
	void markDirty(LaxEntry entry) {
		if (entry.markDirty()) {
			this.dirtyCount.incrementAndGet();
			this.dirty.add(entry);
		}
	}

	void queueLoad(LaxEntry entry) {
		this.toLoad.add(entry);
	}

	/** Keys with buffered or unconfirmed increments (an upper bound while a flush runs). */
	int pendingKeys() {
		return this.dirtyCount.get() + this.unconfirmedKeys;
	}

	long refusedKeys() {
		return this.refusedKeys.get();
	}

	/** Monotonic time flushes have been failing since, or 0 when the last one succeeded. */
	long failingSince() {
		return this.failingSince.get();
	}

	/** The cumulative statistics; {@code size} is the owner's. */
	io.distkit.counter.LaxCounterStats stats(int size) {
		long since = this.failingSince.get();
		return new io.distkit.counter.LaxCounterStats(size, pendingKeys(), this.flushes.get(), this.failedFlushes.get(),
				this.flushedKeys.get(), this.refusedKeys.get(), java.time.Duration.ofNanos(this.flushNanos.get()),
				(since == 0) ? java.time.Duration.ZERO : java.time.Duration.ofNanos(this.clock.nanoTime() - since));
	}

	ReentrantLock lock() {
		return this.lock;
	}

	void dropRepliesWhen(BiPredicate<Long, Integer> predicate) {
		this.dropReply = predicate;
	}

	/**
	 * Sends every unconfirmed chunk, then every buffered increment. Must hold the lock.
	 * @param strict whether to throw on failure (else log)
	 * @param tick the engine's tick: entries with buffered increments were touched in it
	 * @return whether everything was confirmed
	 */
	boolean flush(boolean strict, int tick) {
		long start = this.clock.nanoTime();
		if (!settle(strict)) {
			return false;
		}
		List<LaxChunk> chunks = takeBuffered(tick);
		if (chunks.isEmpty()) {
			succeeded();
			return true;
		}
		for (int i = 0; i < chunks.size(); i++) {
			LaxChunk chunk = chunks.get(i);
			try {
				send(chunk);
				this.flushedKeys.addAndGet(chunk.size());
			}
			catch (RuntimeException ex) {
				// this chunk and the ones not sent yet keep their numbers and are sent again first
				for (int j = i; j < chunks.size(); j++) {
					addUnconfirmed(chunks.get(j));
				}
				failed(backendFailure(ex), strict);
				return false;
			}
		}
		this.flushes.incrementAndGet();
		this.flushNanos.addAndGet(this.clock.nanoTime() - start);
		succeeded();
		return true;
	}

	/**
	 * Sends the unconfirmed chunks again, in number order, stopping at the first failure. Must hold the lock.
	 * @param strict whether to throw on failure (else log)
	 * @return whether none is left unconfirmed
	 */
	boolean settle(boolean strict) {
		while (!this.unconfirmed.isEmpty()) {
			LaxChunk chunk = this.unconfirmed.peekFirst();
			try {
				send(chunk);
			}
			catch (RuntimeException ex) {
				failed(backendFailure(ex), strict);
				return false;
			}
			this.unconfirmed.pollFirst();
			this.unconfirmedKeys -= chunk.size();
			this.flushedKeys.addAndGet(chunk.size());
		}
		return true;
	}

	/** A new chunk number. Must hold the lock. */
	long nextSequence() {
		return this.nextSequence++;
	}

	/** Registers a chunk whose outcome is unknown, to be sent again. Must hold the lock. */
	void addUnconfirmed(LaxChunk chunk) {
		this.unconfirmed.addLast(chunk);
		this.unconfirmedKeys += chunk.size();
	}

	/**
	 * Loads the given entries, one script per chunk; skips entries with an amount in flight. Must hold the lock.
	 * @param strict whether to throw on failure or an unusable stored value (else log and leave them unloaded)
	 */
	void load(List<LaxEntry> entries, boolean strict) {
		List<LaxEntry> loadable = new ArrayList<>(entries.size());
		for (LaxEntry entry : entries) {
			if (entry.inFlight == 0 && !entry.retired) {
				loadable.add(entry);
			}
		}
		for (int from = 0; from < loadable.size(); from += this.chunkSize) {
			List<LaxEntry> chunk = loadable.subList(from, Math.min(loadable.size(), from + this.chunkSize));
			List<RedisKey> keys = new ArrayList<>(chunk.size());
			chunk.forEach((entry) -> keys.add(entry.key));
			LaxStore.LoadReply reply;
			try {
				reply = this.store.load(keys);
			}
			catch (DistkitBackendException ex) {
				if (strict) {
					throw ex;
				}
				failed(ex, false);
				chunk.forEach(this.toLoad::add);
				continue;
			}
			long now = this.clock.nanoTime();
			for (int i = 0; i < chunk.size(); i++) {
				if (reply.unusable().contains(i)) {
					if (strict) {
						throw new DistkitBackendException("Stored value of lax counter key \"" + keys.get(i)
								+ "\" is not an integer within ±(2^53 - 1)");
					}
					logger.error("distkit " + this.name + ": stored value of key \"" + keys.get(i)
							+ "\" is not an integer within ±(2^53 - 1); the key is not loaded");
					continue;
				}
				chunk.get(i).loaded(reply.values()[i], (reply.slices() != null) ? reply.slices()[i] : 0, now);
			}
		}
	}

	/** Loads the entries queued by first increments. Must hold the lock. */
	void loadQueued() {
		List<LaxEntry> entries = new ArrayList<>();
		for (LaxEntry entry = this.toLoad.poll(); entry != null; entry = this.toLoad.poll()) {
			if (!entry.loaded) {
				entries.add(entry);
			}
		}
		if (!entries.isEmpty()) {
			load(entries, false);
		}
	}

	private List<LaxChunk> takeBuffered(int tick) {
		List<LaxEntry> entries = new ArrayList<>();
		List<Long> deltas = new ArrayList<>();
		List<LaxEntry> deferred = new ArrayList<>();
		for (LaxEntry entry = this.dirty.poll(); entry != null; entry = this.dirty.poll()) {
			this.dirtyCount.decrementAndGet();
			entry.clearDirty(); // before reading the estimate: a later increment marks it again
			entry.touchedTick = tick; // increments leave recency to the flush: no write on their path
			entry.collisions = 0;
			if (entry.inFlight != 0) {
				deferred.add(entry);
				continue;
			}
			long delta = entry.pending();
			if (delta != 0) {
				entry.inFlight = delta;
				entries.add(entry);
				deltas.add(delta);
			}
		}
		deferred.forEach(this::markDirty);
		List<LaxChunk> chunks = new ArrayList<>((entries.size() + this.chunkSize - 1) / this.chunkSize);
		for (int from = 0; from < entries.size(); from += this.chunkSize) {
			int to = Math.min(entries.size(), from + this.chunkSize);
			long[] chunkDeltas = new long[to - from];
			for (int i = from; i < to; i++) {
				chunkDeltas[i - from] = deltas.get(i);
			}
			chunks.add(new LaxChunk(nextSequence(), entries.subList(from, to).toArray(new LaxEntry[0]), chunkDeltas));
		}
		return chunks;
	}

	private void send(LaxChunk chunk) {
		chunk.attempts++;
		LaxStore.FlushReply reply = this.store.flush(chunk);
		if (this.dropReply.test(chunk.sequence, chunk.attempts)) {
			throw new DistkitBackendException("Reply of chunk " + chunk.sequence + " dropped by a test hook");
		}
		long now = this.clock.nanoTime();
		for (int i = 0; i < chunk.size(); i++) {
			LaxEntry entry = chunk.entries[i];
			if (reply.refused().contains(i)) {
				this.refusedKeys.incrementAndGet();
				logger.error("distkit " + this.name + ": Redis refused " + chunk.deltas[i] + " for key \""
						+ entry.key + "\": the stored value is not an integer or the result would leave ±(2^53 - 1);"
						+ " the increment is dropped");
			}
			entry.confirmed(reply.values()[i], (reply.slices() != null) ? reply.slices()[i] : 0, now);
		}
	}

	private static DistkitBackendException backendFailure(RuntimeException ex) {
		return (ex instanceof DistkitBackendException backend) ? backend
				: new DistkitBackendException("Flush failed: " + ex.getMessage(), ex);
	}

	private void failed(DistkitBackendException ex, boolean strict) {
		long now = this.clock.nanoTime();
		this.failedFlushes.incrementAndGet();
		this.failingSince.compareAndSet(0, now);
		if (strict) {
			throw ex;
		}
		if (now - this.lastFailureLog >= LOG_INTERVAL_NANOS || this.lastFailureLog == 0) {
			this.lastFailureLog = now;
			logger.error("distkit " + this.name + ": flush failed, " + pendingKeys()
					+ " keys keep their increments and are retried: " + ex.getMessage());
		}
	}

	private void succeeded() {
		if (this.failingSince.getAndSet(0) != 0) {
			this.lastFailureLog = 0;
			logger.info("distkit " + this.name + ": flushes succeed again");
		}
	}

}
