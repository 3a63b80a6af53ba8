package io.distkit.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Raw Redis access for tests: inspect what distkit wrote, clean up, read server statistics.
 * Owns its connection factory; close it when done.
 */
public final class RedisAdmin implements AutoCloseable {

	/** How long {@link #close()} waits for the client to shut down. */
	public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

	private final LettuceConnectionFactory connectionFactory;

	private final StringRedisTemplate template;

	RedisAdmin(LettuceConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
		this.template = new StringRedisTemplate(connectionFactory);
		this.template.afterPropertiesSet();
	}

	/** The template for raw commands. */
	public StringRedisTemplate template() {
		return this.template;
	}

	/** The names of all keys that contain {@code fragment}, found with {@code SCAN}. */
	public List<String> keysContaining(String fragment) {
		List<String> keys = new ArrayList<>();
		ScanOptions options = ScanOptions.scanOptions().match("*" + escapeGlob(fragment) + "*").count(1000).build();
		try (Cursor<String> cursor = this.template.scan(options)) {
			cursor.forEachRemaining(keys::add);
		}
		return keys;
	}

	/**
	 * Deletes every key whose name contains {@code fragment} (a test's unique prefix).
	 * @return the number of keys deleted
	 */
	public long deleteKeysContaining(String fragment) {
		List<String> keys = keysContaining(fragment);
		if (keys.isEmpty()) {
			return 0;
		}
		long deleted = 0;
		for (String key : keys) {
			Boolean removed = this.template.delete(key);
			deleted += Boolean.TRUE.equals(removed) ? 1 : 0;
		}
		return deleted;
	}

	/** The number of calls of one command since the last {@code CONFIG RESETSTAT}, from {@code INFO commandstats}. */
	public long commandCalls(String command) {
		Properties stats = this.template.execute(
				(org.springframework.data.redis.core.RedisCallback<Properties>) (connection) -> connection.serverCommands()
					.info("commandstats"));
		String line = (stats != null) ? stats.getProperty("cmdstat_" + command.toLowerCase()) : null;
		if (line == null) {
			return 0;
		}
		for (String part : line.split(",")) {
			if (part.startsWith("calls=")) {
				return Long.parseLong(part.substring("calls=".length()));
			}
		}
		return 0;
	}

	/** Resets the statistics {@link #commandCalls(String)} reads. */
	public void resetStats() {
		this.template.execute((org.springframework.data.redis.core.RedisCallback<Void>) (connection) -> {
			connection.serverCommands().resetConfigStats();
			return null;
		});
	}

	/**
	 * Destroys the connection factory, waiting at most {@link #CLOSE_TIMEOUT}. Lettuce's client shutdown waits for its
	 * shutdown future without a deadline, and once (a test that had killed and restarted the server) that future never
	 * completed although every client thread had ended, which hung the build: a test tool must not hang, so the
	 * destroy runs on a daemon thread and is left behind with a warning if it does not finish in time.
	 */
	@Override
	public void close() {
		Thread closer = new Thread(this.connectionFactory::destroy, "distkit-redis-admin-close");
		closer.setDaemon(true);
		closer.start();
		try {
			closer.join(CLOSE_TIMEOUT.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (closer.isAlive()) {
			System.getLogger(RedisAdmin.class.getName())
				.log(System.Logger.Level.WARNING, "Redis admin client did not shut down within " + CLOSE_TIMEOUT
						+ "; its closing thread is left behind");
		}
	}

	private static String escapeGlob(String text) {
		StringBuilder escaped = new StringBuilder(text.length());
		for (char c : text.toCharArray()) {
			if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
				escaped.append('\\');
			}
			escaped.append(c);
		}
		return escaped.toString();
	}

}
