package io.distkit.counter;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.distkit.CounterOverflowException;
import io.distkit.RedisKey;
import io.distkit.internal.counter.Batches;
import io.distkit.internal.redis.ScriptRunner;

/** {@link StrictCounter} on Redis: every operation one script call per chunk on {@code {<prefix>:strict}}. */
final class RedisStrictCounter implements StrictCounter {

	private final CounterOptions options;

	private final StrictScripts scripts;

	private final @Nullable IncrementCoalescer coalescer;

	RedisStrictCounter(ScriptRunner runner, CounterOptions options) {
		this.options = options;
		this.scripts = new StrictScripts(runner, CounterKeys.strictContainer(options.prefix()));
		this.coalescer = options.coalesceIncrements() ? new IncrementCoalescer(this::incrementOnce) : null;
	}

	@Override
	public CounterOptions options() {
		return this.options;
	}

	@Override
	public long inc(RedisKey key, long delta) {
		if (this.coalescer != null) {
			Batches.requireKey(key);
			CounterOverflowException.requireInRange(key.value(), delta);
			return this.coalescer.inc(key, delta);
		}
		return incIf(key, CounterComparator.nil(), delta).newValue();
	}

	/** Keys with a coalesced call in flight (tests: nothing stays behind once calls end). */
	int coalescingKeys() {
		return (this.coalescer != null) ? this.coalescer.activeKeys() : 0;
	}

	/** One script call adding {@code delta} to {@code key}. */
	private CounterUpdate incrementOnce(RedisKey key, long delta) {
		KeyUpdate update = this.scripts.increment(List.of(new ConditionalDelta(key, CounterComparator.nil(), delta)))
			.get(0);
		return new CounterUpdate(update.newValue(), update.oldValue());
	}

	@Override
	public CounterUpdate incIf(RedisKey key, CounterComparator comparator, long delta) {
		KeyUpdate update = incAllIf(List.of(new ConditionalDelta(key, comparator, delta))).get(0);
		return new CounterUpdate(update.newValue(), update.oldValue());
	}

	@Override
	public long get(RedisKey key) {
		Batches.requireKey(key);
		return this.scripts.get(List.of(key))[0];
	}

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
	public long del(RedisKey key) {
		Batches.requireKey(key);
		return this.scripts.delete(List.of(key))[0];
	}

	@Override
	public void clear() {
		this.scripts.clear();
	}

	@Override
	public List<KeyValue> getAll(List<RedisKey> keys) {
		Batches.requireList(keys, "keys").forEach(Batches::requireKey);
		if (keys.isEmpty()) {
			return List.of();
		}
		return Batches.inChunks(keys, this.options.chunkSize(), (chunk) -> {
			long[] values = this.scripts.get(chunk);
			List<KeyValue> rows = new ArrayList<>(chunk.size());
			for (int i = 0; i < chunk.size(); i++) {
				rows.add(new KeyValue(chunk.get(i), values[i]));
			}
			return rows;
		});
	}

	@Override
	public List<KeyValue> incAll(List<KeyDelta> deltas) {
		List<ConditionalDelta> items = new ArrayList<>(Batches.requireList(deltas, "deltas").size());
		for (KeyDelta delta : deltas) {
			items.add(new ConditionalDelta(delta.key(), CounterComparator.nil(), delta.delta()));
		}
		return newValues(incAllIf(items));
	}

	@Override
	public List<KeyUpdate> incAllIf(List<ConditionalDelta> items) {
		for (ConditionalDelta item : Batches.requireList(items, "items")) {
			CounterOverflowException.requireInRange(item.key().value(), item.delta());
		}
		if (items.isEmpty()) {
			return List.of();
		}
		return Batches.inChunks(items, this.options.chunkSize(), this.scripts::increment);
	}

	@Override
	public List<KeyValue> setAll(List<KeyValue> values) {
		List<ConditionalValue> items = new ArrayList<>(Batches.requireList(values, "values").size());
		for (KeyValue value : values) {
			items.add(new ConditionalValue(value.key(), CounterComparator.nil(), value.value()));
		}
		return newValues(setAllIf(items));
	}

	@Override
	public List<KeyUpdate> setAllIf(List<ConditionalValue> items) {
		for (ConditionalValue item : Batches.requireList(items, "items")) {
			CounterOverflowException.requireInRange(item.key().value(), item.value());
		}
		if (items.isEmpty()) {
			return List.of();
		}
		return Batches.inChunks(items, this.options.chunkSize(), this.scripts::set);
	}

	private static List<KeyValue> newValues(List<KeyUpdate> updates) {
		List<KeyValue> rows = new ArrayList<>(updates.size());
		for (KeyUpdate update : updates) {
			rows.add(new KeyValue(update.key(), update.newValue()));
		}
		return rows;
	}

	@Override
	public String toString() {
		return "StrictCounter[prefix=" + this.options.prefix() + "]";
	}

}
