package io.distkit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.distkit.test.RedisAdmin;
import io.distkit.test.TestRedis;

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

}
