package io.distkit.internal.redis;

import java.util.List;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.RedisTemplate;

import io.distkit.CircuitState;
import io.distkit.DistkitBackendException;

/**
 * Runs distkit's Lua scripts through one {@link RedisTemplate} ({@code EVALSHA}, {@code EVAL} after
 * {@code NOSCRIPT}) behind one {@link CircuitBreaker}, and turns every failure into a distkit exception. Not part of
 * the public API.
 *
 * <p>Thread-safe.
 */
public final class ScriptRunner {


	private final RedisTemplate<String, String> template;

	private final CircuitBreaker circuitBreaker;

	public ScriptRunner(RedisTemplate<String, String> template, CircuitBreaker circuitBreaker) {
		this.template = template;
		this.circuitBreaker = circuitBreaker;
	}

	/**
	 * Runs {@code script} with {@code keys} and {@code args}. Integer replies arrive as {@link Long}, bulk strings as
	 * {@link String}, arrays as {@link List}.
	 * @param script the script
	 * @param keys its KEYS
	 * @param args its ARGV
	 * @return the decoded reply, {@code null} for a nil reply
	 * @throws DistkitBackendException if Redis failed, timed out or the breaker is open
	 * @throws ScriptErrorReply if the script answered with a distkit error reply
	 */
	public Object run(LuaScript script, List<String> keys, List<String> args) {
		boolean probe = this.circuitBreaker.acquire();
		boolean reported = false;
		try {
			Object reply = this.template.execute(script.redisScript(), keys, args.toArray());
			this.circuitBreaker.onSuccess();
			reported = true;
			return reply;
		}
		catch (DataAccessException | io.lettuce.core.RedisException ex) {
			RedisFailure failure = RedisFailure.classify(ex);
			if (failure.unavailable()) {
				this.circuitBreaker.onFailure(probe);
			}
			else {
				this.circuitBreaker.onSuccess();
			}
			reported = true;
			throw failure.toException(script.name());
		}
		finally {
			if (probe && !reported) {
				this.circuitBreaker.releaseProbe();
			}
		}
	}

	public CircuitState circuitState() {
		return this.circuitBreaker.state();
	}

	public CircuitBreaker circuitBreaker() {
		return this.circuitBreaker;
	}

	public RedisTemplate<String, String> template() {
		return this.template;
	}

}
