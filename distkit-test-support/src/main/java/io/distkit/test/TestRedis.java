package io.distkit.test;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way every distkit test gets a shared Redis, chosen once per JVM:
 * <ol>
 * <li>system property {@code distkit.test.redis=embedded} (Maven profile {@code compat62}): the Redis 6.2 binary
 * packaged in embedded-redis, started as a {@link RedisProcess};</li>
 * <li>else the environment variable {@code REDIS_URL};</li>
 * <li>else a Testcontainers Redis when a Docker engine answers;</li>
 * <li>else the packaged Redis 6.2 binary.</li>
 * </ol>
 * Tests never skip for want of a Redis. They isolate themselves with {@link #uniquePrefix(String)} and delete
 * what they wrote.
 */
public final class TestRedis {

	private static final Logger logger = LoggerFactory.getLogger(TestRedis.class);

	private static final AtomicLong sequence = new AtomicLong();

	private static RedisEndpoint endpoint;

	private TestRedis() {
	}

	/** The shared endpoint, started on first use. */
	public static synchronized RedisEndpoint endpoint() {
		if (endpoint == null) {
			endpoint = locate();
			logger.info("Tests use Redis at {}:{} ({})", endpoint.host(), endpoint.port(), endpoint.source());
		}
		return endpoint;
	}

	/**
	 * A prefix no other test run uses: the name, a per-JVM sequence number and the current time, with nothing a
	 * distkit prefix forbids.
	 * @param name a readable part, such as the test's name
	 * @return the prefix
	 */
	public static String uniquePrefix(String name) {
		String readable = name.replaceAll("[^A-Za-z0-9_.-]", "_");
		if (readable.length() > 40) {
			readable = readable.substring(0, 40);
		}
		return "t_" + readable + "_" + sequence.incrementAndGet() + "_" + Long.toString(System.nanoTime(), 36);
	}

	private static RedisEndpoint locate() {
		if ("embedded".equals(System.getProperty("distkit.test.redis"))) {
			return embeddedServer("embedded Redis 6.2 (distkit.test.redis=embedded)");
		}
		String url = System.getenv("REDIS_URL");
		if (url != null && !url.isBlank()) {
			return RedisEndpoint.fromUrl(url, "REDIS_URL");
		}
		if (ContainerRedis.dockerAvailable()) {
			return ContainerRedis.start();
		}
		return embeddedServer("embedded Redis 6.2 (no REDIS_URL, no Docker engine)");
	}

	private static RedisEndpoint embeddedServer(String source) {
		RedisProcess process = RedisProcess.builder().embeddedBinary().start();
		return new RedisEndpoint(process.host(), process.port(), null, source);
	}

}
