package io.distkit.internal.counter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.distkit.DistkitBackendException;
import io.distkit.NanoClock;
import io.distkit.RedisKey;

/**
 * The engine both lax counter types run on: a bounded map of {@link LaxEntry}, a {@link LaxFlusher} that sends
 * numbered idempotent chunks through a pluggable {@link LaxStore}, a fixed-rate tick on a thread of its own, idle
 * eviction, freshness, and the protocol of synchronous writes (settle unconfirmed chunks, hand the keys' buffered
 * amounts to a numbered chunk that the write script applies first, keep everything on failure). The counter types
 * are thin facades that add their own scripts. Not part of the public API.
 *
 * <p>Thread-safe.
 */
public final class LaxEngine {

	private static final Log logger = LogFactory.getLog(LaxEngine.class);

	private final Settings settings;

	private final NanoClock clock;

	private final long allowedLagNanos;

	private final boolean tracksSlices;

	private final ConcurrentHashMap<RedisKey, LaxEntry> entries = new ConcurrentHashMap<>();

	private final LaxFlusher flusher;

	private final ScheduledExecutorService scheduler;

	private volatile boolean closed;

	/** Counts ticks, for idle eviction. */
	private volatile int tick;

	/** Test hook: while set, background ticks do nothing. */
	private volatile boolean ticksPaused;

	/**
	 * Creates the engine and starts its tick.
	 * @param store the Redis side
	 * @param settings the sizes, periods and names
	 * @param tracksSlices whether entries track an instance's slice besides the value
	 */
	public LaxEngine(LaxStore store, Settings settings, boolean tracksSlices) {
		this.settings = settings;
		this.clock = settings.clock();
		this.allowedLagNanos = settings.allowedLag().toNanos();
		this.tracksSlices = tracksSlices;
		this.flusher = new LaxFlusher(store, settings.chunkSize(), this.clock, settings.name());
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, settings.threadName());
			thread.setDaemon(true);
			return thread;
		});
		long period = settings.flushInterval().toNanos();
		this.scheduler.scheduleAtFixedRate(this::tick, period, period, TimeUnit.NANOSECONDS);
	}

	/**
	 * What an engine is made of.
	 * @param name for log messages, e.g. {@code lax counter shop}
	 * @param threadName the name of the tick thread
	 * @param chunkSize items per script call
	 * @param flushInterval the tick period
	 * @param allowedLag how old a key's last load or confirmed flush may be before a read reloads it
	 * @param maxKeys keys kept in memory
	 * @param maxPendingKeys keys with buffered increments beyond which a new key is refused
	 * @param shutdownTimeout bound of the final flush on close
	 * @param clock the monotonic clock of local freshness
	 */
	public record Settings(String name, String threadName, int chunkSize, Duration flushInterval, Duration allowedLag,
			int maxKeys, int maxPendingKeys, Duration shutdownTimeout, NanoClock clock) {
	}

	// --- increments: no I/O ---

	/**
	 * The entry an increment of {@code key} goes to, created (and queued for a background load) if needed.
	 * @throws DistkitBackendException if the key is new and {@code maxPendingKeys} keys already hold increments
	 */
	public LaxEntry entryForIncrement(RedisKey key) {
		LaxEntry entry = this.entries.get(key);
		if (entry != null) {
			return entry;
		}
		if (this.flusher.pendingKeys() >= this.settings.maxPendingKeys()) {
			throw new DistkitBackendException("distkit " + this.settings.name() + ": " + this.flusher.pendingKeys()
					+ " keys hold increments not yet flushed to Redis (max-pending-keys="
					+ this.settings.maxPendingKeys() + "); refusing the new key \""
					+ DistkitBackendException.abbreviate(key.value()) + "\" rather than risk losing data");
		}
		LaxEntry created = new LaxEntry(key, this.tracksSlices);
		created.touchedTick = this.tick;
		LaxEntry existing = this.entries.putIfAbsent(key, created);
		if (existing != null) {
			return existing;
		}
		this.flusher.queueLoad(created);
		return created;
	}

	/**
	 * Completes an increment already added to {@code entry}: queues the entry for the next flush.
	 * @return {@code false} if the entry was evicted meanwhile: the caller undoes its increment and retries
	 */
	public boolean accept(LaxEntry entry) {
		if (entry.retired) {
			return false;
		}
		this.flusher.markDirty(entry);
		flushIfClosedMeanwhile();
		return true;
	}

	/** Queues an entry whose estimate changed for the next flush. */
	public void markDirty(LaxEntry entry) {
		this.flusher.markDirty(entry);
	}

	// --- reads ---

	/** The entry of {@code key}, created if needed (not loaded). */
	public LaxEntry entry(RedisKey key) {
		LaxEntry entry = this.entries.get(key);
		if (entry == null) {
			entry = this.entries.computeIfAbsent(key, (k) -> new LaxEntry(k, this.tracksSlices));
		}
		entry.touchedTick = this.tick;
		return entry;
	}

	/** What the engine has flushed, failed and refused so far. */
	public io.distkit.counter.LaxCounterStats stats() {
		return this.flusher.stats(this.entries.size());
	}

	/** The entries of {@code keys}, in order. */
	public List<LaxEntry> entries(List<RedisKey> keys) {
		List<LaxEntry> selected = new ArrayList<>(keys.size());
		for (RedisKey key : keys) {
			selected.add(entry(key));
		}
		return selected;
	}

	/**
	 * The entries of {@code keys}, in order, each loaded within the allowed lag ({@link #ensureFresh}); started again
	 * on new entries when eviction removed one meanwhile.
	 * @throws DistkitBackendException if Redis failed
	 */
	public List<LaxEntry> freshEntries(List<RedisKey> keys) {
		for (;;) {
			List<LaxEntry> selected = entries(keys);
			ensureFresh(selected);
			if (!anyRetired(selected)) {
				return selected;
			}
		}
	}

	/** Whether eviction removed any of the entries (the caller starts again on fresh entries). */
	public static boolean anyRetired(List<LaxEntry> selected) {
		for (LaxEntry entry : selected) {
			if (entry.retired) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Loads the entries that were never loaded or whose last load or confirmed flush is older than the allowed lag,
	 * one script per chunk, settling unconfirmed chunks of theirs first.
	 * @throws DistkitBackendException if Redis failed
	 */
	public void ensureFresh(List<LaxEntry> selected) {
		long now = this.clock.nanoTime();
		List<LaxEntry> stale = null;
		for (LaxEntry entry : selected) {
			if (!isFresh(entry, now)) {
				if (stale == null) {
					stale = new ArrayList<>();
				}
				stale.add(entry);
			}
		}
		if (stale == null) {
			return;
		}
		ReentrantLock lock = this.flusher.lock();
		lock.lock();
		try {
			long lockedAt = this.clock.nanoTime();
			List<LaxEntry> still = new ArrayList<>(stale.size());
			boolean inFlight = false;
			for (LaxEntry entry : stale) {
				if (!isFresh(entry, lockedAt) && !still.contains(entry)) {
					still.add(entry);
					inFlight |= entry.inFlight != 0;
				}
			}
			if (inFlight) {
				this.flusher.settle(true);
			}
			this.flusher.load(still, true);
		}
		finally {
			lock.unlock();
		}
	}

	private boolean isFresh(LaxEntry entry, long now) {
		return entry.loaded && now - entry.loadedAt < this.allowedLagNanos;
	}

	// --- synchronous writes ---

	/**
	 * Runs a synchronous write of the given entries' keys: under the flush lock, settles unconfirmed chunks, hands the
	 * distinct entries' buffered amounts to a new numbered chunk (possibly of zeros), and runs {@code write}, which
	 * applies that chunk and then writes, in one script, and confirms the entries (still under the lock). If the
	 * write fails and Redis may have run it, the chunk stays unconfirmed and is sent again under its number; if Redis
	 * refused it, the amounts go back to being buffered.
	 * @param selected the entries written
	 * @param write runs the script
	 * @return what {@code write} returned
	 * @throws DistkitBackendException if settling or the write failed
	 */
	public <R> R write(List<LaxEntry> selected, Function<LaxChunk, R> write) {
		ReentrantLock lock = this.flusher.lock();
		lock.lock();
		try {
			this.flusher.settle(true);
			LaxChunk buffered = takeBuffered(selected);
			try {
				return write.apply(buffered);
			}
			catch (RuntimeException ex) {
				writeFailed(buffered, ex);
				throw ex;
			}
		}
		finally {
			lock.unlock();
		}
	}

	/**
	 * Runs {@code action} under the flush lock after settling unconfirmed chunks (for writes that discard buffered
	 * amounts, such as clearing).
	 * @throws DistkitBackendException if settling failed
	 */
	public <R> R settled(Supplier<R> action) {
		ReentrantLock lock = this.flusher.lock();
		lock.lock();
		try {
			this.flusher.settle(true);
			return action.get();
		}
		finally {
			lock.unlock();
		}
	}

	/** After the whole namespace was cleared in Redis: every entry drops to what was added since. Under the lock. */
	public void clearedAll() {
		long now = this.clock.nanoTime();
		for (LaxEntry entry : this.entries.values()) {
			entry.cleared(now);
		}
	}

	/** Instance-aware: after this instance's slices were removed in Redis. Under the lock. */
	public void slicesRemoved() {
		for (LaxEntry entry : this.entries.values()) {
			entry.sliceRemoved();
		}
	}

	/** Hands the distinct entries' buffered amounts to a numbered chunk (possibly of zeros). Under the lock. */
	private LaxChunk takeBuffered(List<LaxEntry> selected) {
		LaxEntry[] distinct = new LinkedHashSet<>(selected).toArray(new LaxEntry[0]);
		long[] deltas = new long[distinct.length];
		for (int i = 0; i < distinct.length; i++) {
			deltas[i] = distinct[i].pending();
			distinct[i].inFlight = deltas[i];
		}
		return new LaxChunk(this.flusher.nextSequence(), distinct, deltas);
	}

	private void writeFailed(LaxChunk buffered, RuntimeException ex) {
		boolean outcomeUnknown = ex instanceof DistkitBackendException;
		boolean anything = false;
		for (long delta : buffered.deltas) {
			anything |= (delta != 0);
		}
		if (outcomeUnknown && anything) {
			this.flusher.addUnconfirmed(buffered);
			return;
		}
		for (LaxEntry entry : buffered.entries) {
			entry.inFlight = 0;
			this.flusher.markDirty(entry);
		}
	}

	/** The clock's time, for confirmations. */
	public long nanoTime() {
		return this.clock.nanoTime();
	}

	// --- flushing and state ---

	/**
	 * Sends every increment buffered so far and waits for the confirmation.
	 * @throws DistkitBackendException if Redis failed; the increments stay buffered
	 */
	public void flush() {
		ReentrantLock lock = this.flusher.lock();
		lock.lock();
		try {
			this.flusher.flush(true, this.tick);
		}
		finally {
			lock.unlock();
		}
	}

	/** How many keys are held in memory. */
	public int size() {
		return this.entries.size();
	}

	/** How many local keys hold a value loaded from Redis. */
	public int loadedKeys() {
		int loaded = 0;
		for (LaxEntry entry : this.entries.values()) {
			loaded += entry.loaded ? 1 : 0;
		}
		return loaded;
	}

	/** Every entry held in memory. */
	public Collection<LaxEntry> allEntries() {
		return this.entries.values();
	}

	/** Keys with buffered or unconfirmed increments. */
	public int pendingKeys() {
		return this.flusher.pendingKeys();
	}

	/** Monotonic time since which flushes have been failing, 0 when the last flush succeeded. */
	public long failingSince() {
		return this.flusher.failingSince();
	}

	/** Test hook: pause or resume the background ticks (explicit flushes still run). */
	public void pauseTicks(boolean paused) {
		this.ticksPaused = paused;
	}

	/** Test hook: drop the reply of a chunk (sequence, attempt) after the script ran. */
	public void dropRepliesWhen(BiPredicate<Long, Integer> predicate) {
		this.flusher.dropRepliesWhen(predicate);
	}

	/**
	 * Runs {@code task} on the engine's thread every {@code period} (first run after one period), outside the flush
	 * lock. Failures are the task's to handle.
	 */
	public void schedule(Runnable task, Duration period) {
		long nanos = period.toNanos();
		this.scheduler.scheduleWithFixedDelay(() -> {
			if (!this.closed) {
				task.run();
			}
		}, nanos, nanos, TimeUnit.NANOSECONDS);
	}

	public boolean isClosed() {
		return this.closed;
	}

	/**
	 * Throws if the engine is closed.
	 * @throws IllegalStateException if it is
	 */
	public void checkOpen() {
		if (this.closed) {
			throw new IllegalStateException("distkit " + this.settings.name() + " is closed");
		}
	}

	/**
	 * Stops the tick and flushes what is buffered, then runs {@code afterFlush} (e.g. removing an instance's slices),
	 * all on the engine's thread within the shutdown timeout. Failures are logged. Idempotent.
	 * @param afterFlush what to do after a successful final flush, may be {@code null}
	 */
	public void close(Runnable afterFlush) {
		if (this.closed) {
			return;
		}
		this.closed = true;
		Future<?> finalWork = this.scheduler.submit(() -> {
			flush();
			if (afterFlush != null) {
				afterFlush.run();
			}
		});
		this.scheduler.shutdown();
		try {
			finalWork.get(this.settings.shutdownTimeout().toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			logger.error("distkit " + this.settings.name() + ": final flush did not finish within "
					+ this.settings.shutdownTimeout() + "; increments of " + pendingKeys() + " keys may be lost");
		}
		catch (ExecutionException ex) {
			logger.error("distkit " + this.settings.name() + ": final flush failed; increments of " + pendingKeys()
					+ " keys are lost: " + ex.getCause().getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.scheduler.shutdownNow();
		}
	}

	/** Test hook: stops the tick and scheduled tasks without flushing, as a crash would. */
	public void abandon() {
		this.closed = true;
		this.scheduler.shutdownNow();
	}

	private void tick() {
		if (this.ticksPaused) {
			return;
		}
		ReentrantLock lock = this.flusher.lock();
		if (!lock.tryLock()) {
			return; // a synchronous operation is talking to Redis; the next tick flushes
		}
		try {
			this.tick++;
			if (this.flusher.flush(false, this.tick)) {
				this.flusher.loadQueued();
			}
			evictIdle();
		}
		catch (RuntimeException ex) {
			logger.error("distkit " + this.settings.name() + ": flush tick failed", ex);
		}
		finally {
			lock.unlock();
		}
	}

	/** Evicts the least recently touched clean entries beyond {@code maxKeys}. Under the lock. */
	private void evictIdle() {
		int excess = this.entries.size() - this.settings.maxKeys();
		if (excess <= 0) {
			return;
		}
		List<LaxEntry> clean = new ArrayList<>();
		for (LaxEntry entry : this.entries.values()) {
			if (entry.isClean()) {
				clean.add(entry);
			}
		}
		int current = this.tick;
		clean.sort((a, b) -> Integer.compare(current - b.touchedTick, current - a.touchedTick));
		int evicted = 0;
		for (LaxEntry entry : clean) {
			if (evicted == excess) {
				break;
			}
			entry.retired = true; // then re-check: an increment either sees retired or its add is seen here
			if (entry.isClean()) {
				this.entries.remove(entry.key, entry);
				evicted++;
			}
			else {
				entry.retired = false;
			}
		}
	}

	/**
	 * After an increment: if {@link #close(Runnable)} began meanwhile, its final flush may have missed the increment,
	 * so flush it here before acknowledging it. (If {@code closed} still reads {@code false}, the final flush, which
	 * starts after setting it, sees the increment.)
	 */
	public void flushIfClosedMeanwhile() {
		if (this.closed) {
			flush();
		}
	}

}
