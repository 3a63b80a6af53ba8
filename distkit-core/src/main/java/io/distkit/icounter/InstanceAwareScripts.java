package io.distkit.icounter;

import java.util.ArrayList;
import java.util.List;

import io.distkit.DistkitBackendException;
import io.distkit.NanoClock;
import io.distkit.RedisKey;
import io.distkit.counter.ConditionalDelta;
import io.distkit.counter.ConditionalValue;
import io.distkit.counter.CounterComparator;
import io.distkit.internal.counter.CounterScriptReplies;
import io.distkit.internal.counter.LaxChunk;
import io.distkit.internal.counter.LaxStore;
import io.distkit.internal.redis.LuaScript;
import io.distkit.internal.redis.ScriptErrorReply;
import io.distkit.internal.redis.ScriptRunner;

/**
 * The instance-aware counters' scripts for one instance, each fixing its KEYS/ARGV order and decoding its reply. KEYS
 * are always the eight names of {@code ia_prelude.lua} under the container's hash tag (plus the writer's applied
 * numbers for the lax writes); ARGV starts with the instance id and the dead-instance threshold in ms. Also the
 * {@link LaxStore} of the lax type. Remembers when this instance last reached Redis, for the heartbeat.
 */
final class InstanceAwareScripts implements LaxStore {

	private static final String COUNTER_PRELUDE = "/io/distkit/counter/counter_prelude.lua";

	private static final LuaScript HEARTBEAT = load("ia_heartbeat.lua");

	private static final LuaScript INC = load("ia_inc.lua");

	private static final LuaScript SET = load("ia_set.lua");

	private static final LuaScript SET_INSTANCE = load("ia_set_instance.lua");

	private static final LuaScript GET = load("ia_get.lua");

	private static final LuaScript DEL = load("ia_del.lua");

	private static final LuaScript DEL_INSTANCE = load("ia_del_instance.lua");

	private static final LuaScript CLEAR = load("ia_clear.lua");

	private static final LuaScript CLEAR_INSTANCE = load("ia_clear_instance.lua");

	private static final LuaScript LAX_FLUSH = load("lia_flush.lua");

	private static final LuaScript LAX_WRITE = load("lia_write.lua");

	private static final LuaScript LIVE = LuaScript.load(InstanceAwareScripts.class, "ia_live.lua");

	private final ScriptRunner runner;

	private final NanoClock clock;

	private final String instanceId;

	private final String threshold;

	private final List<String> keys;

	private final List<String> keysAndWriter;

	/** Clock time of the last script call that reached Redis (and so refreshed the heartbeat), 0 before the first. */
	private volatile long lastCall;

	InstanceAwareScripts(ScriptRunner runner, String tag, String instanceId, InstanceAwareOptions options) {
		this.runner = runner;
		this.clock = options.clock();
		this.instanceId = instanceId;
		this.threshold = Long.toString(options.deadInstanceThreshold().toMillis());
		this.keys = List.of(tag + ":gen", tag + ":epoch", tag + ":instances", tag + ":cumulative", tag + ":reaping",
				tag + ":slice:" + instanceId, tag + ":sliceepoch:" + instanceId, tag + ":reaped:" + instanceId);
		List<String> withWriter = new ArrayList<>(this.keys);
		withWriter.add(tag + ":w:" + instanceId);
		this.keysAndWriter = List.copyOf(withWriter);
	}

	private static LuaScript load(String file) {
		return LuaScript.load(InstanceAwareScripts.class, COUNTER_PRELUDE, "ia_prelude.lua", file);
	}

	/** All scripts, for resource hints and tests. */
	static List<LuaScript> all() {
		return List.of(HEARTBEAT, INC, SET, SET_INSTANCE, GET, DEL, DEL_INSTANCE, CLEAR, CLEAR_INSTANCE, LAX_FLUSH,
				LAX_WRITE);
	}

	/** Whether this instance ever reached Redis (and so registered). */
	boolean used() {
		return this.lastCall != 0;
	}

	/** Clock time of the last call that reached Redis. */
	long lastCall() {
		return this.lastCall;
	}

	/** What a heartbeat reported. */
	record HeartbeatReply(boolean created, boolean reapPending, boolean recoverPending) {

		boolean pending() {
			return this.reapPending || this.recoverPending;
		}

	}

	/** What a read reported: cumulatives, slices, and the indexes of keys with unusable stored values. */
	record ReadReply(long[] cumulatives, long[] slices, List<Integer> unusable) {
	}

	/** ia_heartbeat.lua — reply: created, reaping unfinished, recovery unfinished. */
	/** ia_live.lua — KEYS: the instances set; ARGV: threshold ms; reply: the number of live instances. */
	long liveInstances() {
		Object reply = this.runner.run(LIVE, List.of(this.keys.get(2)), List.of(this.threshold));
		return CounterScriptReplies.longs(reply, 1, LIVE.name())[0];
	}

	HeartbeatReply heartbeat() {
		long[] reply = CounterScriptReplies.longs(run(HEARTBEAT, this.keys, args(0), List.of()), 3,
				HEARTBEAT.name());
		return new HeartbeatReply(reply[0] == 1, reply[1] == 1, reply[2] == 1);
	}

	/** ia_inc.lua — ARGV: (field, comparator, operand, delta)*. */
	List<KeyTotalsUpdate> increment(List<ConditionalDelta> items) {
		List<String> args = args(4 * items.size());
		List<RedisKey> itemKeys = new ArrayList<>(items.size());
		for (ConditionalDelta item : items) {
			itemKeys.add(item.key());
			addGroup(args, item.key(), item.comparator(), item.delta());
		}
		return updates(run(INC, this.keys, args, itemKeys), itemKeys, 0, INC);
	}

	/** ia_set.lua — ARGV: (field, comparator, operand, value)*. */
	List<KeyTotalsUpdate> set(List<ConditionalValue> items) {
		return conditionalValues(SET, items);
	}

	/** ia_set_instance.lua — ARGV: (field, comparator, operand, value)*. */
	List<KeyTotalsUpdate> setOnInstance(List<ConditionalValue> items) {
		return conditionalValues(SET_INSTANCE, items);
	}

	private List<KeyTotalsUpdate> conditionalValues(LuaScript script, List<ConditionalValue> items) {
		List<String> args = args(4 * items.size());
		List<RedisKey> itemKeys = new ArrayList<>(items.size());
		for (ConditionalValue item : items) {
			itemKeys.add(item.key());
			addGroup(args, item.key(), item.comparator(), item.value());
		}
		return updates(run(script, this.keys, args, itemKeys), itemKeys, 0, script);
	}

	/** ia_get.lua — ARGV: fields; reply: {cumulatives}, {slices}, {unusable indexes}. */
	ReadReply read(List<RedisKey> fields) {
		List<String> args = args(fields.size());
		fields.forEach((key) -> args.add(key.value()));
		List<?> reply = array(run(GET, this.keys, args, fields), 3, GET);
		return new ReadReply(CounterScriptReplies.longs(reply.get(0), fields.size(), GET.name()),
				CounterScriptReplies.longs(reply.get(1), fields.size(), GET.name()), indexes(reply.get(2), GET));
	}

	/** ia_del.lua — ARGV: fields; reply: flat (cumulative, slice) before the deletion. */
	long[] delete(List<RedisKey> fields) {
		return fieldScript(DEL, fields);
	}

	/** ia_del_instance.lua — ARGV: fields; reply: flat (new cumulative, removed slice). */
	long[] deleteOnInstance(List<RedisKey> fields) {
		return fieldScript(DEL_INSTANCE, fields);
	}

	private long[] fieldScript(LuaScript script, List<RedisKey> fields) {
		List<String> args = args(fields.size());
		fields.forEach((key) -> args.add(key.value()));
		return CounterScriptReplies.longs(run(script, this.keys, args, fields), 2 * fields.size(), script.name());
	}

	/** ia_clear.lua — no ARGV of its own. */
	void clear() {
		run(CLEAR, this.keys, args(0), List.of());
	}

	/**
	 * ia_clear_instance.lua — ARGV: leave (0|1); one step of at most 1,000 slices.
	 * @return whether slices are left
	 */
	boolean clearOnInstanceStep(boolean leave) {
		List<String> args = args(1);
		args.add(leave ? "1" : "0");
		long[] reply = CounterScriptReplies.longs(run(CLEAR_INSTANCE, this.keys, args, List.of()), 1,
				CLEAR_INSTANCE.name());
		return reply[0] == 1;
	}

	/** lia_flush.lua — ARGV: number, lowest unconfirmed number, (field, delta)*. */
	@Override
	public FlushReply flush(LaxChunk chunk) {
		List<String> args = args(2 + 2 * chunk.size());
		args.add(Long.toString(chunk.sequence()));
		args.add(Long.toString(chunk.sequence()));
		for (int i = 0; i < chunk.size(); i++) {
			args.add(chunk.key(i).value());
			args.add(Long.toString(chunk.delta(i)));
		}
		List<?> reply = array(run(LAX_FLUSH, this.keysAndWriter, args, List.of()), 4, LAX_FLUSH);
		return new FlushReply(CounterScriptReplies.longs(reply.get(1), chunk.size(), LAX_FLUSH.name()),
				CounterScriptReplies.longs(reply.get(2), chunk.size(), LAX_FLUSH.name()),
				indexes(reply.get(3), LAX_FLUSH));
	}

	/** ia_get.lua as the lax type's load. */
	@Override
	public LoadReply load(List<RedisKey> fields) {
		ReadReply reply = read(fields);
		return new LoadReply(reply.cumulatives(), reply.slices(), reply.unusable());
	}

	/**
	 * lia_write.lua in {@code set} mode — ARGV: number, lowest unconfirmed number, "set", pair count, (field, buffered
	 * delta)*, (field, comparator, operand, value)*.
	 */
	List<KeyTotalsUpdate> laxSet(LaxChunk buffered, List<ConditionalValue> items) {
		List<String> args = laxWriteArgs(buffered, "set", 4 * items.size());
		List<RedisKey> errorKeys = bufferedKeys(buffered);
		List<RedisKey> itemKeys = new ArrayList<>(items.size());
		for (ConditionalValue item : items) {
			itemKeys.add(item.key());
			addGroup(args, item.key(), item.comparator(), item.value());
		}
		errorKeys.addAll(itemKeys);
		return updates(run(LAX_WRITE, this.keysAndWriter, args, errorKeys), itemKeys, 0, LAX_WRITE);
	}

	/**
	 * lia_write.lua in {@code del} or {@code delinst} mode — ARGV: number, lowest unconfirmed number, mode, pair
	 * count, (field, buffered delta)*, field*.
	 * @return flat pairs: (cumulative, slice) before a global deletion; (new cumulative, removed slice) for the slice
	 */
	long[] laxDelete(LaxChunk buffered, List<RedisKey> fields, boolean onInstance) {
		List<String> args = laxWriteArgs(buffered, onInstance ? "delinst" : "del", fields.size());
		fields.forEach((key) -> args.add(key.value()));
		List<RedisKey> errorKeys = bufferedKeys(buffered);
		errorKeys.addAll(fields);
		return CounterScriptReplies.longs(run(LAX_WRITE, this.keysAndWriter, args, errorKeys), 2 * fields.size(),
				LAX_WRITE.name());
	}

	private List<String> laxWriteArgs(LaxChunk buffered, String mode, int extra) {
		List<String> args = args(4 + 2 * buffered.size() + extra);
		args.add(Long.toString(buffered.sequence()));
		args.add(Long.toString(buffered.sequence()));
		args.add(mode);
		args.add(Integer.toString(buffered.size()));
		for (int i = 0; i < buffered.size(); i++) {
			args.add(buffered.key(i).value());
			args.add(Long.toString(buffered.delta(i)));
		}
		return args;
	}

	private static List<RedisKey> bufferedKeys(LaxChunk buffered) {
		List<RedisKey> keys = new ArrayList<>();
		for (int i = 0; i < buffered.size(); i++) {
			keys.add(buffered.key(i));
		}
		return keys;
	}

	private List<String> args(int extra) {
		List<String> args = new ArrayList<>(2 + extra);
		args.add(this.instanceId);
		args.add(this.threshold);
		return args;
	}

	private Object run(LuaScript script, List<String> scriptKeys, List<String> args, List<RedisKey> errorKeys) {
		try {
			Object reply = this.runner.run(script, scriptKeys, args);
			touched();
			return reply;
		}
		catch (ScriptErrorReply error) {
			touched(); // the heartbeat part of the script ran
			throw CounterScriptReplies.translate(error, errorKeys);
		}
	}

	private void touched() {
		long now = this.clock.nanoTime();
		this.lastCall = (now != 0) ? now : 1;
	}

	private static void addGroup(List<String> args, RedisKey key, CounterComparator comparator, long value) {
		args.add(key.value());
		args.add(comparator.wireName());
		args.add(Long.toString(comparator.operand()));
		args.add(Long.toString(value));
	}

	private static List<KeyTotalsUpdate> updates(Object reply, List<RedisKey> itemKeys, int offset, LuaScript script) {
		long[] values = CounterScriptReplies.longs(reply, 4 * itemKeys.size(), script.name());
		List<KeyTotalsUpdate> rows = new ArrayList<>(itemKeys.size());
		for (int i = 0; i < itemKeys.size(); i++) {
			int at = offset + 4 * i;
			rows.add(new KeyTotalsUpdate(itemKeys.get(i), new Totals(values[at], values[at + 1]),
					new Totals(values[at + 2], values[at + 3])));
		}
		return rows;
	}

	private static List<?> array(Object reply, int size, LuaScript script) {
		if (reply instanceof List<?> list && list.size() == size) {
			return list;
		}
		throw new DistkitBackendException("Unexpected reply of " + script.name() + ": " + reply);
	}

	private static List<Integer> indexes(Object reply, LuaScript script) {
		if (!(reply instanceof List<?> list)) {
			throw new DistkitBackendException("Unexpected reply of " + script.name() + ": " + reply);
		}
		List<Integer> indexes = new ArrayList<>(list.size());
		for (Object index : list) {
			indexes.add((int) CounterScriptReplies.toLong(index, script.name()));
		}
		return indexes;
	}

}
