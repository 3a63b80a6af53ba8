package io.distkit.counter;

import java.util.ArrayList;
import java.util.List;

import io.distkit.DistkitBackendException;
import io.distkit.RedisKey;
import io.distkit.internal.counter.CounterScriptReplies;
import io.distkit.internal.counter.LaxChunk;
import io.distkit.internal.counter.LaxStore;
import io.distkit.internal.redis.LuaScript;
import io.distkit.internal.redis.ScriptErrorReply;
import io.distkit.internal.redis.ScriptRunner;

/**
 * The lax counter's scripts, each fixing its KEYS/ARGV order and decoding its reply. KEYS are the container hash
 * {@code {<prefix>:lax}} and, for writes, the writer's applied numbers {@code {<prefix>:lax}:w:<writerId>}.
 */
final class LaxScripts implements LaxStore {

	private static final LuaScript FLUSH = LuaScript.load(LaxScripts.class, "counter_prelude.lua", "lax_flush.lua");

	private static final LuaScript GET = LuaScript.load(LaxScripts.class, "counter_prelude.lua", "lax_get.lua");

	private static final LuaScript WRITE = LuaScript.load(LaxScripts.class, "counter_prelude.lua", "lax_write.lua");

	private static final LuaScript CLEAR = LuaScript.load(LaxScripts.class, "lax_clear.lua");

	private final ScriptRunner runner;

	private final List<String> container;

	private final List<String> containerAndWriter;

	LaxScripts(ScriptRunner runner, String container, String writer) {
		this.runner = runner;
		this.container = List.of(container);
		this.containerAndWriter = List.of(container, writer);
	}

	static List<LuaScript> all() {
		return List.of(FLUSH, GET, WRITE, CLEAR);
	}

	/**
	 * lax_flush.lua — ARGV: number, lowest unconfirmed number, (field, delta)*; reply: replayed, values, refused.
	 */
	@Override
	public FlushReply flush(LaxChunk chunk) {
		List<String> args = new ArrayList<>(2 + 2 * chunk.size());
		args.add(Long.toString(chunk.sequence()));
		args.add(Long.toString(chunk.sequence()));
		for (int i = 0; i < chunk.size(); i++) {
			args.add(chunk.key(i).value());
			args.add(Long.toString(chunk.delta(i)));
		}
		List<?> reply = array(this.runner.run(FLUSH, this.containerAndWriter, args), 3, FLUSH);
		long[] values = CounterScriptReplies.longs(reply.get(1), chunk.size(), FLUSH.name());
		return new FlushReply(values, null, indexes(reply.get(2), FLUSH));
	}

	/** lax_get.lua — ARGV: fields. */
	@Override
	public LoadReply load(List<RedisKey> keys) {
		List<String> args = new ArrayList<>(keys.size());
		for (RedisKey key : keys) {
			args.add(key.value());
		}
		List<?> reply = array(this.runner.run(GET, this.container, args), 2, GET);
		return new LoadReply(CounterScriptReplies.longs(reply.get(0), keys.size(), GET.name()), null,
				indexes(reply.get(1), GET));
	}

	/**
	 * lax_write.lua in {@code set} mode — ARGV: number, lowest unconfirmed number, "set", (field, buffered delta,
	 * comparator, operand, value)*.
	 */
	List<KeyUpdate> set(long sequence, List<ConditionalValue> items, long[] buffered) {
		List<String> args = new ArrayList<>(3 + 5 * items.size());
		args.add(Long.toString(sequence));
		args.add(Long.toString(sequence));
		args.add("set");
		List<RedisKey> keys = new ArrayList<>(items.size());
		for (int i = 0; i < items.size(); i++) {
			ConditionalValue item = items.get(i);
			keys.add(item.key());
			args.add(item.key().value());
			args.add(Long.toString(buffered[i]));
			args.add(item.comparator().wireName());
			args.add(Long.toString(item.comparator().operand()));
			args.add(Long.toString(item.value()));
		}
		return CounterScriptReplies.updates(runTranslated(WRITE, this.containerAndWriter, args, keys), keys,
				WRITE.name());
	}

	/** lax_write.lua in {@code del} mode — ARGV: number, lowest unconfirmed number, "del", (field, buffered delta)*. */
	long[] delete(long sequence, List<RedisKey> keys, long[] buffered) {
		List<String> args = new ArrayList<>(3 + 2 * keys.size());
		args.add(Long.toString(sequence));
		args.add(Long.toString(sequence));
		args.add("del");
		for (int i = 0; i < keys.size(); i++) {
			args.add(keys.get(i).value());
			args.add(Long.toString(buffered[i]));
		}
		return CounterScriptReplies.longs(runTranslated(WRITE, this.containerAndWriter, args, keys), keys.size(),
				WRITE.name());
	}

	/** lax_clear.lua — no ARGV. */
	void clear() {
		this.runner.run(CLEAR, this.container, List.of());
	}

	private Object runTranslated(LuaScript script, List<String> keys, List<String> args, List<RedisKey> items) {
		try {
			return this.runner.run(script, keys, args);
		}
		catch (ScriptErrorReply error) {
			throw CounterScriptReplies.translate(error, items);
		}
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
