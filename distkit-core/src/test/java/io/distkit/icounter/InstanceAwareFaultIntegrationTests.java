package io.distkit.icounter;

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

/**
 * Instance-aware counters against a private Redis that is killed and restarted: synchronous writes fail and keep
 * every buffered increment (spec §10 item 13: the reference lost the swapped delta of a failed pre-operation flush).
 */
class InstanceAwareFaultIntegrationTests {

	private RedisProcess redis;

	private LettuceConnectionFactory connectionFactory;

	private RedisBackend backend;

	private final List<InstanceAwareCounter> opened = new ArrayList<>();

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
		this.opened.forEach(InstanceAwareCounter::close);
		this.connectionFactory.destroy();
		this.redis.close();
	}

	private InstanceAwareOptions.Builder options() {
		return InstanceAwareOptions.builder().prefix("faults").shutdownTimeout(Duration.ofSeconds(1));
	}

	private long stored(String key) {
		try (RedisAdmin admin = this.redis.endpoint().admin()) {
			Object value = admin.template().opsForHash().get("{faults:lia}:cumulative", key);
			return (value != null) ? Long.parseLong((String) value) : 0;
		}
	}

	@Test
	void laxSynchronousWritesFailWhileDownAndKeepBufferedIncrements() {
		LaxInstanceAwareCounter counter = LaxInstanceAwareCounter.create(this.backend, options().build());
		this.opened.add(counter);
		counter.inc("k", 7);
		this.redis.kill();
		assertThatExceptionOfType(DistkitBackendException.class).isThrownBy(() -> counter.set("k", 100));
		assertThatExceptionOfType(DistkitBackendException.class).isThrownBy(() -> counter.del("k"));
		assertThatExceptionOfType(DistkitBackendException.class).isThrownBy(() -> counter.delOnInstance("k"));
		assertThatExceptionOfType(DistkitBackendException.class).isThrownBy(counter::clear);
		assertThatExceptionOfType(DistkitBackendException.class).isThrownBy(counter::clearOnInstance);
		assertThat(counter.inc("k", 0)).isEqualTo(new Totals(7, 7));
		this.redis.restart();
		await().atMost(Duration.ofSeconds(20)).until(() -> counter.pendingKeys() == 0);
		assertThat(stored("k")).isEqualTo(7);
		assertThat(counter.get("k")).isEqualTo(new Totals(7, 7));
	}

	@Test
	void strictOperationsFailWhileDownAndTheHeartbeatKeepsGoing() {
		StrictInstanceAwareCounter counter = StrictInstanceAwareCounter.create(this.backend,
				options().heartbeat(Duration.ofMillis(50)).deadInstanceThreshold(Duration.ofMillis(200)).build());
		this.opened.add(counter);
		counter.inc("k", 3);
		this.redis.kill();
		assertThatExceptionOfType(DistkitBackendException.class).isThrownBy(() -> counter.inc("k", 1));
		assertThatExceptionOfType(DistkitBackendException.class).isThrownBy(counter::heartbeat);
		this.redis.restart();
		try (RedisAdmin admin = this.redis.endpoint().admin()) {
			await().atMost(Duration.ofSeconds(20))
				.until(() -> admin.template().opsForZSet().score("{faults:ia}:instances", counter.instanceId()) != null);
		}
		await().atMost(Duration.ofSeconds(10))
			.ignoreExceptions()
			.untilAsserted(() -> assertThat(counter.get("k")).isEqualTo(new Totals(3, 3)));
	}

}
