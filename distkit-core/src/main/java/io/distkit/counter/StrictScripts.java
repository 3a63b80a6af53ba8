package io.distkit.counter;

import java.util.ArrayList;
import java.util.List;

import io.distkit.RedisKey;
import io.distkit.internal.counter.CounterScriptReplies;
import io.distkit.internal.redis.LuaScript;
import io.distkit.internal.redis.ScriptErrorReply;
import io.distkit.internal.redis.ScriptRunner;

/**
 * The strict counter's scripts, each fixing its KEYS/ARGV order and decoding its reply. KEYS is always the one
 * container hash {@code {<prefix>:strict}}.
 */
final class StrictScripts {

	private static final LuaScript INC = LuaScript.load(StrictScripts.class, "counter_prelude.lua", "strict_inc.lua");

	private static final LuaScript SET = LuaScript.load(StrictScripts.class, "counter_prelude.lua", "strict_set.lua");

	private static final LuaScript GET = LuaScript.load(StrictScripts.class, "counter_prelude.lua", "strict_get.lua");

	private static final LuaScript DEL = LuaScript.load(StrictScripts.class, "counter_prelude.lua", "strict_del.lua");

	private static final LuaScript CLEAR = LuaScript.load(StrictScripts.class, "strict_clear.lua");

	private final ScriptRunner runner;

	private final List<String> container;

	StrictScripts(ScriptRunner runner, String container) {
		this.runner = runner;
		this.container = List.of(container);
	}

	/** All scripts, for resource hints and tests. */
	static List<LuaScript> all() {
		return List.of(INC, SET, GET, DEL, CLEAR);
	}

	/** strict_inc.lua — ARGV: (field, comparator, operand, delta)*; reply: (new, old)*. */
	List<KeyUpdate> increment(List<ConditionalDelta> items) {
		List<String> args = new ArrayList<>(4 * items.size());
		List<RedisKey> keys = new ArrayList<>(items.size());
		for (ConditionalDelta item : items) {
			keys.add(item.key());
			addGroup(args, item.key(), item.comparator(), item.delta());
		}
		return CounterScriptReplies.updates(run(INC, args, keys), keys, INC.name());
	}

	/** strict_set.lua — ARGV: (field, comparator, operand, value)*; reply: (new, old)*. */
	List<KeyUpdate> set(List<ConditionalValue> items) {
		List<String> args = new ArrayList<>(4 * items.size());
		List<RedisKey> keys = new ArrayList<>(items.size());
		for (ConditionalValue item : items) {
			keys.add(item.key());
			addGroup(args, item.key(), item.comparator(), item.value());
		}
		return CounterScriptReplies.updates(run(SET, args, keys), keys, SET.name());
	}

	/** strict_get.lua — ARGV: fields; reply: values. */
	long[] get(List<RedisKey> keys) {
		return CounterScriptReplies.longs(run(GET, fields(keys), keys), keys.size(), GET.name());
	}

	/** strict_del.lua — ARGV: fields; reply: values before deletion. */
	long[] delete(List<RedisKey> keys) {
		return CounterScriptReplies.longs(run(DEL, fields(keys), keys), keys.size(), DEL.name());
	}

	/** strict_clear.lua — no ARGV. */
	void clear() {
		this.runner.run(CLEAR, this.container, List.of());
	}

	private Object run(LuaScript script, List<String> args, List<RedisKey> keys) {
		try {
			return this.runner.run(script, this.container, args);
		}
		catch (ScriptErrorReply error) {
			throw CounterScriptReplies.translate(error, keys);
		}
	}

	private static void addGroup(List<String> args, RedisKey key, CounterComparator comparator, long value) {
		args.add(key.value());
		args.add(comparator.wireName());
		args.add(Long.toString(comparator.operand()));
		args.add(Long.toString(value));
	}

	private static List<String> fields(List<RedisKey> keys) {
		List<String> fields = new ArrayList<>(keys.size());
		for (RedisKey key : keys) {
			fields.add(key.value());
		}
		return fields;
	}

}
