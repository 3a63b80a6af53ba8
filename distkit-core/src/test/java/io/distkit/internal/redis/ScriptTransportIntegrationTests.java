package io.distkit.internal.redis;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;

import io.distkit.DistkitBackendException;
import io.distkit.RedisBackend;
import io.distkit.counter.CounterOptions;
import io.distkit.counter.StrictCounter;
import io.distkit.test.RedisAdmin;
import io.distkit.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Script calls travel on the factory's shared native Lettuce connection, and keep working when the factory replaces
 * that connection, does not share one, or the server forgot the script.
 */
class ScriptTransportIntegrationTests {

	private final String prefix = TestRedis.uniquePrefix("transport");

	private final LettuceConnectionFactory factory = TestRedis.endpoint().connectionFactory();

	private final RedisAdmin admin = TestRedis.endpoint().admin();

	@AfterEach
	void cleanUp() {
		this.admin.deleteKeysContaining(this.prefix);
		this.admin.close();
		this.factory.destroy();
	}

	@Test
	void callsGoOnAfterTheFactoryReplacesItsSharedConnection() {
		StrictCounter counter = counter(RedisBackend.create(this.factory));
		assertThat(counter.inc("k", 1)).isEqualTo(1);
		this.factory.resetConnection();
		assertThat(counter.inc("k", 1)).isEqualTo(2);
		assertThat(counter.get("k")).isEqualTo(2);
	}

	@Test
	void aStoppedFactoryFailsCallsAsUnavailableAndARestartedOneServesThemAgain() {
		RedisBackend backend = RedisBackend.create(this.factory);
		StrictCounter counter = counter(backend);
		assertThat(counter.inc("k", 5)).isEqualTo(5);
		this.factory.stop();
		assertThatExceptionOfType(DistkitBackendException.class).isThrownBy(() -> counter.inc("k", 1))
			.withMessageContaining("Redis unavailable");
		assertThat(backend.failures()).isEqualTo(1);
		this.factory.start();
		assertThat(counter.inc("k", 1)).isEqualTo(6);
	}

	@Test
	void callsGoThroughTheTemplateWhenTheFactorySharesNoConnection() {
		this.factory.setShareNativeConnection(false);
		StrictCounter counter = counter(RedisBackend.create(this.factory));
		assertThat(counter.inc("k", 3)).isEqualTo(3);
		assertThat(counter.inc("k", 4)).isEqualTo(7);
	}

	@Test
	void aScriptTheServerForgotIsSentWithItsBody() {
		StrictCounter counter = counter(RedisBackend.create(this.factory));
		assertThat(counter.inc("k", 1)).isEqualTo(1);
		flushScripts();
		assertThat(counter.inc("k", 1)).isEqualTo(2);
		assertThat(scriptIsLoaded(strictIncrementSha1())).isTrue();
	}

	private StrictCounter counter(RedisBackend backend) {
		return StrictCounter.create(backend, CounterOptions.builder().prefix(this.prefix).build());
	}

	private void flushScripts() {
		this.admin.template().execute((RedisCallback<Void>) (RedisConnection connection) -> {
			connection.scriptingCommands().scriptFlush();
			return null;
		});
	}

	private boolean scriptIsLoaded(String sha1) {
		return this.admin.template()
			.execute((RedisCallback<Boolean>) (RedisConnection connection) -> connection.scriptingCommands()
				.scriptExists(sha1)
				.get(0));
	}

	/** The SHA-1 of the strict counter's increment script (the same files, in the same order). */
	private static String strictIncrementSha1() {
		return LuaScript.load(ScriptTransportIntegrationTests.class, "/io/distkit/counter/counter_prelude.lua",
				"/io/distkit/counter/strict_inc.lua")
			.sha1();
	}

}
