package io.distkit.counter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.distkit.CircuitBreakerOptions;
import io.distkit.DistkitBackendException;
import io.distkit.RedisBackend;
import io.distkit.test.RedisAdmin;
import io.distkit.test.RedisProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** Lax counters against a Redis of the test's own (persistence on, every write fsynced) that fails. */
class LaxCounterFaultIntegrationTests {

	private RedisProcess redis;

	private LettuceConnectionFactory connectionFactory;

	private RedisBackend backend;

	private final List<LaxCounter> opened = new ArrayList<>();

	@BeforeEach
	void start() {
		this.redis = RedisProcess.builder().durable().start();
		this.connectionFactory = this.redis.endpoint().connectionFactory(Duration.ofMillis(500));
		this.backend = RedisBackend.builder(this.connectionFactory)
			.circuitBreaker(new CircuitBreakerOptions(3, Duration.ofMillis(200)))
			.build();
	}

	@AfterEach
	void stop() {
		this.opened.forEach(LaxCounter::close);
		this.connectionFactory.destroy();
		this.redis.close();
	}

	private LaxCounter counter(CounterOptions.Builder options) {
		LaxCounter counter = LaxCounter.create(this.backend, options.shutdownTimeout(Duration.ofSeconds(1)).build());
		this.opened.add(counter);
		return counter;
	}

	private long stored(String key) {
		try (RedisAdmin admin = this.redis.endpoint().admin()) {
			Object value = admin.template().opsForHash().get("{faults:lax}", key);
			return (value != null) ? Long.parseLong((String) value) : 0;
		}
	}

	@Test
	void flushBlockedThenRedisKilledAndRestarted_totalIsExact() {
		LaxCounter counter = counter(CounterOptions.builder().prefix("faults"));
		for (int i = 0; i < 1000; i++) {
			counter.inc("hits", 1);
		}
		counter.flush();
		assertThat(stored("hits")).isEqualTo(1000);

		assertThat(this.redis.command("CLIENT", "PAUSE", "10000", "WRITE")).isEqualTo("+OK");
		for (int i = 0; i < 500; i++) {
			counter.inc("hits", 1); // the next flush blocks on the paused server and times out
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> ((BufferedLaxCounter) counter).failingSince() != 0);
		this.redis.kill();
		for (int i = 0; i < 250; i++) {
			counter.inc("hits", 1); // buffered while Redis is down
		}
		this.redis.restart();
		await().atMost(Duration.ofSeconds(20)).until(() -> counter.pendingKeys() == 0);
		assertThat(stored("hits")).isEqualTo(1750);
		assertThat(counter.get("hits")).isEqualTo(1750);
	}

	@Test
	void pastMaxPendingKeysWhileRedisIsDown_newKeysRefusedAndNothingBufferedIsLost() {
		LaxCounter counter = counter(CounterOptions.builder().prefix("faults").maxPendingKeys(1000));
		this.redis.kill();
		for (int i = 0; i < 1000; i++) {
			counter.inc("k" + i, i + 1);
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> ((BufferedLaxCounter) counter).failingSince() != 0);
		assertThatExceptionOfType(DistkitBackendException.class).isThrownBy(() -> counter.inc("one-too-many", 1))
			.withMessageContaining("1000 keys hold increments not yet flushed to Redis (max-pending-keys=1000)")
			.withMessageContaining("\"one-too-many\"");
		assertThat(counter.inc("k0", 1)).as("existing keys still count").isEqualTo(2);

		this.redis.restart();
		await().atMost(Duration.ofSeconds(20)).until(() -> counter.pendingKeys() == 0);
		assertThat(stored("k0")).isEqualTo(2);
		for (int i = 1; i < 1000; i++) {
			assertThat(stored("k" + i)).isEqualTo(i + 1);
		}
		assertThat(counter.inc("one-more", 1)).isEqualTo(1);
	}

	@Test
	void synchronousWritesFailWhileDownAndKeepBufferedIncrements() {
		LaxCounter counter = counter(CounterOptions.builder().prefix("faults"));
		counter.inc("k", 7);
		this.redis.kill();
		assertThatExceptionOfType(DistkitBackendException.class).isThrownBy(() -> counter.set("k", 100));
		assertThatExceptionOfType(DistkitBackendException.class).isThrownBy(() -> counter.del("k"));
		assertThatExceptionOfType(DistkitBackendException.class).isThrownBy(counter::clear);
		assertThat(counter.inc("k", 0)).isEqualTo(7);
		this.redis.restart();
		await().atMost(Duration.ofSeconds(20)).until(() -> counter.pendingKeys() == 0);
		assertThat(stored("k")).isEqualTo(7);
	}

	@Test
	void closeWhileRedisIsDownReturnsWithinShutdownTimeout() {
		LaxCounter counter = counter(CounterOptions.builder().prefix("faults"));
		counter.inc("k", 1);
		this.redis.kill();
		long start = System.nanoTime();
		counter.close();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
	}

}
