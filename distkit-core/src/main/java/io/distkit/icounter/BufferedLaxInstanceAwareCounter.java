package io.distkit.icounter;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

import io.distkit.CounterOverflowException;
import io.distkit.RedisKey;
import io.distkit.counter.ConditionalDelta;
import io.distkit.counter.ConditionalValue;
import io.distkit.counter.CounterComparator;
import io.distkit.counter.KeyDelta;
import io.distkit.counter.KeyValue;
import io.distkit.counter.LaxCounterStats;
import io.distkit.internal.counter.Batches;
import io.distkit.internal.counter.LaxEngine;
import io.distkit.internal.counter.LaxEntry;
import io.distkit.internal.redis.ScriptRunner;

/**
 * {@link LaxInstanceAwareCounter} on the shared {@link LaxEngine}: entries track this instance's slice besides the
 * cumulative, chunks go through {@code lia_flush.lua}, loads through {@code ia_get.lua}, synchronous writes through
 * {@code lia_write.lua}; the heartbeat runs on the engine's thread.
 */
final class BufferedLaxInstanceAwareCounter implements LaxInstanceAwareCounter {

	private final InstanceAwareOptions options;

	private final String instanceId;

	private final InstanceAwareScripts scripts;

	private final LaxEngine engine;

	private final Heartbeat heartbeat;

	BufferedLaxInstanceAwareCounter(ScriptRunner runner, InstanceAwareOptions options) {
		this.options = options;
		this.instanceId = InstanceIds.next(options.instanceIdPrefix());
		String name = "lax instance-aware counter " + options.prefix() + " (instance " + this.instanceId + ")";
		this.scripts = new InstanceAwareScripts(runner, InstanceAwareKeys.laxTag(options.prefix()), this.instanceId,
				options);
		this.engine = new LaxEngine(this.scripts,
				new LaxEngine.Settings(name, "distkit-lia-flush-" + options.prefix(), options.chunkSize(),
						options.flushInterval(), options.allowedLag(), options.maxKeys(), options.maxPendingKeys(),
						options.shutdownTimeout(), options.clock()),
				true);
		this.heartbeat = new Heartbeat(this.scripts, options, name);
		this.engine.schedule(this.heartbeat::tick, options.heartbeat());
	}

	@Override
	public long liveInstances() {
		return this.scripts.liveInstances();
	}

	@Override
	public String instanceId() {
		return this.instanceId;
	}

	@Override
	public InstanceAwareOptions options() {
		return this.options;
	}

	// --- buffered operations: no I/O ---

	@Override
	public Totals inc(RedisKey key, long delta) {
		this.engine.checkOpen();
		CounterOverflowException.requireInRange(key.value(), delta);
		for (;;) {
			LaxEntry entry = this.engine.entryForIncrement(key);
			long[] totals = entry.addBothIf(CounterComparator.nil(), delta);
			if (this.engine.accept(entry)) {
				return new Totals(totals[0], totals[1]);
			}
			entry.undo(delta); // evicted meanwhile: undo and retry on the entry that replaced it
		}
	}

	@Override
	public List<KeyTotals> incAll(List<KeyDelta> deltas) {
		this.engine.checkOpen();
		for (KeyDelta delta : Batches.requireList(deltas, "deltas")) {
			CounterOverflowException.requireInRange(delta.key().value(), delta.delta());
		}
		List<KeyTotals> rows = new ArrayList<>(deltas.size());
		int applied = 0;
		try {
			for (KeyDelta delta : deltas) {
				Totals totals = inc(delta.key(), delta.delta());
				rows.add(new KeyTotals(delta.key(), totals.cumulative(), totals.slice()));
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

	// --- reads and local conditionals: reload stale keys first ---

	@Override
	public Totals get(RedisKey key) {
		Batches.requireKey(key);
		return getAll(List.of(key)).get(0).totals();
	}

	@Override
	public List<KeyTotals> getAll(List<RedisKey> keys) {
		this.engine.checkOpen();
		Batches.requireList(keys, "keys").forEach(Batches::requireKey);
		if (keys.isEmpty()) {
			return List.of();
		}
		List<KeyTotals> rows = new ArrayList<>(keys.size());
		for (LaxEntry entry : this.engine.freshEntries(keys)) {
			rows.add(new KeyTotals(entry.key(), entry.view(), entry.slice()));
		}
		return rows;
	}

	@Override
	public List<KeyValue> getAllOnInstance(List<RedisKey> keys) {
		List<KeyTotals> rows = getAll(keys);
		List<KeyValue> slices = new ArrayList<>(rows.size());
		rows.forEach((row) -> slices.add(new KeyValue(row.key(), row.slice())));
		return slices;
	}

	@Override
	public TotalsUpdate incIf(RedisKey key, CounterComparator comparator, long delta) {
		return single(incAllIf(List.of(new ConditionalDelta(key, comparator, delta))));
	}

	@Override
	public List<KeyTotalsUpdate> incAllIf(List<ConditionalDelta> items) {
		this.engine.checkOpen();
		for (ConditionalDelta item : Batches.requireList(items, "items")) {
			CounterOverflowException.requireInRange(item.key().value(), item.delta());
		}
		if (items.isEmpty()) {
			return List.of();
		}
		return applyLocally(keysOf(items), items.size(),
				(i, entry) -> entry.addBothIf(items.get(i).comparator(), items.get(i).delta()));
	}

	@Override
	public Totals setOnInstance(RedisKey key, long value) {
		return setOnInstanceIf(key, CounterComparator.nil(), value).newTotals();
	}

	@Override
	public TotalsUpdate setOnInstanceIf(RedisKey key, CounterComparator comparator, long value) {
		return single(setAllOnInstanceIf(List.of(new ConditionalValue(key, comparator, value))));
	}

	@Override
	public List<KeyTotals> setAllOnInstance(List<KeyValue> values) {
		return RedisStrictInstanceAwareCounter
			.newTotals(setAllOnInstanceIf(RedisStrictInstanceAwareCounter.unconditional(values)));
	}

	@Override
	public List<KeyTotalsUpdate> setAllOnInstanceIf(List<ConditionalValue> items) {
		this.engine.checkOpen();
		for (ConditionalValue item : Batches.requireList(items, "items")) {
			CounterOverflowException.requireInRange(item.key().value(), item.value());
		}
		if (items.isEmpty()) {
			return List.of();
		}
		List<RedisKey> keys = new ArrayList<>(items.size());
		items.forEach((item) -> keys.add(item.key()));
		return applyLocally(keys, items.size(),
				(i, entry) -> entry.setSliceIf(items.get(i).comparator(), items.get(i).value()));
	}

	/** One local change of an entry: {new cumulative, new slice, old cumulative, old slice}. */
	@FunctionalInterface
	private interface LocalChange {

		long[] apply(int index, LaxEntry entry);

	}

	/** Refreshes stale keys, then applies the items in order to the local estimates (no I/O on warm keys). */
	private List<KeyTotalsUpdate> applyLocally(List<RedisKey> keys, int count, LocalChange change) {
		for (;;) {
			List<LaxEntry> selected = this.engine.entries(keys);
			this.engine.ensureFresh(selected);
			List<long[]> results = new ArrayList<>(count);
			List<KeyTotalsUpdate> rows = new ArrayList<>(count);
			try {
				for (int i = 0; i < count; i++) {
					LaxEntry entry = selected.get(i);
					long[] result = change.apply(i, entry);
					results.add(result);
					this.engine.markDirty(entry);
					rows.add(new KeyTotalsUpdate(keys.get(i), new Totals(result[0], result[1]),
							new Totals(result[2], result[3])));
				}
			}
			catch (RuntimeException ex) {
				undo(selected, results);
				throw ex;
			}
			if (!LaxEngine.anyRetired(selected)) {
				this.engine.flushIfClosedMeanwhile();
				return rows;
			}
			undo(selected, results); // an entry was evicted meanwhile: start again on fresh entries
		}
	}

	private static void undo(List<LaxEntry> selected, List<long[]> results) {
		for (int i = results.size() - 1; i >= 0; i--) {
			selected.get(i).undo(results.get(i)[0] - results.get(i)[2]);
		}
	}

	// --- synchronous writes ---

	@Override
	public Totals set(RedisKey key, long value) {
		return setIf(key, CounterComparator.nil(), value).newTotals();
	}

	@Override
	public TotalsUpdate setIf(RedisKey key, CounterComparator comparator, long value) {
		return single(setAllIf(List.of(new ConditionalValue(key, comparator, value))));
	}

	@Override
	public List<KeyTotals> setAll(List<KeyValue> values) {
		return RedisStrictInstanceAwareCounter.newTotals(setAllIf(RedisStrictInstanceAwareCounter.unconditional(values)));
	}

	@Override
	public List<KeyTotalsUpdate> setAllIf(List<ConditionalValue> items) {
		this.engine.checkOpen();
		for (ConditionalValue item : Batches.requireList(items, "items")) {
			CounterOverflowException.requireInRange(item.key().value(), item.value());
		}
		if (items.isEmpty()) {
			return List.of();
		}
		return Batches.inChunks(items, this.options.chunkSize(), this::setChunk);
	}

	private List<KeyTotalsUpdate> setChunk(List<ConditionalValue> items) {
		List<RedisKey> keys = new ArrayList<>(items.size());
		items.forEach((item) -> keys.add(item.key()));
		List<LaxEntry> selected = this.engine.entries(keys);
		return this.engine.write(selected, (buffered) -> {
			List<KeyTotalsUpdate> updates = this.scripts.laxSet(buffered, items);
			long now = this.engine.nanoTime();
			Map<LaxEntry, Totals> finalTotals = new IdentityHashMap<>();
			for (int i = 0; i < items.size(); i++) {
				finalTotals.put(selected.get(i), updates.get(i).newTotals());
			}
			finalTotals.forEach((entry, totals) -> entry.confirmed(totals.cumulative(), totals.slice(), now));
			return updates;
		});
	}

	@Override
	public Totals del(RedisKey key) {
		return delete(key, false);
	}

	@Override
	public Totals delOnInstance(RedisKey key) {
		return delete(key, true);
	}

	private Totals delete(RedisKey key, boolean onInstance) {
		this.engine.checkOpen();
		Batches.requireKey(key);
		LaxEntry entry = this.engine.entry(key);
		return this.engine.write(List.of(entry), (buffered) -> {
			long[] reply = this.scripts.laxDelete(buffered, List.of(key), onInstance);
			entry.confirmed(onInstance ? reply[0] : 0, 0, this.engine.nanoTime());
			return new Totals(reply[0], reply[1]);
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
	public void clearOnInstance() {
		this.engine.checkOpen();
		this.engine.settled(() -> {
			while (this.scripts.clearOnInstanceStep(false)) {
				// at most 1,000 slices per call
			}
			this.engine.slicesRemoved();
			return null;
		});
	}

	// --- flushing, state, lifecycle ---

	@Override
	public void flush() {
		this.engine.checkOpen();
		this.engine.flush();
	}

	@Override
	public int size() {
		return this.engine.size();
	}

	@Override
	public int pendingKeys() {
		return this.engine.pendingKeys();
	}

	@Override
	public LaxCounterStats stats() {
		return this.engine.stats();
	}

	/** Sends a heartbeat now (with reaping and recovery until done), as the background heartbeat does. */
	void heartbeat() {
		this.heartbeat.beat();
	}

	/** Test hook: pause or resume the background ticks (explicit flushes still run). */
	void pauseTicks(boolean paused) {
		this.engine.pauseTicks(paused);
	}

	/** Test hook: drop the reply of a chunk (sequence, attempt) after the script ran. */
	void dropRepliesWhen(BiPredicate<Long, Integer> predicate) {
		this.engine.dropRepliesWhen(predicate);
	}

	/** Test hook: stops the flush and the heartbeat without touching Redis, as a crash would. */
	void abandon() {
		this.engine.abandon();
	}

	@Override
	public void close() {
		Runnable removal = this.options.removeOnClose() ? () -> {
			if (this.scripts.used()) {
				while (this.scripts.clearOnInstanceStep(true)) {
					// at most 1,000 slices per call
				}
			}
		} : null;
		this.engine.close(removal);
	}

	@Override
	public String toString() {
		return "LaxInstanceAwareCounter[prefix=" + this.options.prefix() + ", instanceId=" + this.instanceId + "]";
	}

	private static List<RedisKey> keysOf(List<ConditionalDelta> items) {
		List<RedisKey> keys = new ArrayList<>(items.size());
		items.forEach((item) -> keys.add(item.key()));
		return keys;
	}

	private static TotalsUpdate single(List<KeyTotalsUpdate> rows) {
		KeyTotalsUpdate row = rows.get(0);
		return new TotalsUpdate(row.newTotals(), row.oldTotals());
	}

}
