package io.distkit.internal.ratelimit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Units are taken at most once, and a closed lease says exactly how many were never taken: with one counter and with
 * striped counters.
 */
class UnitLeaseTests {

	@Test
	void takesFailWhenTooFewRemain() {
		UnitLease lease = new TestLease(5, false);
		assertThat(lease.take(2)).isTrue();
		assertThat(lease.take(2)).isTrue();
		assertThat(lease.take(2)).isFalse();
		assertThat(lease.remaining()).isEqualTo(1);
		assertThat(lease.take(1)).isTrue();
		assertThat(lease.closeAndCountTaken()).isEqualTo(5);
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void aClosedLeaseRefusesEveryTakeAndReturnsTheUnitsNeverTaken(boolean striped) {
		UnitLease lease = new TestLease(1000, striped);
		assertThat(lease.take(4)).isTrue();
		assertThat(lease.remaining()).isEqualTo(996);
		assertThat(lease.close()).isEqualTo(996);
		assertThat(lease.take(1)).isFalse();
		assertThat(lease.take(0)).isFalse();
		assertThat(lease.remaining()).isNegative();
		assertThat(lease.granted()).isEqualTo(1000);
	}

	@Test
	void aStripedLeaseSplitsItsUnitsAndATakeFindsAnyStripeThatHoldsEnough() {
		UnitLease lease = new TestLease(UnitLease.STRIPES + 1, true); // one stripe holds 2 units, the others 1
		assertThat(lease.striped()).isTrue();
		assertThat(lease.take(2)).isTrue();
		assertThat(lease.take(2)).isFalse(); // 1 unit in each stripe: enough in total, not in one stripe
		assertThat(lease.remaining()).isEqualTo(UnitLease.STRIPES - 1);
		assertThat(lease.closeAndCountTaken()).isEqualTo(2);
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void concurrentTakesNeverExceedTheGrantAndAreAllCounted(boolean striped) throws Exception {
		UnitLease lease = new TestLease(100_000, striped);
		int threads = 8;
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		List<Future<Long>> futures = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			futures.add(pool.submit(() -> {
				start.await();
				long taken = 0;
				while (lease.take(3)) { // a failed take is final: no counter held 3 units, and none gains any
					taken += 3;
				}
				return taken;
			}));
		}
		start.countDown();
		long taken = 0;
		for (Future<Long> future : futures) {
			taken += future.get(30, TimeUnit.SECONDS);
		}
		pool.shutdown();
		long untaken = lease.close();
		assertThat(taken + untaken).isEqualTo(100_000);
		assertThat(untaken).isLessThan(striped ? 3L * UnitLease.STRIPES : 3);
	}

	@Test
	void takesRacingOnOneCounterMarkTheLeaseContended() throws Exception {
		UnitLease lease = new TestLease(Long.MAX_VALUE / 2, false);
		ExecutorService pool = Executors.newFixedThreadPool(4);
		for (int t = 0; t < 4; t++) {
			pool.submit(() -> {
				while (!lease.contended()) {
					lease.take(1);
				}
			});
		}
		pool.shutdown();
		assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
		assertThat(lease.contended()).isTrue();
		assertThat(new TestLease(10, false).contended()).isFalse();
	}

	private static final class TestLease extends UnitLease {

		TestLease(long granted, boolean striped) {
			super(granted, striped);
		}

	}

}
