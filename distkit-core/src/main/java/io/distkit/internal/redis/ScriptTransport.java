package io.distkit.internal.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisPipelineException;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisTemplate;

import io.distkit.DistkitBackendException;

/**
 * How distkit's script calls reach Redis: {@code EVALSHA}, then {@code EVAL} when the server does not know the script.
 *
 * <p>On Lettuce with a shared native connection (Spring's default) calls go out as asynchronous commands on that
 * connection, taken from the template once and kept while it is open. A single call then takes no lock and makes no
 * {@code RedisConnection} (the template takes the factory's lock and wraps the shared connection in a new
 * {@code LettuceConnection} per call, which 64 callers were measured to contend for); many calls go out without
 * waiting between them and cost no connection of their own (Spring's pipelining would borrow a dedicated connection,
 * which without a pool is a new TCP connection per pipeline, and whose creation on a cluster was seen to wait
 * forever). The price: a call sent while a pipeline is in flight waits behind it. Lettuce reconnects the shared
 * connection by itself; when the factory closes it (reset, stop), the next call takes the new one. Other clients go
 * through the template and Spring's pipelining. Not part of the public API.
 */
final class ScriptTransport {

	/** Lettuce's default command timeout, used when the factory does not say. */
	private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

	private static final List<Object> NOT_LETTUCE = new ArrayList<>(0);

	private final RedisTemplate<String, String> template;

	private final Duration timeout;

	/** The shared native connection last taken from the template, {@code null} before the first call. */
	private volatile SharedConnection shared;

	ScriptTransport(RedisTemplate<String, String> template) {
		this.template = template;
		this.timeout = (template.getConnectionFactory() instanceof LettuceConnectionFactory lettuce)
				? lettuce.getClientConfiguration().getCommandTimeout() : DEFAULT_TIMEOUT;
	}

	/**
	 * Runs one call.
	 * @return the reply, bulk strings decoded as UTF-8 (as the template's string serializer does)
	 * @throws RuntimeException the failure as the client reported it (Lettuce's or Spring's exception), for
	 * {@link RedisFailure} to classify
	 */
	Object call(LuaScript script, List<String> keys, List<String> args) {
		RedisClusterAsyncCommands<byte[], byte[]> commands = sharedCommands();
		if (commands == null) {
			return this.template.execute(script.redisScript(), keys, args.toArray());
		}
		byte[][] encodedKeys = encode(keys);
		byte[][] encodedArgs = encode(args);
		try {
			return decode(await(commands.evalsha(script.sha1(), ScriptOutputType.MULTI, encodedKeys, encodedArgs),
					script));
		}
		catch (RuntimeException ex) {
			if (!RedisFailure.isNoScript(ex)) {
				throw ex;
			}
		}
		byte[] body = script.body().getBytes(StandardCharsets.UTF_8);
		return decode(await(commands.eval(body, ScriptOutputType.MULTI, encodedKeys, encodedArgs), script));
	}

	private Object await(RedisFuture<Object> future, LuaScript script) {
		try {
			return future.get(this.timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException ex) {
			Throwable failure = (ex.getCause() != null) ? ex.getCause() : ex;
			throw (failure instanceof RuntimeException runtime) ? runtime
					: new RedisSystemException(script.name() + " failed: " + failure.getMessage(), failure);
		}
		catch (TimeoutException ex) {
			future.cancel(true);
			throw new QueryTimeoutException(
					script.name() + " got no reply within " + this.timeout.toMillis() + " ms", ex);
		}
		catch (InterruptedException ex) {
			future.cancel(true);
			Thread.currentThread().interrupt();
			throw new RedisSystemException("Interrupted while waiting for " + script.name(), ex);
		}
	}

	/**
	 * The commands of the factory's shared native connection, or {@code null} when calls go through the template (not
	 * Lettuce, or Lettuce without a shared connection).
	 */
	private RedisClusterAsyncCommands<byte[], byte[]> sharedCommands() {
		if (!(this.template.getConnectionFactory() instanceof LettuceConnectionFactory factory)
				|| !factory.getShareNativeConnection()) {
			return null;
		}
		SharedConnection current = this.shared;
		if (current == null || !current.connection().isOpen()) {
			current = takeSharedConnection();
			this.shared = current;
		}
		return (current != null) ? current.commands() : null;
	}

	@SuppressWarnings("unchecked")
	private SharedConnection takeSharedConnection() {
		SharedConnection taken = this.template.execute((RedisCallback<SharedConnection>) (connection) -> {
			Object commands = connection.getNativeConnection();
			StatefulConnection<?, ?> stateful = (commands instanceof RedisAsyncCommands<?, ?> standalone)
					? standalone.getStatefulConnection()
					: (commands instanceof RedisAdvancedClusterAsyncCommands<?, ?> cluster)
							? cluster.getStatefulConnection() : null;
			return (stateful != null)
					? new SharedConnection((RedisClusterAsyncCommands<byte[], byte[]>) commands, stateful) : null;
		});
		// with sharing on, the template hands out the shared connection; one opened for the call alone would be closed
		// by now, and is never kept
		return (taken != null && taken.connection().isOpen()) ? taken : null;
	}

	private record SharedConnection(RedisClusterAsyncCommands<byte[], byte[]> commands,
			StatefulConnection<?, ?> connection) {
	}

	/**
	 * Runs many calls without waiting for a reply between them (each call is atomic, the whole is not).
	 * @return one reply (bulk strings decoded as UTF-8, or the {@link RuntimeException} an error reply became) per
	 * call, or {@code null} when sent by SHA and a node did not know the script
	 * @throws org.springframework.dao.DataAccessException if the calls failed as a whole (timeout, connection): no
	 * reply can be attributed
	 */
	List<Object> callMany(LuaScript script, List<List<String>> keys, List<List<String>> args, boolean bySha) {
		RedisClusterAsyncCommands<byte[], byte[]> shared = sharedCommands();
		if (shared != null) {
			return sendAsync(shared, script, keys, args, bySha);
		}
		List<Object> replies = this.template.execute((RedisCallback<List<Object>>) (connection) -> sendOnConnection(
				connection, script, keys, args, bySha));
		return (replies != NOT_LETTUCE) ? replies : sendPipelined(script, keys, args, bySha);
	}

	@SuppressWarnings("unchecked")
	private List<Object> sendOnConnection(RedisConnection connection, LuaScript script, List<List<String>> keys,
			List<List<String>> args, boolean bySha) {
		if (!(connection.getNativeConnection() instanceof RedisClusterAsyncCommands<?, ?> commands)) {
			return NOT_LETTUCE;
		}
		return sendAsync((RedisClusterAsyncCommands<byte[], byte[]>) commands, script, keys, args, bySha);
	}

	private List<Object> sendAsync(RedisClusterAsyncCommands<byte[], byte[]> bytes, LuaScript script,
			List<List<String>> keys, List<List<String>> args, boolean bySha) {
		byte[] body = script.body().getBytes(StandardCharsets.UTF_8);
		List<RedisFuture<Object>> futures = new ArrayList<>(keys.size());
		for (int i = 0; i < keys.size(); i++) {
			byte[][] callKeys = encode(keys.get(i));
			byte[][] callArgs = encode(args.get(i));
			futures.add(bySha ? bytes.evalsha(script.sha1(), ScriptOutputType.MULTI, callKeys, callArgs)
					: bytes.eval(body, ScriptOutputType.MULTI, callKeys, callArgs));
		}
		long deadline = System.nanoTime() + this.timeout.toNanos();
		List<Object> results = new ArrayList<>(futures.size());
		boolean noScript = false;
		for (RedisFuture<Object> future : futures) {
			try {
				results.add(decode(future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)));
			}
			catch (ExecutionException ex) {
				Throwable failure = (ex.getCause() != null) ? ex.getCause() : ex;
				noScript |= RedisFailure.isNoScript(failure);
				results.add(errorReply(failure, script));
			}
			catch (TimeoutException ex) {
				throw new QueryTimeoutException("Pipeline of " + script.name() + " (" + keys.size()
						+ " calls) got no reply within " + this.timeout.toMillis() + " ms", ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new RedisSystemException("Interrupted while waiting for the pipeline of " + script.name(), ex);
			}
		}
		return (bySha && noScript) ? null : results;
	}

	/** Spring's pipelining, on a dedicated connection, for clients other than Lettuce. */
	private List<Object> sendPipelined(LuaScript script, List<List<String>> keys, List<List<String>> args,
			boolean bySha) {
		byte[] sha = script.sha1().getBytes(StandardCharsets.UTF_8);
		byte[] body = script.body().getBytes(StandardCharsets.UTF_8);
		List<Object> replies;
		try {
			replies = this.template.executePipelined((RedisCallback<Object>) (connection) -> {
				for (int i = 0; i < keys.size(); i++) {
					byte[][] keysAndArgs = encode(keys.get(i), args.get(i));
					if (bySha) {
						connection.scriptingCommands().evalSha(sha, ReturnType.MULTI, keys.get(i).size(), keysAndArgs);
					}
					else {
						connection.scriptingCommands().eval(body, ReturnType.MULTI, keys.get(i).size(), keysAndArgs);
					}
				}
				return null;
			});
		}
		catch (RedisPipelineException ex) {
			// a NOSCRIPT may come back as the cause of a pipeline with fewer results than calls (seen on a cluster)
			if (bySha && (RedisFailure.isNoScript(ex)
					|| ex.getPipelineResult().stream().anyMatch(RedisFailure::isNoScript))) {
				return null;
			}
			if (ex.getPipelineResult().size() != keys.size()) {
				// Spring reports a pipeline that timed out or lost its connection without replies
				if (ex.getCause() instanceof org.springframework.dao.DataAccessException cause) {
					throw cause;
				}
				throw new RedisSystemException("Pipeline of " + script.name() + " failed: " + ex.getMessage(), ex);
			}
			List<Object> results = new ArrayList<>(ex.getPipelineResult().size());
			for (Object result : ex.getPipelineResult()) {
				results.add((result instanceof Throwable failure) ? errorReply(failure, script) : result);
			}
			return results;
		}
		if (replies.size() != keys.size()) {
			throw new DistkitBackendException("Pipeline of " + script.name() + " returned " + replies.size()
					+ " replies for " + keys.size() + " calls");
		}
		return replies;
	}

	/**
	 * The exception one call's error reply becomes, for its place in the replies.
	 * @throws RedisConnectionFailureException if the failure means Redis is unavailable: the pipeline fails as a whole
	 */
	private static RuntimeException errorReply(Throwable failure, LuaScript script) {
		RedisFailure classified = RedisFailure.classify(failure);
		if (classified.unavailable()) {
			throw new RedisConnectionFailureException(
					"Pipeline of " + script.name() + " failed: " + failure.getMessage(), failure);
		}
		return classified.toException(script.name());
	}

	/** The UTF-8 bytes of the strings of every list, in order. */
	@SafeVarargs
	private static byte[][] encode(List<String>... lists) {
		int size = 0;
		for (List<String> list : lists) {
			size += list.size();
		}
		byte[][] encoded = new byte[size][];
		int i = 0;
		for (List<String> list : lists) {
			for (String value : list) {
				encoded[i++] = value.getBytes(StandardCharsets.UTF_8);
			}
		}
		return encoded;
	}

	/** As Spring decodes a script's reply through a string serializer: bulk strings become strings, in any array. */
	private static Object decode(Object reply) {
		if (reply instanceof byte[] bulk) {
			return new String(bulk, StandardCharsets.UTF_8);
		}
		if (reply instanceof List<?> array) {
			List<Object> decoded = new ArrayList<>(array.size());
			for (Object element : array) {
				decoded.add(decode(element));
			}
			return decoded;
		}
		return reply;
	}

}
