package io.distkit.internal.ratelimit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Units are taken at most once, and a closed lease says exactly how many were never taken. */
class UnitLeaseTests {

	@Test
	void takesReportWhatWasLeftAndFailWhenTooFewRemain() {
		UnitLease lease = new TestLease(5);
		assertThat(lease.take(2)).isEqualTo(5);
		assertThat(lease.take(3)).isEqualTo(3);
		assertThat(lease.take(1)).isEqualTo(-1);
		assertThat(lease.remaining()).isZero();
		assertThat(lease.close()).isZero();
	}

	@Test
	void aClosedLeaseRefusesEveryTakeAndReturnsTheUnitsNeverTaken() {
		UnitLease lease = new TestLease(10);
		lease.take(4);
		assertThat(lease.close()).isEqualTo(6);
		assertThat(lease.take(1)).isEqualTo(-1);
		assertThat(lease.take(0)).isEqualTo(-1);
		assertThat(lease.remaining()).isNegative();
		assertThat(lease.granted()).isEqualTo(10);
	}

	@Test
	void concurrentTakesNeverExceedTheGrant() throws Exception {
		UnitLease lease = new TestLease(100_000);
		ExecutorService pool = Executors.newFixedThreadPool(8);
		List<Future<Long>> futures = new ArrayList<>();
		for (int t = 0; t < 8; t++) {
			futures.add(pool.submit(() -> {
				long taken = 0;
				while (lease.take(3) >= 0) {
					taken += 3;
				}
				return taken;
			}));
		}
		long taken = 0;
		for (Future<Long> future : futures) {
			taken += future.get(30, TimeUnit.SECONDS);
		}
		pool.shutdown();
		assertThat(taken).isEqualTo(99_999);
		assertThat(lease.close()).isEqualTo(1);
	}

	private static final class TestLease extends UnitLease {

		TestLease(long granted) {
			super(granted);
		}

	}

}
