package io.distkit.benchmarks.impl;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import io.distkit.benchmarks.BasicCounter;
import io.distkit.benchmarks.CounterKey;

/**
 * The floor of a strict increment: {@code EVALSHA} of a one-line {@code HINCRBY} script on one hash, sent through
 * one Lettuce connection that every thread shares (sync API). No validation, no overflow check, no circuit breaker:
 * one Redis round trip and nothing else.
 */
public final class LettuceEvalshaCounter implements BasicCounter {

	/** KEYS[1] the hash, ARGV[1] the field, ARGV[2] the increment; replies the new value. */
	static final String SCRIPT = "return redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])";

	private static final String ONE = "1";

	private final RedisCommands<String, String> commands;

	private final String sha;

	private final String[] hash;

	public LettuceEvalshaCounter(StatefulRedisConnection<String, String> connection, String prefix) {
		this.commands = connection.sync();
		this.sha = this.commands.scriptLoad(SCRIPT);
		this.hash = new String[] { prefix + ":evalsha" };
	}

	@Override
	public long inc(CounterKey key) {
		Long value = this.commands.evalsha(this.sha, ScriptOutputType.INTEGER, this.hash, key.name(), ONE);
		return value;
	}

}
