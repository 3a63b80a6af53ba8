package io.distkit.counter;

import io.distkit.RedisKey;

/**
 * Names of the Redis keys of counters. Every key of one counter namespace shares one hash tag, so every script works
 * on Redis Cluster. The full layout is in {@code docs/redis-layout.md}.
 */
final class CounterKeys {

	private CounterKeys() {
	}

	/** The strict counter hash {@code {<prefix>:strict}}. */
	static String strictContainer(RedisKey prefix) {
		return "{" + prefix.value() + ":strict}";
	}

	/** The lax counter hash {@code {<prefix>:lax}}. */
	static String laxContainer(RedisKey prefix) {
		return "{" + prefix.value() + ":lax}";
	}

	/** The applied chunk numbers of one lax writer, {@code {<prefix>:lax}:w:<writerId>}. */
	static String laxWriter(RedisKey prefix, String writerId) {
		return laxContainer(prefix) + ":w:" + writerId;
	}

}
