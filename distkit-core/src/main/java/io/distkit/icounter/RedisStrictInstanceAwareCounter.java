package io.distkit.icounter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.distkit.CounterOverflowException;
import io.distkit.DistkitBackendException;
import io.distkit.RedisKey;
import io.distkit.counter.ConditionalDelta;
import io.distkit.counter.ConditionalValue;
import io.distkit.counter.CounterComparator;
import io.distkit.counter.KeyDelta;
import io.distkit.counter.KeyValue;
import io.distkit.internal.counter.Batches;
import io.distkit.internal.redis.ScriptRunner;

/**
 * {@link StrictInstanceAwareCounter} on Redis: every operation one script call per chunk on {@code {<prefix>:ia}}, a
 * heartbeat on a thread of its own. Keeps no local state: staleness and recovery are decided in Redis.
 */
final class RedisStrictInstanceAwareCounter implements StrictInstanceAwareCounter {

	private static final Log logger = LogFactory.getLog(RedisStrictInstanceAwareCounter.class);

	private final InstanceAwareOptions options;

	private final String instanceId;

	private final InstanceAwareScripts scripts;

	private final Heartbeat heartbeat;

	private final ScheduledExecutorService scheduler;

	private final String name;

	private volatile boolean closed;

	RedisStrictInstanceAwareCounter(ScriptRunner runner, InstanceAwareOptions options) {
		this.options = options;
		this.instanceId = InstanceIds.next(options.instanceIdPrefix());
		this.name = "strict instance-aware counter " + options.prefix() + " (instance " + this.instanceId + ")";
		this.scripts = new InstanceAwareScripts(runner, InstanceAwareKeys.strictTag(options.prefix()), this.instanceId,
				options);
		this.heartbeat = new Heartbeat(this.scripts, options, this.name);
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "distkit-ia-heartbeat-" + options.prefix());
			thread.setDaemon(true);
			return thread;
		});
		long period = options.heartbeat().toNanos();
		this.scheduler.scheduleWithFixedDelay(this.heartbeat::tick, period, period, TimeUnit.NANOSECONDS);
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

	@Override
	public Totals inc(RedisKey key, long delta) {
		return incIf(key, CounterComparator.nil(), delta).newTotals();
	}

	@Override
	public TotalsUpdate incIf(RedisKey key, CounterComparator comparator, long delta) {
		return single(incAllIf(List.of(new ConditionalDelta(key, comparator, delta))));
	}

	@Override
	public Totals get(RedisKey key) {
		Batches.requireKey(key);
		return getAll(List.of(key)).get(0).totals();
	}

	@Override
	public Totals set(RedisKey key, long value) {
		return setIf(key, CounterComparator.nil(), value).newTotals();
	}

	@Override
	public TotalsUpdate setIf(RedisKey key, CounterComparator comparator, long value) {
		return single(setAllIf(List.of(new ConditionalValue(key, comparator, value))));
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
	public Totals del(RedisKey key) {
		checkOpen();
		Batches.requireKey(key);
		long[] reply = this.scripts.delete(List.of(key));
		return new Totals(reply[0], reply[1]);
	}

	@Override
	public Totals delOnInstance(RedisKey key) {
		checkOpen();
		Batches.requireKey(key);
		long[] reply = this.scripts.deleteOnInstance(List.of(key));
		return new Totals(reply[0], reply[1]);
	}

	@Override
	public void clear() {
		checkOpen();
		this.scripts.clear();
	}

	@Override
	public void clearOnInstance() {
		checkOpen();
		removeSlices(false);
	}

	private void removeSlices(boolean leave) {
		while (this.scripts.clearOnInstanceStep(leave)) {
			// at most 1,000 slices per call
		}
	}

	@Override
	public List<KeyTotals> getAll(List<RedisKey> keys) {
		checkOpen();
		Batches.requireList(keys, "keys").forEach(Batches::requireKey);
		if (keys.isEmpty()) {
			return List.of();
		}
		return Batches.inChunks(keys, this.options.chunkSize(), (chunk) -> {
			InstanceAwareScripts.ReadReply reply = this.scripts.read(chunk);
			if (!reply.unusable().isEmpty()) {
				RedisKey bad = chunk.get(reply.unusable().get(0));
				throw new DistkitBackendException("Stored value of instance-aware counter key \""
						+ DistkitBackendException.abbreviate(bad.value()) + "\" is not an integer within ±"
						+ CounterOverflowException.MAX_VALUE);
			}
			List<KeyTotals> rows = new ArrayList<>(chunk.size());
			for (int i = 0; i < chunk.size(); i++) {
				rows.add(new KeyTotals(chunk.get(i), reply.cumulatives()[i], reply.slices()[i]));
			}
			return rows;
		});
	}

	@Override
	public List<KeyValue> getAllOnInstance(List<RedisKey> keys) {
		List<KeyTotals> rows = getAll(keys);
		List<KeyValue> slices = new ArrayList<>(rows.size());
		rows.forEach((row) -> slices.add(new KeyValue(row.key(), row.slice())));
		return slices;
	}

	@Override
	public List<KeyTotals> incAll(List<KeyDelta> deltas) {
		List<ConditionalDelta> items = new ArrayList<>(Batches.requireList(deltas, "deltas").size());
		for (KeyDelta delta : deltas) {
			items.add(new ConditionalDelta(delta.key(), CounterComparator.nil(), delta.delta()));
		}
		return newTotals(incAllIf(items));
	}

	@Override
	public List<KeyTotalsUpdate> incAllIf(List<ConditionalDelta> items) {
		checkOpen();
		for (ConditionalDelta item : Batches.requireList(items, "items")) {
			CounterOverflowException.requireInRange(item.key().value(), item.delta());
		}
		if (items.isEmpty()) {
			return List.of();
		}
		return Batches.inChunks(items, this.options.chunkSize(), this.scripts::increment);
	}

	@Override
	public List<KeyTotals> setAll(List<KeyValue> values) {
		return newTotals(setAllIf(unconditional(values)));
	}

	@Override
	public List<KeyTotalsUpdate> setAllIf(List<ConditionalValue> items) {
		checkValues(items);
		if (items.isEmpty()) {
			return List.of();
		}
		return Batches.inChunks(items, this.options.chunkSize(), this.scripts::set);
	}

	@Override
	public List<KeyTotals> setAllOnInstance(List<KeyValue> values) {
		return newTotals(setAllOnInstanceIf(unconditional(values)));
	}

	@Override
	public List<KeyTotalsUpdate> setAllOnInstanceIf(List<ConditionalValue> items) {
		checkValues(items);
		if (items.isEmpty()) {
			return List.of();
		}
		return Batches.inChunks(items, this.options.chunkSize(), this.scripts::setOnInstance);
	}

	@Override
	public void heartbeat() {
		checkOpen();
		this.heartbeat.beat();
	}

	/** Test hook: stops the heartbeat without touching Redis, as a crash would (the slices stay until reaped). */
	void abandon() {
		this.closed = true;
		this.scheduler.shutdownNow();
	}

	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		if (!this.options.removeOnClose() || !this.scripts.used()) {
			this.scheduler.shutdownNow();
			return;
		}
		Future<?> removal = this.scheduler.submit(() -> removeSlices(true));
		this.scheduler.shutdown(); // cancels the heartbeat, runs the removal
		try {
			removal.get(this.options.shutdownTimeout().toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			logger.error("distkit " + this.name + ": removing the instance's slices did not finish within "
					+ this.options.shutdownTimeout() + "; the rest is removed when the instance is reaped");
		}
		catch (ExecutionException ex) {
			logger.error("distkit " + this.name + ": removing the instance's slices failed; they are removed when the"
					+ " instance is reaped: " + ex.getCause().getMessage());
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
		return "StrictInstanceAwareCounter[prefix=" + this.options.prefix() + ", instanceId=" + this.instanceId + "]";
	}

	private void checkValues(List<ConditionalValue> items) {
		checkOpen();
		for (ConditionalValue item : Batches.requireList(items, "items")) {
			CounterOverflowException.requireInRange(item.key().value(), item.value());
		}
	}

	private void checkOpen() {
		if (this.closed) {
			throw new IllegalStateException("distkit " + this.name + " is closed");
		}
	}

	private static TotalsUpdate single(List<KeyTotalsUpdate> rows) {
		KeyTotalsUpdate row = rows.get(0);
		return new TotalsUpdate(row.newTotals(), row.oldTotals());
	}

	static List<ConditionalValue> unconditional(List<KeyValue> values) {
		List<ConditionalValue> items = new ArrayList<>(Batches.requireList(values, "values").size());
		for (KeyValue value : values) {
			items.add(new ConditionalValue(value.key(), CounterComparator.nil(), value.value()));
		}
		return items;
	}

	static List<KeyTotals> newTotals(List<KeyTotalsUpdate> updates) {
		List<KeyTotals> rows = new ArrayList<>(updates.size());
		for (KeyTotalsUpdate update : updates) {
			rows.add(new KeyTotals(update.key(), update.newTotals().cumulative(), update.newTotals().slice()));
		}
		return rows;
	}

}
