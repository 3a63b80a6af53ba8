package io.distkit.spring.boot.actuate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.distkit.DistkitBackendException;
import io.distkit.RedisBackend;
import io.distkit.counter.BufferedCounter;
import io.distkit.counter.CounterOptions;
import io.distkit.counter.LaxCounter;
import io.distkit.icounter.InstanceAwareOptions;
import io.distkit.icounter.LaxInstanceAwareCounter;
import io.distkit.ratelimit.BackendFailurePolicy;
import io.distkit.test.ManualClock;
import io.distkit.test.RedisProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Lax flushes that keep failing, of plain and instance-aware lax counters, show in the health details after 30 s (on a
 * manual clock).
 */
class DistkitHealthIndicatorTests {

	@Test
	void laxFlushesFailingForMoreThan30SecondsShowInTheDetails() {
		ManualClock clock = new ManualClock();
		try (RedisProcess redis = RedisProcess.start()) {
			LettuceConnectionFactory factory = redis.endpoint().connectionFactory(Duration.ofMillis(300));
			RedisBackend backend = RedisBackend.create(factory);
			LaxCounter counter = LaxCounter.create(backend, CounterOptions.builder()
				.prefix("health")
				.flushInterval(Duration.ofHours(1))
				.shutdownTimeout(Duration.ofSeconds(1))
				.clock(clock::nanoTime)
				.build());
			LaxInstanceAwareCounter sessions = LaxInstanceAwareCounter.create(backend, InstanceAwareOptions.builder()
				.prefix("health")
				.flushInterval(Duration.ofHours(1))
				.shutdownTimeout(Duration.ofSeconds(1))
				.removeOnClose(false)
				.clock(clock::nanoTime)
				.build());
			try {
				Map<String, BufferedCounter> counters = new LinkedHashMap<>();
				counters.put("laxCounter", counter);
				counters.put("sessions", sessions);
				DistkitHealthIndicator indicator = new DistkitHealthIndicator(backend, BackendFailurePolicy.FAIL_OPEN,
						counters);
				counter.inc("k", 1);
				sessions.inc("a", 1);
				sessions.inc("b", 1);
				redis.stop();
				assertThatExceptionOfType(DistkitBackendException.class).isThrownBy(counter::flush);
				assertThatExceptionOfType(DistkitBackendException.class).isThrownBy(sessions::flush);
				clock.advance(Duration.ofSeconds(29));
				Health early = indicator.health(true);
				assertThat(early.getStatus()).isEqualTo(Status.UP);
				assertThat(early.getDetails()).doesNotContainKey("laxFlushes");
				clock.advance(Duration.ofSeconds(2));
				Health late = indicator.health(true);
				assertThat(late.getStatus()).as("fail-open: still in service").isEqualTo(Status.UP);
				assertThat(late.getDetails()).containsEntry("redis", "unavailable");
				assertThat(late.getDetails().get("laxFlushes")).isEqualTo(
						Map.of("laxCounter", "flushes failing for 31 s, 1 keys buffered", "sessions",
								"flushes failing for 31 s, 2 keys buffered"));
			}
			finally {
				counter.close();
				sessions.close();
				factory.destroy();
			}
		}
	}

}
