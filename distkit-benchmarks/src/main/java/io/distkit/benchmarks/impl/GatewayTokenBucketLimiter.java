package io.distkit.benchmarks.impl;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import io.distkit.benchmarks.BasicLimiter;
import io.distkit.benchmarks.CounterKey;

/**
 * A token bucket decided in one Lua call, the way Spring Cloud Gateway's Redis rate limiter works: two GETs (tokens,
 * last refill time), the refill computed from the elapsed time, two SETEXs. Written for this benchmark; sent with
 * {@code EVALSHA} through one shared Lettuce connection.
 */
public final class GatewayTokenBucketLimiter implements BasicLimiter {

	static final String SCRIPT = """
			local now = redis.call('TIME')
			local t = tonumber(now[1]) + tonumber(now[2]) / 1000000
			local rate, capacity = tonumber(ARGV[1]), tonumber(ARGV[2])
			local ttl = math.floor(capacity / rate * 2) + 1
			local tokens = tonumber(redis.call('GET', KEYS[1])) or capacity
			local last = tonumber(redis.call('GET', KEYS[2])) or 0
			local filled = math.min(capacity, tokens + math.max(0, t - last) * rate)
			local allowed = 0
			if filled >= 1 then
			  filled = filled - 1
			  allowed = 1
			end
			redis.call('SETEX', KEYS[1], ttl, filled)
			redis.call('SETEX', KEYS[2], ttl, t)
			return allowed
			""";

	private final RedisCommands<String, String> commands;

	private final String sha;

	private final String prefix;

	private final String rate;

	private final String capacity;

	public GatewayTokenBucketLimiter(StatefulRedisConnection<String, String> connection, String prefix,
			long capacityPerTenSeconds) {
		this.commands = connection.sync();
		this.sha = this.commands.scriptLoad(SCRIPT);
		this.prefix = prefix;
		this.rate = Double.toString(capacityPerTenSeconds / 10.0);
		this.capacity = Long.toString(capacityPerTenSeconds);
	}

	@Override
	public boolean tryAcquire(CounterKey key) {
		String tag = this.prefix + ":gw:{" + key.name() + "}";
		Long allowed = this.commands.evalsha(this.sha, ScriptOutputType.INTEGER,
				new String[] { tag + ":tokens", tag + ":ts" }, this.rate, this.capacity);
		return allowed == 1;
	}

}
