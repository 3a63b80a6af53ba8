package io.distkit.icounter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Concurrent increments of one instance and of several instances are exact. */
class InstanceAwareConcurrencyIntegrationTests extends InstanceAwareTestSupport {

	@Test
	void strict_eightThreadsOnTwoInstances() throws Exception {
		StrictInstanceAwareCounter a = opened(StrictInstanceAwareCounter.create(backend, options().build()));
		StrictInstanceAwareCounter b = opened(StrictInstanceAwareCounter.create(backend, options().build()));
		run(8, (thread) -> {
			StrictInstanceAwareCounter counter = (thread % 2 == 0) ? a : b;
			for (int i = 0; i < 250; i++) {
				counter.inc("k", 1);
			}
		});
		assertThat(a.get("k")).isEqualTo(totals(2000, 1000));
		assertThat(b.get("k")).isEqualTo(totals(2000, 1000));
	}

	@Test
	void lax_eightThreadsOnTwoInstances() throws Exception {
		LaxInstanceAwareCounter a = opened(LaxInstanceAwareCounter.create(backend, options().build()));
		LaxInstanceAwareCounter b = opened(LaxInstanceAwareCounter.create(backend, options().build()));
		run(8, (thread) -> {
			LaxInstanceAwareCounter counter = (thread % 2 == 0) ? a : b;
			for (int i = 0; i < 10_000; i++) {
				counter.inc("k", 1);
			}
		});
		a.flush();
		b.flush();
		assertThat(storedCumulative("lia", "k")).isEqualTo(80_000);
		assertThat(a.get("k").slice()).isEqualTo(40_000);
		assertThat(b.get("k").slice()).isEqualTo(40_000);
	}

	private static void run(int threads, java.util.function.IntConsumer work) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				futures.add(pool.submit(() -> work.accept(thread)));
			}
			for (Future<?> future : futures) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

}
