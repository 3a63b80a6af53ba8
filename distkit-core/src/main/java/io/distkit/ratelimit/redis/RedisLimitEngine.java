package io.distkit.ratelimit.redis;

import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

import io.distkit.RedisBackend;
import io.distkit.RedisKey;
import io.distkit.counter.CounterComparator;
import io.distkit.internal.redis.LuaScript;
import io.distkit.internal.redis.ScriptRunner;
import io.distkit.ratelimit.ConditionalSetOutcome;
import io.distkit.ratelimit.HistoryPreservation;
import io.distkit.ratelimit.LimitEngine;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.RateLimitDecision.Allowed;
import io.distkit.ratelimit.RateLimitDecision.Rejected;
import io.distkit.ratelimit.RateLimitDecision.Suppressed;
import io.distkit.ratelimit.RateLimitKeys;
import io.distkit.ratelimit.Usage;

/**
 * The Redis provider: every decision is one atomic Lua script on Redis time, so every process sharing the Redis
 * shares the limit exactly. An entity (limit, key, strategy) is a hash and a sorted set under one hash tag
 * {@code {<limit>:<key>}}, both expiring window + bucket + 1 s after their newest bucket; there is no cleanup loop.
 * The suppressed strategy's uniform draw is made here and passed to the script.
 *
 * <p>Thread-safe.
 *
 * @since 0.1.0
 */
public final class RedisLimitEngine implements LimitEngine {

	private final ScriptRunner runner;

	private final String prefix;

	private final RandomGenerator random;

	/**
	 * Creates a Redis provider.
	 * @param backend the Redis backend
	 * @param prefix the namespace of every key
	 * @param random the uniform draws of the suppressed strategy
	 */
	public RedisLimitEngine(RedisBackend backend, RedisKey prefix, RandomGenerator random) {
		this.runner = backend.scriptRunner();
		this.prefix = prefix.value();
		this.random = random;
	}

	@Override
	public RateLimitDecision inc(RateLimit limit, String key, long count) {
		return decide(limit, key, count, "inc");
	}

	@Override
	public RateLimitDecision incDetailed(RateLimit limit, String key, long count) {
		return decide(limit, key, count, "detailed");
	}

	@Override
	public RateLimitDecision isAllowed(RateLimit limit, String key) {
		return decide(limit, key, 1, "check");
	}

	private RateLimitDecision decide(RateLimit limit, String key, long count, String mode) {
		if (limit.strategy() == RateLimit.Strategy.ABSOLUTE) {
			List<?> reply = run(RedisLimitScripts.ABSOLUTE, limit, key,
					List.of(mode, bucketMs(limit), n(limit), capacity(limit), Long.toString(count)));
			return absoluteDecision(reply, limit);
		}
		double u = "inc".equals(mode) || "detailed".equals(mode) ? this.random.nextDouble() : 0.0;
		List<?> reply = run(RedisLimitScripts.SUPPRESSED, limit, key,
				List.of(mode, bucketMs(limit), n(limit), soft(limit), hard(limit), Long.toString(count),
						Double.toString(u), Long.toString(limit.suppressionFactorCache().toMillis())));
		long status = RedisLimitScripts.longAt(reply, 0, RedisLimitScripts.SUPPRESSED);
		if (status == 0) {
			return (reply.size() == 3) ? Allowed.of(RedisLimitScripts.longAt(reply, 1, RedisLimitScripts.SUPPRESSED),
					Duration.ofMillis(RedisLimitScripts.longAt(reply, 2, RedisLimitScripts.SUPPRESSED)))
					: Allowed.ADMITTED;
		}
		return Suppressed.of(RedisLimitScripts.doubleAt(reply, 1, RedisLimitScripts.SUPPRESSED),
				RedisLimitScripts.longAt(reply, 2, RedisLimitScripts.SUPPRESSED) == 1);
	}

	private static RateLimitDecision absoluteDecision(List<?> reply, RateLimit limit) {
		LuaScript script = RedisLimitScripts.ABSOLUTE;
		long status = RedisLimitScripts.longAt(reply, 0, script);
		if (status == 0) {
			return (reply.size() == 3) ? Allowed.of(RedisLimitScripts.longAt(reply, 1, script),
					Duration.ofMillis(RedisLimitScripts.longAt(reply, 2, script))) : Allowed.ADMITTED;
		}
		return new Rejected(limit.window(), Duration.ofMillis(RedisLimitScripts.longAt(reply, 1, script)),
				RedisLimitScripts.longAt(reply, 2, script));
	}

	@Override
	public Usage get(RateLimit limit, String key) {
		if (limit.strategy() == RateLimit.Strategy.ABSOLUTE) {
			List<?> reply = run(RedisLimitScripts.ABSOLUTE, limit, key,
					List.of("get", bucketMs(limit), n(limit), capacity(limit), "0"));
			return new Usage(RedisLimitScripts.longAt(reply, 0, RedisLimitScripts.ABSOLUTE), 0, 0.0);
		}
		List<?> reply = run(RedisLimitScripts.SUPPRESSED, limit, key, List.of("get", bucketMs(limit), n(limit),
				soft(limit), hard(limit), "0", "0", Long.toString(limit.suppressionFactorCache().toMillis())));
		return new Usage(RedisLimitScripts.longAt(reply, 0, RedisLimitScripts.SUPPRESSED),
				RedisLimitScripts.longAt(reply, 1, RedisLimitScripts.SUPPRESSED),
				RedisLimitScripts.doubleAt(reply, 2, RedisLimitScripts.SUPPRESSED));
	}

	@Override
	public double suppressionFactor(RateLimit limit, String key) {
		if (limit.strategy() == RateLimit.Strategy.ABSOLUTE) {
			return 0.0;
		}
		List<?> reply = run(RedisLimitScripts.SUPPRESSED, limit, key, List.of("factor", bucketMs(limit), n(limit),
				soft(limit), hard(limit), "0", "0", Long.toString(limit.suppressionFactorCache().toMillis())));
		return RedisLimitScripts.doubleAt(reply, 0, RedisLimitScripts.SUPPRESSED);
	}

	@Override
	public ConditionalSetOutcome setIf(RateLimit limit, String key, CounterComparator comparator, long count,
			HistoryPreservation preservation) {
		List<?> reply = run(RedisLimitScripts.SET, limit, key,
				List.of(bucketMs(limit), n(limit), comparator.wireName(), Long.toString(comparator.operand()),
						Long.toString(count), history(preservation),
						(limit.strategy() == RateLimit.Strategy.SUPPRESSED) ? "1" : "0"));
		return new ConditionalSetOutcome(RedisLimitScripts.longAt(reply, 0, RedisLimitScripts.SET) == 1,
				RedisLimitScripts.longAt(reply, 1, RedisLimitScripts.SET),
				RedisLimitScripts.longAt(reply, 2, RedisLimitScripts.SET));
	}

	@Override
	public void refund(RateLimit limit, String key, long count) {
		if (limit.strategy() == RateLimit.Strategy.ABSOLUTE) {
			run(RedisLimitScripts.ABSOLUTE, limit, key,
					List.of("refund", bucketMs(limit), n(limit), capacity(limit), Long.toString(count)));
		}
		else {
			run(RedisLimitScripts.SUPPRESSED, limit, key, List.of("refund", bucketMs(limit), n(limit),
					soft(limit), hard(limit), Long.toString(count), "0",
					Long.toString(limit.suppressionFactorCache().toMillis())));
		}
	}

	@Override
	public long size() {
		return 0;
	}

	@Override
	public void close() {
	}

	private List<?> run(LuaScript script, RateLimit limit, String key, List<String> args) {
		return RedisLimitScripts.array(this.runner.run(script, entityKeys(this.prefix, limit, key), args), script);
	}

	/**
	 * The entity's two keys: {@code <prefix>:rl:{<limit>:<encoded key>}:<strategy>:h} and {@code …:a}. Shared with the
	 * hybrid provider, which keeps the same data model.
	 * @param prefix the namespace
	 * @param limit the limit
	 * @param key the caller's key (encoded here)
	 * @return the hash and the sorted set
	 */
	public static List<String> entityKeys(String prefix, RateLimit limit, String key) {
		String base = prefix + ":rl:{" + limit.name() + ":" + RateLimitKeys.encode(key) + "}:"
				+ ((limit.strategy() == RateLimit.Strategy.ABSOLUTE) ? "absolute" : "suppressed") + ":";
		return List.of(base + "h", base + "a");
	}

	/** The hybrid provider's commit-and-read script, {@code rl_sync.lua}. Not part of the public API. */
	public static LuaScript syncScript() {
		return RedisLimitScripts.SYNC;
	}

	static String bucketMs(RateLimit limit) {
		return Long.toString(limit.bucket().toMillis());
	}

	static String n(RateLimit limit) {
		return Integer.toString(limit.windowBuckets());
	}

	static String capacity(RateLimit limit) {
		return limit.isUnlimited() ? "-1" : Long.toString(limit.capacity());
	}

	static String soft(RateLimit limit) {
		return Long.toString(Math.min(limit.capacity(), RateLimit.MAX_COUNT));
	}

	static String hard(RateLimit limit) {
		return (limit.hardCapacity() > RateLimit.MAX_COUNT) ? Long.toString(RateLimit.MAX_COUNT)
				: Long.toString(limit.hardCapacity());
	}

	private static String history(HistoryPreservation preservation) {
		if (preservation == null) {
			return "replace";
		}
		return (preservation == HistoryPreservation.PRESERVE_NEWEST) ? "preserve_newest" : "preserve_oldest";
	}

}
