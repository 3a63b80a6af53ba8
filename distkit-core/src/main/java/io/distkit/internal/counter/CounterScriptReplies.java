package io.distkit.internal.counter;

import java.util.ArrayList;
import java.util.List;

import io.distkit.CounterOverflowException;
import io.distkit.DistkitBackendException;
import io.distkit.RedisKey;
import io.distkit.counter.KeyUpdate;
import io.distkit.internal.redis.ScriptErrorReply;

/**
 * Decodes the replies and error replies that counter scripts share (see {@code counter_prelude.lua}). Not part of the
 * public API.
 */
public final class CounterScriptReplies {

	private CounterScriptReplies() {
	}

	/** Decodes an array of integers. */
	public static long[] longs(Object reply, int expected, String script) {
		if (!(reply instanceof List<?> list) || list.size() != expected) {
			throw new DistkitBackendException("Unexpected reply of " + script + ": expected " + expected
					+ " integers, got " + describe(reply));
		}
		long[] values = new long[expected];
		for (int i = 0; i < expected; i++) {
			values[i] = toLong(list.get(i), script);
		}
		return values;
	}

	/** Decodes the flat (new, old) pairs of a conditional write into updates, one per key. */
	public static List<KeyUpdate> updates(Object reply, List<RedisKey> keys, String script) {
		long[] values = longs(reply, 2 * keys.size(), script);
		List<KeyUpdate> updates = new ArrayList<>(keys.size());
		for (int i = 0; i < keys.size(); i++) {
			updates.add(new KeyUpdate(keys.get(i), values[2 * i], values[2 * i + 1]));
		}
		return updates;
	}

	public static long toLong(Object value, String script) {
		if (value instanceof Long number) {
			return number;
		}
		throw new DistkitBackendException("Unexpected reply of " + script + ": expected an integer, got "
				+ describe(value));
	}

	/**
	 * Turns a counter script's error reply into the exception the counter contract names.
	 * @param error the error reply
	 * @param keys the keys of the chunk, by item index
	 * @return the exception to throw
	 */
	public static RuntimeException translate(ScriptErrorReply error, List<RedisKey> keys) {
		String key = keyOf(error, keys);
		switch (error.code()) {
			case "OVERFLOW":
				if (error.fieldCount() == 3) {
					long sum = Math.addExact(Long.parseLong(error.field(1)), Long.parseLong(error.field(2)));
					return new CounterOverflowException(key, Long.toString(sum));
				}
				return new CounterOverflowException(key, error.field(1));
			case "NOTINTEGER":
				return new DistkitBackendException("Stored value of counter key \"" + key
						+ "\" is not a decimal integer (value=\"" + error.field(1) + "\")", error);
			default:
				return new DistkitBackendException(error.getMessage(), error);
		}
	}

	private static String keyOf(ScriptErrorReply error, List<RedisKey> keys) {
		try {
			return keys.get(Integer.parseInt(error.field(0))).value();
		}
		catch (RuntimeException ex) {
			return "?";
		}
	}

	private static String describe(Object value) {
		return (value != null) ? value.getClass().getSimpleName() + " " + value : "nil";
	}

}
