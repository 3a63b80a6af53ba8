package io.distkit.counter;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiPredicate;

import io.distkit.CounterOverflowException;
import io.distkit.RedisKey;
import io.distkit.internal.counter.Batches;
import io.distkit.internal.counter.LaxEngine;
import io.distkit.internal.counter.LaxEntry;
import io.distkit.internal.redis.ScriptRunner;

/**
 * {@link LaxCounter} on the shared {@link LaxEngine}: the engine buffers, flushes through {@link LaxScripts} on its
 * fixed-rate tick and settles before synchronous writes; this class adds the lax counter's own write scripts.
 */
final class BufferedLaxCounter implements LaxCounter {

	private final CounterOptions options;

	private final LaxScripts scripts;

	private final LaxEngine engine;

	BufferedLaxCounter(ScriptRunner runner, CounterOptions options) {
		this.options = options;
		String writerId = UUID.randomUUID().toString().replace("-", "");
		this.scripts = new LaxScripts(runner, CounterKeys.laxContainer(options.prefix()),
				CounterKeys.laxWriter(options.prefix(), writerId));
		this.engine = new LaxEngine(this.scripts,
				new LaxEngine.Settings("lax counter " + options.prefix(), "distkit-lax-flush-" + options.prefix(),
						options.chunkSize(), options.flushInterval(), options.allowedLag(), options.maxKeys(),
						options.maxPendingKeys(), options.shutdownTimeout(), options.clock()),
				false);
	}

	@Override
	public CounterOptions options() {
		return this.options;
	}

	// --- buffered operations: no I/O ---

	@Override
	public long inc(RedisKey key, long delta) {
		return increment(key, delta, false);
	}

	@Override
	public void add(RedisKey key, long delta) {
		increment(key, delta, true);
	}

	/**
	 * Adds {@code delta} to the key's entry, {@code quiet}ly (no estimate computed, striped under contention) or not.
	 * @return the estimate after the increment; 0 when quiet
	 */
	private long increment(RedisKey key, long delta, boolean quiet) {
		this.engine.checkOpen();
		CounterOverflowException.requireInRange(key.value(), delta);
		for (;;) {
			LaxEntry entry = this.engine.entryForIncrement(key);
			long estimate = 0;
			if (quiet) {
				entry.addQuietly(delta);
			}
			else {
				estimate = entry.inc(delta);
			}
			if (this.engine.accept(entry)) {
				return estimate;
			}
			entry.undo(delta); // evicted meanwhile: undo and retry on the entry that replaced it
		}
	}

	@Override
	public List<KeyValue> incAll(List<KeyDelta> deltas) {
		this.engine.checkOpen();
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
		this.engine.checkOpen();
		Batches.requireList(keys, "keys").forEach(Batches::requireKey);
		if (keys.isEmpty()) {
			return List.of();
		}
		List<KeyValue> rows = new ArrayList<>(keys.size());
		for (LaxEntry entry : this.engine.freshEntries(keys)) {
			rows.add(new KeyValue(entry.key(), entry.view()));
		}
		return rows;
	}

	@Override
	public CounterUpdate incIf(RedisKey key, CounterComparator comparator, long delta) {
		KeyUpdate update = incAllIf(List.of(new ConditionalDelta(key, comparator, delta))).get(0);
		return new CounterUpdate(update.newValue(), update.oldValue());
	}

	@Override
	public List<KeyUpdate> incAllIf(List<ConditionalDelta> items) {
		this.engine.checkOpen();
		for (ConditionalDelta item : Batches.requireList(items, "items")) {
			CounterOverflowException.requireInRange(item.key().value(), item.delta());
		}
		if (items.isEmpty()) {
			return List.of();
		}
		List<RedisKey> keys = new ArrayList<>(items.size());
		items.forEach((item) -> keys.add(item.key()));
		for (;;) {
			List<LaxEntry> selected = this.engine.entries(keys);
			this.engine.ensureFresh(selected);
			List<KeyUpdate> rows = new ArrayList<>(items.size());
			for (int i = 0; i < items.size(); i++) {
				ConditionalDelta item = items.get(i);
				LaxEntry entry = selected.get(i);
				CounterUpdate update = entry.addIf(item.comparator(), item.delta());
				this.engine.markDirty(entry);
				rows.add(new KeyUpdate(item.key(), update.newValue(), update.oldValue()));
			}
			if (!LaxEngine.anyRetired(selected)) {
				this.engine.flushIfClosedMeanwhile();
				return rows;
			}
			// an entry was evicted meanwhile (only clean, idle ones are): undo and start again on fresh entries
			for (int i = items.size() - 1; i >= 0; i--) {
				selected.get(i).undo(rows.get(i).newValue() - rows.get(i).oldValue());
			}
		}
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
		this.engine.checkOpen();
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
		this.engine.checkOpen();
		Batches.requireKey(key);
		LaxEntry entry = this.engine.entry(key);
		return this.engine.write(List.of(entry), (buffered) -> {
			long[] old = this.scripts.delete(buffered.sequence(), List.of(key), new long[] { buffered.delta(0) });
			entry.confirmed(0, 0, this.engine.nanoTime());
			return old[0];
		});
	}

	@Override
	public void clear() {
		this.engine.checkOpen();
		this.engine.settled(() -> {
			this.scripts.clear();
			this.engine.clearedAll();
			return null;
		});
	}

	@Override
	public void flush() {
		this.engine.checkOpen();
		this.engine.flush();
	}

	@Override
	public int size() {
		return this.engine.size();
	}

	/** How many local keys hold a value loaded from Redis. */
	int loadedKeys() {
		return this.engine.loadedKeys();
	}

	@Override
	public int pendingKeys() {
		return this.engine.pendingKeys();
	}

	@Override
	public LaxCounterStats stats() {
		return this.engine.stats();
	}

	/** Monotonic time since which flushes have been failing, 0 when the last flush succeeded. */
	long failingSince() {
		return this.engine.failingSince();
	}

	/** Test hook: pause or resume the background ticks (explicit flushes still run). */
	void pauseTicks(boolean paused) {
		this.engine.pauseTicks(paused);
	}

	/** Test hook: drop the reply of a chunk (sequence, attempt) after the script ran. */
	void dropRepliesWhen(BiPredicate<Long, Integer> predicate) {
		this.engine.dropRepliesWhen(predicate);
	}

	@Override
	public void close() {
		this.engine.close(null);
	}

	@Override
	public String toString() {
		return "LaxCounter[prefix=" + this.options.prefix() + "]";
	}

	private List<KeyUpdate> setChunk(List<ConditionalValue> items) {
		List<RedisKey> keys = new ArrayList<>(items.size());
		items.forEach((item) -> keys.add(item.key()));
		List<LaxEntry> selected = this.engine.entries(keys);
		return this.engine.write(selected, (buffered) -> {
			Map<LaxEntry, Long> bufferedByEntry = new IdentityHashMap<>();
			for (int i = 0; i < buffered.size(); i++) {
				bufferedByEntry.put(buffered.entry(i), buffered.delta(i));
			}
			long[] perItem = new long[items.size()]; // a key's buffered amount goes with its first item
			for (int i = 0; i < items.size(); i++) {
				Long delta = bufferedByEntry.remove(selected.get(i));
				perItem[i] = (delta != null) ? delta : 0;
			}
			List<KeyUpdate> updates = this.scripts.set(buffered.sequence(), items, perItem);
			long now = this.engine.nanoTime();
			Map<LaxEntry, Long> finalValues = new IdentityHashMap<>();
			for (int i = 0; i < items.size(); i++) {
				finalValues.put(selected.get(i), updates.get(i).newValue());
			}
			finalValues.forEach((entry, value) -> entry.confirmed(value, 0, now));
			return updates;
		});
	}

}
