package io.distkit.counter;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.distkit.RedisBackend;
import io.distkit.test.RedisAdmin;
import io.distkit.test.RedisProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A flush of N dirty keys costs ⌈N / chunk size⌉ script calls, counted by the server (a Redis of its own). */
class LaxFlushCostIntegrationTests {

	@Test
	void flushOfTenThousandDirtyKeys_isOneScriptCallPerChunk() {
		try (RedisProcess redis = RedisProcess.start();
				RedisAdmin admin = redis.endpoint().admin()) {
			LettuceConnectionFactory factory = redis.endpoint().connectionFactory();
			try (BufferedLaxCounter counter = (BufferedLaxCounter) LaxCounter.create(RedisBackend.create(factory),
					CounterOptions.builder().prefix("cost").build())) {
				for (int i = 0; i < 10_000; i++) {
					counter.inc("k" + i, 1);
				}
				// the first touches load in the background, batched per tick; wait until every key is loaded
				await().atMost(Duration.ofSeconds(30)).until(() -> counter.pendingKeys() == 0 && allLoaded(counter));
				counter.pauseTicks(true);
				for (int i = 0; i < 10_000; i++) {
					counter.inc("k" + i, 1);
				}
				admin.resetStats();
				counter.flush();
				long calls = admin.commandCalls("evalsha") + admin.commandCalls("eval");
				assertThat(calls).isLessThanOrEqualTo((10_000 + 255) / 256);
				assertThat(admin.template().opsForHash().get("{cost:lax}", "k9999")).isEqualTo("2");
			}
			finally {
				factory.destroy();
			}
		}
	}

	private static boolean allLoaded(BufferedLaxCounter counter) {
		return counter.loadedKeys() == 10_000;
	}

}
