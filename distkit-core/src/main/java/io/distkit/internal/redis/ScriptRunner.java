package io.distkit.internal.redis;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.data.redis.core.RedisTemplate;

import io.distkit.CircuitState;
import io.distkit.DistkitBackendException;

/**
 * Runs distkit's Lua scripts on the connection of one {@link RedisTemplate} ({@code EVALSHA}, {@code EVAL} after
 * {@code NOSCRIPT}; {@link ScriptTransport} says how a call travels) behind one {@link CircuitBreaker}, and turns
 * every failure into a distkit exception. Not part of the public API.
 *
 * <p>Thread-safe.
 */
public final class ScriptRunner {

	/** The name of the observation of every script call: a timer with the script's name as its only tag. */
	public static final String OBSERVATION = "distkit.redis.script";

	private final RedisTemplate<String, String> template;

	private final CircuitBreaker circuitBreaker;

	private final AtomicLong failures = new AtomicLong();

	private final ObservationRegistry observations;

	private final ScriptTransport transport;

	public ScriptRunner(RedisTemplate<String, String> template, CircuitBreaker circuitBreaker) {
		this(template, circuitBreaker, ObservationRegistry.NOOP);
	}

	public ScriptRunner(RedisTemplate<String, String> template, CircuitBreaker circuitBreaker,
			ObservationRegistry observations) {
		this.template = template;
		this.circuitBreaker = circuitBreaker;
		this.observations = observations;
		this.transport = new ScriptTransport(template);
	}

	/**
	 * Runs {@code script} with {@code keys} and {@code args}. Integer replies arrive as {@link Long}, bulk strings as
	 * {@link String}, arrays as {@link List}.
	 * @param script the script
	 * @param keys its KEYS
	 * @param args its ARGV
	 * Observed as {@value #OBSERVATION} (low-cardinality {@code script}, high-cardinality {@code key}) when an
	 * {@link ObservationRegistry} was given.
	 * @return the decoded reply, {@code null} for a nil reply
	 * @throws DistkitBackendException if Redis failed, timed out or the breaker is open
	 * @throws ScriptErrorReply if the script answered with a distkit error reply
	 */
	public Object run(LuaScript script, List<String> keys, List<String> args) {
		if (this.observations.isNoop()) {
			return execute(script, keys, args);
		}
		return Observation.createNotStarted(OBSERVATION, this.observations)
			.contextualName("distkit " + script.name())
			.lowCardinalityKeyValue("script", script.name())
			.highCardinalityKeyValue("key", keys.isEmpty() ? "" : keys.get(0))
			.observe(() -> execute(script, keys, args));
	}

	private Object execute(LuaScript script, List<String> keys, List<String> args) {
		boolean probe = this.circuitBreaker.acquire();
		boolean reported = false;
		try {
			Object reply = this.transport.call(script, keys, args);
			this.circuitBreaker.onSuccess();
			reported = true;
			return reply;
		}
		catch (RuntimeException ex) {
			reported = true;
			throw failed(ex, probe, script);
		}
		finally {
			if (probe && !reported) {
				this.circuitBreaker.releaseProbe();
			}
		}
	}

	/**
	 * Classifies a failure of a call, tells the circuit breaker, and returns the exception to throw. Anything that is
	 * not an answer of Redis (a connection failure, a timeout, a stopped connection factory) counts as unavailable.
	 */
	private RuntimeException failed(RuntimeException ex, boolean probe, LuaScript script) {
		RedisFailure failure = RedisFailure.classify(ex);
		if (failure.unavailable()) {
			this.failures.incrementAndGet();
			this.circuitBreaker.onFailure(probe);
		}
		else {
			this.circuitBreaker.onSuccess();
		}
		return failure.toException(script.name());
	}

	/**
	 * Runs {@code script} once per entry in one pipeline (for entries whose keys do not share a slot), on the
	 * connection every other call uses ({@link ScriptTransport}). Each call is atomic, the pipeline is not. A
	 * {@code NOSCRIPT} reply makes the whole pipeline go again with {@code EVAL}, so calls that did run run twice:
	 * the script must be idempotent (the hybrid commit is: writer id and number).
	 * @param script the script
	 * @param keys the KEYS of each call
	 * @param args the ARGV of each call
	 * @return per call, its decoded reply or the {@link RuntimeException} its error reply became (a connection
	 * failure or timeout of any call fails the whole pipeline)
	 * @throws DistkitBackendException if the pipeline as a whole failed (connection, timeout, open breaker)
	 */
	public List<Object> runPipelined(LuaScript script, List<List<String>> keys, List<List<String>> args) {
		boolean probe = this.circuitBreaker.acquire();
		boolean reported = false;
		try {
			List<Object> replies = this.transport.callMany(script, keys, args, true);
			if (replies == null) {
				replies = this.transport.callMany(script, keys, args, false); // NOSCRIPT: send the bodies
			}
			this.circuitBreaker.onSuccess();
			reported = true;
			return replies;
		}
		catch (RuntimeException ex) {
			reported = true;
			throw failed(ex, probe, script);
		}
		finally {
			if (probe && !reported) {
				this.circuitBreaker.releaseProbe();
			}
		}
	}

	/** How many calls failed because Redis was unavailable (connection failure or timeout). */
	public long failures() {
		return this.failures.get();
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
