package io.distkit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;

import io.distkit.test.RedisAdmin;
import io.distkit.test.TestRedis;

import static org.awaitility.Awaitility.await;

/**
 * Base of tests against the shared test Redis: one connection factory and backend per class, a unique prefix per
 * test, and every key containing that prefix deleted after the test.
 */
public abstract class RedisIntegrationSupport {

	protected static LettuceConnectionFactory connectionFactory;

	protected static RedisBackend backend;

	protected static RedisAdmin admin;

	protected String prefix;

	@BeforeAll
	static void connect() {
		connectionFactory = TestRedis.endpoint().connectionFactory();
		backend = RedisBackend.create(connectionFactory);
		admin = TestRedis.endpoint().admin();
	}

	@AfterAll
	static void disconnect() {
		admin.close();
		connectionFactory.destroy();
	}

	@BeforeEach
	void choosePrefix(TestInfo info) {
		this.prefix = TestRedis.uniquePrefix(info.getTestMethod().map((method) -> method.getName()).orElse("test"));
	}

	@AfterEach
	void deleteKeys() {
		admin.deleteKeysContaining(this.prefix);
	}

	/** Redis server time in milliseconds: the clock of every script. */
	protected static long redisTimeMillis() {
		Long millis = admin.template()
			.execute((RedisCallback<Long>) (connection) -> connection.serverCommands().time(TimeUnit.MILLISECONDS));
		return (millis != null) ? millis : 0;
	}

	/**
	 * Lets Redis time pass until a bucket of {@code bucketMillis} (aligned to multiples of its length, as every
	 * rate-limit script aligns them) started at most {@code slackMillis} ago, so that the steps that follow land in one
	 * bucket.
	 */
	protected static void awaitBucketStart(long bucketMillis, long slackMillis) {
		long wait = bucketMillis - Math.floorMod(redisTimeMillis(), bucketMillis);
		await().pollDelay(Duration.ofMillis(wait))
			.pollInterval(Duration.ofMillis(2))
			.atMost(Duration.ofMillis(wait + 3 * bucketMillis + 1000))
			.until(() -> Math.floorMod(redisTimeMillis(), bucketMillis) < slackMillis);
	}

}
