package io.distkit.counter;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiPredicate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.distkit.CounterOverflowException;
import io.distkit.DistkitBackendException;
import io.distkit.NanoClock;
import io.distkit.RedisKey;
import io.distkit.internal.redis.ScriptRunner;

/**
 * {@link LaxCounter} that buffers in a map of {@link LaxEntry} and flushes through a {@link LaxFlusher} on a
 * fixed-rate tick of its own thread.
 */
final class BufferedLaxCounter implements LaxCounter {

	private static final Log logger = LogFactory.getLog(BufferedLaxCounter.class);

	private final CounterOptions options;

	private final NanoClock clock;

	private final long allowedLagNanos;

	private final ConcurrentHashMap<RedisKey, LaxEntry> entries = new ConcurrentHashMap<>();

	private final LaxScripts scripts;

	private final LaxFlusher flusher;

	private final ScheduledExecutorService scheduler;

	private volatile boolean closed;

	/** Counts ticks, for idle eviction. */
	private volatile int tick;

	/** Test hook: while set, background ticks do nothing. */
	private volatile boolean ticksPaused;

	BufferedLaxCounter(ScriptRunner runner, CounterOptions options) {
		this.options = options;
		this.clock = options.clock();
		this.allowedLagNanos = options.allowedLag().toNanos();
		String writerId = UUID.randomUUID().toString().replace("-", "");
		this.scripts = new LaxScripts(runner, CounterKeys.laxContainer(options.prefix()),
				CounterKeys.laxWriter(options.prefix(), writerId));
		this.flusher = new LaxFlusher(this.scripts, options.chunkSize(), this.clock, options.prefix().value());
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "distkit-lax-flush-" + options.prefix());
			thread.setDaemon(true);
			return thread;
		});
		long period = options.flushInterval().toNanos();
		this.scheduler.scheduleAtFixedRate(this::tick, period, period, TimeUnit.NANOSECONDS);
	}

	@Override
	public CounterOptions options() {
		return this.options;
	}

	// --- buffered operations: no I/O ---

	@Override
	public long inc(RedisKey key, long delta) {
		checkOpen();
		CounterOverflowException.requireInRange(key.value(), delta);
		for (;;) {
			LaxEntry entry = entryForIncrement(key);
			long estimate = entry.add(delta);
			if (!entry.retired) {
				this.flusher.markDirty(entry);
				flushIfClosedMeanwhile();
				return estimate;
			}
			entry.adjust(-delta); // evicted meanwhile: undo and retry on the entry that replaced it
		}
	}

	@Override
	public List<KeyValue> incAll(List<KeyDelta> deltas) {
		checkOpen();
		for (KeyDelta delta : Batches.requireList(deltas, "deltas")) {
			CounterOverflowException.requireInRange(delta.key().value(), delta.delta());
		}
		List<KeyValue> rows = new ArrayList<>(deltas.size());
		int applied = 0;
		try {
			for (KeyDelta delta : deltas) {
				rows.add(new KeyValue(delta.key(), inc(delta.key(), delta.delta())));
				applied++;
			}
		}
		catch (RuntimeException ex) {
			for (int i = applied - 1; i >= 0; i--) { // all or nothing
				inc(deltas.get(i).key(), -deltas.get(i).delta());
			}
			throw ex;
		}
		return rows;
	}

	// --- reads and conditionals: reload stale keys first ---

	@Override
	public long get(RedisKey key) {
		Batches.requireKey(key);
		return getAll(List.of(key)).get(0).value();
	}

	@Override
	public List<KeyValue> getAll(List<RedisKey> keys) {
		checkOpen();
		Batches.requireList(keys, "keys").forEach(Batches::requireKey);
		if (keys.isEmpty()) {
			return List.of();
		}
		for (;;) {
			List<LaxEntry> selected = entries(keys);
			ensureFresh(selected);
			if (anyRetired(selected)) {
				continue; // evicted meanwhile: read fresh entries
			}
			List<KeyValue> rows = new ArrayList<>(keys.size());
			for (LaxEntry entry : selected) {
				rows.add(new KeyValue(entry.key, entry.view()));
			}
			return rows;
		}
	}

	@Override
	public CounterUpdate incIf(RedisKey key, CounterComparator comparator, long delta) {
		KeyUpdate update = incAllIf(List.of(new ConditionalDelta(key, comparator, delta))).get(0);
		return new CounterUpdate(update.newValue(), update.oldValue());
	}

	@Override
	public List<KeyUpdate> incAllIf(List<ConditionalDelta> items) {
		checkOpen();
		for (ConditionalDelta item : Batches.requireList(items, "items")) {
			CounterOverflowException.requireInRange(item.key().value(), item.delta());
		}
		if (items.isEmpty()) {
			return List.of();
		}
		List<RedisKey> keys = new ArrayList<>(items.size());
		items.forEach((item) -> keys.add(item.key()));
		for (;;) {
			List<LaxEntry> selected = entries(keys);
			ensureFresh(selected);
			List<KeyUpdate> rows = new ArrayList<>(items.size());
			for (int i = 0; i < items.size(); i++) {
				ConditionalDelta item = items.get(i);
				LaxEntry entry = selected.get(i);
				CounterUpdate update = entry.addIf(item.comparator(), item.delta());
				this.flusher.markDirty(entry);
				rows.add(new KeyUpdate(item.key(), update.newValue(), update.oldValue()));
			}
			if (!anyRetired(selected)) {
				flushIfClosedMeanwhile();
				return rows;
			}
			// an entry was evicted meanwhile (only clean, idle ones are): undo and start again on fresh entries
			for (int i = items.size() - 1; i >= 0; i--) {
				selected.get(i).adjust(rows.get(i).oldValue() - rows.get(i).newValue());
			}
		}
	}

	private static boolean anyRetired(List<LaxEntry> selected) {
		for (LaxEntry entry : selected) {
			if (entry.retired) {
				return true;
			}
		}
		return false;
	}

	// --- synchronous writes ---

	@Override
	public long set(RedisKey key, long value) {
		return setIf(key, CounterComparator.nil(), value).newValue();
	}

	@Override
	public CounterUpdate setIf(RedisKey key, CounterComparator comparator, long value) {
		KeyUpdate update = setAllIf(List.of(new ConditionalValue(key, comparator, value))).get(0);
		return new CounterUpdate(update.newValue(), update.oldValue());
	}

	@Override
	public List<KeyValue> setAll(List<KeyValue> values) {
		List<ConditionalValue> items = new ArrayList<>(Batches.requireList(values, "values").size());
		for (KeyValue value : values) {
			items.add(new ConditionalValue(value.key(), CounterComparator.nil(), value.value()));
		}
		List<KeyUpdate> updates = setAllIf(items);
		List<KeyValue> rows = new ArrayList<>(updates.size());
		updates.forEach((update) -> rows.add(new KeyValue(update.key(), update.newValue())));
		return rows;
	}

	@Override
	public List<KeyUpdate> setAllIf(List<ConditionalValue> items) {
		checkOpen();
		for (ConditionalValue item : Batches.requireList(items, "items")) {
			CounterOverflowException.requireInRange(item.key().value(), item.value());
		}
		if (items.isEmpty()) {
			return List.of();
		}
		return Batches.inChunks(items, this.options.chunkSize(), this::setChunk);
	}

	@Override
	public long del(RedisKey key) {
		checkOpen();
		Batches.requireKey(key);
		ReentrantLock lock = this.flusher.lock();
		lock.lock();
		try {
			settleOrThrow();
			LaxEntry entry = entry(key);
			LaxChunk buffered = takeBuffered(List.of(entry));
			long[] old;
			try {
				old = this.scripts.delete(buffered.sequence, List.of(key), buffered.deltas);
			}
			catch (RuntimeException ex) {
				writeFailed(buffered, ex);
				throw ex;
			}
			entry.confirmed(0, this.clock.nanoTime());
			return old[0];
		}
		finally {
			lock.unlock();
		}
	}

	@Override
	public void clear() {
		checkOpen();
		ReentrantLock lock = this.flusher.lock();
		lock.lock();
		try {
			settleOrThrow();
			this.scripts.clear();
			long now = this.clock.nanoTime();
			for (LaxEntry entry : this.entries.values()) {
				entry.adjust(-entry.view()); // increments racing with clear() survive it
				entry.remote = 0;
				entry.loaded = true;
				entry.loadedAt = now;
			}
		}
		finally {
			lock.unlock();
		}
	}

	@Override
	public void flush() {
		checkOpen();
		ReentrantLock lock = this.flusher.lock();
		lock.lock();
		try {
			this.flusher.flush(true);
		}
		finally {
			lock.unlock();
		}
	}

	@Override
	public int size() {
		return this.entries.size();
	}

	/** How many local keys hold a value loaded from Redis. */
	int loadedKeys() {
		int loaded = 0;
		for (LaxEntry entry : this.entries.values()) {
			loaded += entry.loaded ? 1 : 0;
		}
		return loaded;
	}

	@Override
	public int pendingKeys() {
		return this.flusher.pendingKeys();
	}

	@Override
	public LaxCounterStats stats() {
		return this.flusher.stats(this.entries.size());
	}

	/** Monotonic time since which flushes have been failing, 0 when the last flush succeeded. */
	long failingSince() {
		return this.flusher.failingSince();
	}

	/** Test hook: pause or resume the background ticks (explicit flushes still run). */
	void pauseTicks(boolean paused) {
		this.ticksPaused = paused;
	}

	/** Test hook: drop the reply of a chunk (sequence, attempt) after the script ran. */
	void dropRepliesWhen(BiPredicate<Long, Integer> predicate) {
		this.flusher.dropRepliesWhen(predicate);
	}

	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		Future<?> finalFlush = this.scheduler.submit(() -> {
			ReentrantLock lock = this.flusher.lock();
			lock.lock();
			try {
				this.flusher.flush(true);
			}
			finally {
				lock.unlock();
			}
		});
		this.scheduler.shutdown();
		try {
			finalFlush.get(this.options.shutdownTimeout().toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			logger.error("distkit lax counter " + this.options.prefix() + ": final flush did not finish within "
					+ this.options.shutdownTimeout() + "; increments of " + pendingKeys() + " keys may be lost");
		}
		catch (java.util.concurrent.ExecutionException ex) {
			logger.error("distkit lax counter " + this.options.prefix() + ": final flush failed; increments of "
					+ pendingKeys() + " keys are lost: " + ex.getCause().getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.scheduler.shutdownNow();
		}
	}

	@Override
	public String toString() {
		return "LaxCounter[prefix=" + this.options.prefix() + "]";
	}

	// --- internals ---

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
			if (this.flusher.flush(false)) {
				this.flusher.loadQueued();
			}
			evictIdle();
		}
		catch (RuntimeException ex) {
			logger.error("distkit lax counter " + this.options.prefix() + ": flush tick failed", ex);
		}
		finally {
			lock.unlock();
		}
	}

	private List<KeyUpdate> setChunk(List<ConditionalValue> items) {
		ReentrantLock lock = this.flusher.lock();
		lock.lock();
		try {
			settleOrThrow();
			List<RedisKey> keys = new ArrayList<>(items.size());
			items.forEach((item) -> keys.add(item.key()));
			List<LaxEntry> selected = entries(keys);
			LaxChunk buffered = takeBuffered(selected);
			Map<LaxEntry, Long> bufferedByEntry = new IdentityHashMap<>();
			for (int i = 0; i < buffered.size(); i++) {
				bufferedByEntry.put(buffered.entries[i], buffered.deltas[i]);
			}
			long[] perItem = new long[items.size()]; // a key's buffered amount goes with its first item
			for (int i = 0; i < items.size(); i++) {
				Long delta = bufferedByEntry.remove(selected.get(i));
				perItem[i] = (delta != null) ? delta : 0;
			}
			List<KeyUpdate> updates;
			try {
				updates = this.scripts.set(buffered.sequence, items, perItem);
			}
			catch (RuntimeException ex) {
				writeFailed(buffered, ex);
				throw ex;
			}
			long now = this.clock.nanoTime();
			Map<LaxEntry, Long> finalValues = new IdentityHashMap<>();
			for (int i = 0; i < items.size(); i++) {
				finalValues.put(selected.get(i), updates.get(i).newValue());
			}
			finalValues.forEach((entry, value) -> entry.confirmed(value, now));
			return updates;
		}
		finally {
			lock.unlock();
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

	/**
	 * A synchronous write failed. If Redis may have run it, its buffered part stays unconfirmed and is sent again
	 * under its number (ignored if applied). If Redis refused it, nothing was written and the amounts go back to
	 * being buffered.
	 */
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

	private void settleOrThrow() {
		this.flusher.settle(true);
	}

	private void ensureFresh(List<LaxEntry> selected) {
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
				settleOrThrow();
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

	private LaxEntry entry(RedisKey key) {
		LaxEntry entry = this.entries.get(key);
		if (entry == null) {
			entry = this.entries.computeIfAbsent(key, LaxEntry::new);
		}
		entry.touchedTick = this.tick;
		return entry;
	}

	private List<LaxEntry> entries(List<RedisKey> keys) {
		List<LaxEntry> selected = new ArrayList<>(keys.size());
		for (RedisKey key : keys) {
			selected.add(entry(key));
		}
		return selected;
	}

	private LaxEntry entryForIncrement(RedisKey key) {
		LaxEntry entry = this.entries.get(key);
		if (entry != null) {
			int now = this.tick;
			if (entry.touchedTick != now) {
				entry.touchedTick = now;
			}
			return entry;
		}
		if (this.flusher.pendingKeys() >= this.options.maxPendingKeys()) {
			throw new DistkitBackendException("distkit lax counter " + this.options.prefix() + ": "
					+ this.flusher.pendingKeys() + " keys hold increments not yet flushed to Redis (max-pending-keys="
					+ this.options.maxPendingKeys() + "); refusing the new key \""
					+ DistkitBackendException.abbreviate(key.value()) + "\" rather than risk losing data");
		}
		LaxEntry created = new LaxEntry(key);
		created.touchedTick = this.tick;
		LaxEntry existing = this.entries.putIfAbsent(key, created);
		if (existing != null) {
			return existing;
		}
		this.flusher.queueLoad(created);
		return created;
	}

	/** Evicts the least recently touched clean entries beyond {@code maxKeys}. Under the lock. */
	private void evictIdle() {
		int excess = this.entries.size() - this.options.maxKeys();
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
	 * After an increment: if {@link #close()} began meanwhile, its final flush may have missed the increment, so
	 * flush it here before acknowledging it. (If {@code closed} still reads {@code false}, the final flush, which
	 * starts after setting it, sees the increment.)
	 */
	private void flushIfClosedMeanwhile() {
		if (this.closed) {
			ReentrantLock lock = this.flusher.lock();
			lock.lock();
			try {
				this.flusher.flush(true);
			}
			finally {
				lock.unlock();
			}
		}
	}

	private void checkOpen() {
		if (this.closed) {
			throw new IllegalStateException("distkit lax counter " + this.options.prefix() + " is closed");
		}
	}

}
