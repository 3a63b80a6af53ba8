package io.distkit.ratelimit.redis;

import java.util.List;

import io.distkit.DistkitBackendException;
import io.distkit.internal.redis.LuaScript;

/** The rate-limit scripts and their reply decoding. Every script's KEYS are the entity's {@code h} and {@code a}. */
final class RedisLimitScripts {

	private static final String COUNTER_PRELUDE = "/io/distkit/counter/counter_prelude.lua";

	/** The absolute strategy, its common case first ({@code rl_absolute_fast.lua}, before the preludes). */
	static final LuaScript ABSOLUTE = LuaScript.load(RedisLimitScripts.class, "rl_absolute_fast.lua", COUNTER_PRELUDE,
			"window_prelude.lua", "rl_absolute.lua");

	static final LuaScript SUPPRESSED = load("rl_suppressed.lua");

	static final LuaScript SET = load("rl_set.lua");

	static final LuaScript SYNC = load("rl_sync.lua");

	private RedisLimitScripts() {
	}

	private static LuaScript load(String name) {
		return LuaScript.load(RedisLimitScripts.class, COUNTER_PRELUDE, "window_prelude.lua", name);
	}

	static List<LuaScript> all() {
		return List.of(ABSOLUTE, SUPPRESSED, SET, SYNC);
	}

	static List<?> array(Object reply, LuaScript script) {
		if (reply instanceof List<?> list && !list.isEmpty()) {
			return list;
		}
		throw new DistkitBackendException("Unexpected reply of " + script.name() + ": " + reply);
	}

	static long longAt(List<?> reply, int index, LuaScript script) {
		Object value = reply.get(index);
		if (value instanceof Long number) {
			return number;
		}
		throw new DistkitBackendException("Unexpected reply of " + script.name() + ": " + reply);
	}

	static double doubleAt(List<?> reply, int index, LuaScript script) {
		Object value = reply.get(index);
		try {
			if (value instanceof Long number) {
				return number;
			}
			if (value instanceof String text) {
				return Double.parseDouble(text);
			}
		}
		catch (NumberFormatException ex) {
			// fall through
		}
		throw new DistkitBackendException("Unexpected reply of " + script.name() + ": " + reply);
	}

}
