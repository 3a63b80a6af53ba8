package io.distkit.ratelimit.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.distkit.ratelimit.RateLimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A key whose lease threads race for gets striped leases, and its decisions stay exact. */
class LocalWindowLeaseTests {

	/** While threads race: far more than they can take. */
	private final RateLimit limit = limit(1_000_000_000_000L);

	/** A fixed time inside one bucket: the lease stays valid and nothing expires. */
	private final long now = Duration.ofSeconds(5).toNanos();

	@Test
	void aContendedKeyGetsStripedLeasesThatAdmitExactlyTheCapacity() throws Exception {
		LocalWindow window = new LocalWindow(this.limit);
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			AtomicBoolean racing = new AtomicBoolean(true);
			for (int t = 0; t < 4; t++) {
				pool.submit(() -> {
					while (racing.get()) {
						window.incAbsolute(this.limit, 1, this.now, false);
					}
				});
			}
			// a locked call settles the lease (learning that takes raced); the next locked inc opens a striped one
			await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(() -> {
				if (window.leaseStriped()) {
					return true;
				}
				window.usage(this.limit, this.now);
				return false;
			});
			racing.set(false);
			pool.shutdown();
			assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

			// the same buckets with a capacity a million units above the total: the history stays
			long before = window.usage(this.limit, this.now).total();
			RateLimit lowered = limit(before + 1_000_000);
			assertThat(window.incAbsolute(lowered, 1, this.now, false).isAdmitted()).isTrue();
			assertThat(window.leaseStriped()).as("a settled contended key opens striped leases").isTrue();
			assertThat(admittedUntilFull(window, lowered)).isEqualTo(1_000_000 - 1);
			assertThat(window.usage(lowered, this.now).total()).isEqualTo(before + 1_000_000);
		}
		finally {
			pool.shutdownNow();
		}
	}

	/** Eight threads decide one unit at a time until rejected (final: the clock stands still). */
	private long admittedUntilFull(LocalWindow window, RateLimit limit) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Long>> futures = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				futures.add(pool.submit(() -> {
					start.await();
					long admitted = 0;
					while (window.incAbsolute(limit, 1, this.now, false).isAdmitted()) {
						admitted++;
					}
					return admitted;
				}));
			}
			start.countDown();
			long admitted = 0;
			for (Future<Long> future : futures) {
				admitted += future.get(60, TimeUnit.SECONDS);
			}
			return admitted;
		}
		finally {
			pool.shutdown();
		}
	}

	private static RateLimit limit(long capacity) {
		return RateLimit.builder("hot")
			.capacity(capacity)
			.window(Duration.ofSeconds(10))
			.bucket(Duration.ofSeconds(1))
			.provider(RateLimit.Provider.LOCAL)
			.build();
	}

}
