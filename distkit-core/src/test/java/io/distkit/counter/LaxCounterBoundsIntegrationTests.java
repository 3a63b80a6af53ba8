package io.distkit.counter;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.distkit.RedisIntegrationSupport;
import io.distkit.RedisKey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Bounded memory and the allocation-free hot path of the lax counter. */
class LaxCounterBoundsIntegrationTests extends RedisIntegrationSupport {

	@Test
	void hundredThousandDistinctKeys_localStateStaysWithinMaxKeys() {
		try (LaxCounter counter = LaxCounter.create(backend,
				CounterOptions.builder().prefix(this.prefix).maxKeys(10_000).build())) {
			for (int i = 0; i < 100_000; i++) {
				counter.inc("k" + i, 1);
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> counter.pendingKeys() == 0 && counter.size() <= 10_000);
			assertThat(counter.size()).isLessThanOrEqualTo(10_000);
			// evicted keys lost nothing: their increments are in Redis and a read loads them again
			assertThat(counter.get("k0")).isEqualTo(1);
			assertThat(counter.get("k99999")).isEqualTo(1);
			assertThat(admin.template().opsForHash().size("{" + this.prefix + ":lax}")).isEqualTo(100_000);
		}
	}

	@Test
	void warmKeyIncrementAndAddAllocateNothing() {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
			.getThreadMXBean();
		try (LaxCounter counter = LaxCounter.create(backend, CounterOptions.builder().prefix(this.prefix).build())) {
			RedisKey key = RedisKey.of("warm");
			for (int i = 0; i < 200_000; i++) { // warm the key and the JIT
				counter.inc(key, 1);
			}
			long before = threads.getCurrentThreadAllocatedBytes();
			for (int i = 0; i < 1_000_000; i++) {
				counter.inc(key, 1);
			}
			long allocated = threads.getCurrentThreadAllocatedBytes() - before;
			assertThat(allocated).as("bytes allocated by 10^6 warm increments").isLessThan(1_000_000);
			for (int i = 0; i < 200_000; i++) {
				counter.add(key, 1);
			}
			before = threads.getCurrentThreadAllocatedBytes();
			for (int i = 0; i < 1_000_000; i++) {
				counter.add(key, 1);
			}
			allocated = threads.getCurrentThreadAllocatedBytes() - before;
			assertThat(allocated).as("bytes allocated by 10^6 warm quiet adds").isLessThan(1_000_000);
			counter.flush();
			assertThat(counter.get(key)).isEqualTo(2_400_000);
		}
	}

}
