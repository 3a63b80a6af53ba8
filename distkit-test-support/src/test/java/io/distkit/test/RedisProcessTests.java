package io.distkit.test;

import java.io.UncheckedIOException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RedisProcessTests {

	@Test
	void killAndRestart_keepsDurableData() {
		try (RedisProcess redis = RedisProcess.builder().durable().start()) {
			assertThat(redis.command("SET", "k", "v")).isEqualTo("+OK");
			redis.kill();
			assertThat(redis.isRunning()).isFalse();
			assertThatExceptionOfType(UncheckedIOException.class).isThrownBy(() -> redis.command("PING"));
			redis.restart();
			assertThat(redis.command("GET", "k")).isEqualTo("$1");
		}
	}

	@Test
	void pause_stopsAnsweringUntilResumed() {
		try (RedisProcess redis = RedisProcess.start()) {
			redis.pause();
			assertThatExceptionOfType(UncheckedIOException.class).isThrownBy(() -> redis.command("PING"));
			redis.resume();
			assertThat(redis.command("PING")).isEqualTo("+PONG");
		}
	}

	@Test
	void stop_isGraceful() {
		try (RedisProcess redis = RedisProcess.start()) {
			redis.stop();
			assertThat(redis.isRunning()).isFalse();
		}
	}

	@Test
	void embeddedBinaryIsRedis62() {
		try (RedisProcess redis = RedisProcess.builder().embeddedBinary().start()) {
			assertThat(redis.command("INFO", "server")).startsWith("$");
			try (RedisAdmin admin = redis.endpoint().admin()) {
				assertThat(admin.template().execute((org.springframework.data.redis.core.RedisCallback<String>) (
						connection) -> connection.serverCommands().info("server").getProperty("redis_version")))
					.startsWith("6.2");
			}
		}
	}

}
