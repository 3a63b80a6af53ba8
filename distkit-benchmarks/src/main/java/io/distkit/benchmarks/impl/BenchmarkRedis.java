package io.distkit.benchmarks.impl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.redisson.config.SingleServerConfig;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.distkit.RedisBackend;

/**
 * The Redis of one benchmark trial and the clients the contestants use on it, each opened on first use so a trial
 * only starts the client its contestant needs:
 * <ul>
 * <li>distkit: a {@link RedisBackend} over a {@link LettuceConnectionFactory} that shares one native connection;</li>
 * <li>raw Lettuce: one {@link StatefulRedisConnection} shared by all threads (sync API);</li>
 * <li>Redisson: a {@link RedissonClient} with its default connection pool.</li>
 * </ul>
 * Every client has a command timeout of {@link #COMMAND_TIMEOUT}. The server is {@code REDIS_URL}
 * ({@value #DEFAULT_URL} when unset). Thread-safe.
 */
public final class BenchmarkRedis implements AutoCloseable {

	/** The server when {@code REDIS_URL} is unset. */
	public static final String DEFAULT_URL = "redis://127.0.0.1:6379";

	/** The deadline of every command of every client. */
	public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

	private static final int DELETE_BATCH = 500;

	private static final int SUBSCRIPTIONS_PER_CONNECTION = 500;

	private final String url;

	private LettuceConnectionFactory connectionFactory;

	private RedisBackend backend;

	private RedisClient lettuceClient;

	private StatefulRedisConnection<String, String> lettuce;

	private StatefulRedisConnection<byte[], byte[]> lettuceBytes;

	private RedissonClient redisson;

	private BenchmarkRedis(String url) {
		this.url = url;
	}

	/** The Redis named by {@code REDIS_URL}, or {@value #DEFAULT_URL}. Does not connect. */
	public static BenchmarkRedis fromEnvironment() {
		String url = System.getenv("REDIS_URL");
		return of((url == null || url.isBlank()) ? DEFAULT_URL : url);
	}

	/**
	 * The Redis at {@code url}. Does not connect.
	 * @param url a {@code redis://} or {@code rediss://} URL as Lettuce parses it
	 * @return the benchmark's view of that Redis
	 */
	public static BenchmarkRedis of(String url) {
		return new BenchmarkRedis(url.trim());
	}

	/**
	 * A namespace no other trial uses, valid as a distkit prefix and safe in a {@code SCAN MATCH} pattern.
	 * @return {@code distkitbench} followed by 12 hex digits
	 */
	public static String uniquePrefix() {
		return "distkitbench" + String.format("%012x", ThreadLocalRandom.current().nextLong() & 0xffffffffffffL);
	}

	/** The server's URL. */
	public String url() {
		return this.url;
	}

	/** distkit's backend over a Spring {@link LettuceConnectionFactory} sharing one native connection. */
	public synchronized RedisBackend backend() {
		if (this.backend == null) {
			RedisURI uri = RedisURI.create(this.url);
			LettuceClientConfiguration.LettuceClientConfigurationBuilder client = LettuceClientConfiguration.builder()
				.commandTimeout(COMMAND_TIMEOUT);
			if (uri.isSsl()) {
				client.useSsl();
			}
			LettuceConnectionFactory factory = new LettuceConnectionFactory(
					LettuceConnectionFactory.createRedisConfiguration(uri), client.build());
			factory.setShareNativeConnection(true);
			factory.afterPropertiesSet();
			factory.start();
			this.connectionFactory = factory;
			this.backend = RedisBackend.builder(factory).build();
		}
		return this.backend;
	}

	/** One raw Lettuce connection, shared by every thread of the trial. */
	public synchronized StatefulRedisConnection<String, String> lettuce() {
		if (this.lettuce == null) {
			RedisURI uri = RedisURI.create(this.url);
			uri.setTimeout(COMMAND_TIMEOUT);
			this.lettuceClient = RedisClient.create(uri);
			this.lettuce = this.lettuceClient.connect();
		}
		return this.lettuce;
	}

	/** One raw Lettuce connection with byte-array keys and values (Bucket4j's), shared by every thread. */
	public synchronized StatefulRedisConnection<byte[], byte[]> lettuceBytes() {
		if (this.lettuceBytes == null) {
			lettuce();
			this.lettuceBytes = this.lettuceClient.connect(io.lettuce.core.codec.ByteArrayCodec.INSTANCE);
		}
		return this.lettuceBytes;
	}

	/**
	 * A Redisson client with Redisson's defaults apart from the command timeout and the number of pub/sub channels per
	 * connection: every {@code RLongAdder} subscribes to a channel of its own, and the default (5 channels on each of
	 * 50 connections) cannot hold the adders of 10,000 keys.
	 */
	public synchronized RedissonClient redisson() {
		if (this.redisson == null) {
			RedisURI uri = RedisURI.create(this.url);
			Config config = new Config();
			SingleServerConfig server = config.useSingleServer()
				.setAddress((uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort())
				.setDatabase(uri.getDatabase())
				.setTimeout((int) COMMAND_TIMEOUT.toMillis())
				.setSubscriptionsPerConnection(SUBSCRIPTIONS_PER_CONNECTION);
			if (uri.getUsername() != null) {
				server.setUsername(uri.getUsername());
			}
			if (uri.getPassword() != null) {
				server.setPassword(new String(uri.getPassword()));
			}
			this.redisson = Redisson.create(config);
		}
		return this.redisson;
	}

	/**
	 * Deletes every key whose name contains {@code prefix} ({@code SCAN} + {@code UNLINK}). Does nothing when the
	 * trial never opened a client, i.e. its contestant never touched Redis.
	 * @param prefix a prefix made by {@link #uniquePrefix()}
	 * @return how many keys were deleted
	 */
	public synchronized long deleteKeys(String prefix) {
		if (this.backend == null && this.lettuce == null && this.redisson == null) {
			return 0;
		}
		RedisCommands<String, String> commands = lettuce().sync();
		ScanIterator<String> keys = ScanIterator.scan(commands, ScanArgs.Builder.matches("*" + prefix + "*").limit(1000));
		long deleted = 0;
		List<String> batch = new ArrayList<>(DELETE_BATCH);
		while (keys.hasNext()) {
			batch.add(keys.next());
			if (batch.size() == DELETE_BATCH) {
				deleted += commands.unlink(batch.toArray(new String[0]));
				batch.clear();
			}
		}
		if (!batch.isEmpty()) {
			deleted += commands.unlink(batch.toArray(new String[0]));
		}
		return deleted;
	}

	/** Closes every client this trial opened. */
	@Override
	public synchronized void close() {
		if (this.redisson != null) {
			this.redisson.shutdown(0, COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			this.redisson = null;
		}
		if (this.lettuceBytes != null) {
			this.lettuceBytes.close();
			this.lettuceBytes = null;
		}
		if (this.lettuce != null) {
			this.lettuce.close();
			this.lettuceClient.shutdown(Duration.ZERO, COMMAND_TIMEOUT);
			this.lettuce = null;
			this.lettuceClient = null;
		}
		if (this.connectionFactory != null) {
			this.connectionFactory.destroy();
			this.connectionFactory = null;
			this.backend = null;
		}
	}

}
