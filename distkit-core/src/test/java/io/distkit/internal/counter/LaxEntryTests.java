package io.distkit.internal.counter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.distkit.CounterOverflowException;
import io.distkit.RedisKey;
import io.distkit.counter.CounterComparator;
import io.distkit.counter.CounterUpdate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The in-memory estimate of one lax key under concurrency: exact adds and quiet (striped) adds, reads, conditionals
 * and the flush's take-and-confirm cycle. No Redis: the flush is played by the test thread, as the engine plays it
 * under its lock.
 */
class LaxEntryTests {

	private static final long MAX = CounterOverflowException.MAX_VALUE;

	private static final int THREADS = 8;

	private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

	@AfterEach
	void stopPool() {
		this.pool.shutdownNow();
	}

	@Test
	void contendedQuietAddsAreStripedAndEveryReadCountsThem() throws Exception {
		LaxEntry entry = new LaxEntry(RedisKey.of("hot"), false);
		AtomicLong added = new AtomicLong();
		AtomicBoolean running = new AtomicBoolean(true);
		Future<Long> reader = this.pool.submit(() -> { // one thread's reads never go back (all adds are positive)
			long last = 0;
			while (running.get()) {
				long seen = entry.view();
				assertThat(seen).isGreaterThanOrEqualTo(last);
				last = seen;
			}
			return last;
		});
		runConcurrently(THREADS - 1, () -> added.addAndGet(addUntilStripedThenMore(entry)));
		running.set(false);
		assertThat(reader.get(30, TimeUnit.SECONDS)).isLessThanOrEqualTo(added.get());
		assertThat(entry.isStriped()).as("contention gave the entry stripes").isTrue();
		assertThat(entry.view()).isEqualTo(added.get());
		assertThat(entry.pending()).isEqualTo(added.get());
		assertThat(entry.inc(1)).as("inc returns the estimate with the stripes").isEqualTo(added.get() + 1);
	}

	@Test
	void contendedIncsAreStripedAndEachThreadsEstimatesCountItsOwnAndNeverGoBack() throws Exception {
		LaxEntry entry = new LaxEntry(RedisKey.of("hot"), false);
		AtomicLong added = new AtomicLong();
		runConcurrently(THREADS, () -> {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
			long own = 0;
			long last = 0;
			while ((!entry.isStriped() || own < 100_000) && System.nanoTime() < deadline) {
				long estimate = entry.inc(1);
				own++;
				assertThat(estimate).as("after this thread's increment %d", own)
					.isGreaterThan(last)
					.isGreaterThanOrEqualTo(own);
				last = estimate;
			}
			added.addAndGet(own);
		});
		assertThat(entry.isStriped()).as("contention gave the entry stripes").isTrue();
		// no flush and no read ran: the stripes' own periodic reads bound what an estimate leaves out
		long paced = (long) 2 * LaxEntry.STRIPE_COUNT * LaxEntry.READ_STRIPES_EVERY;
		assertThat(entry.inc(0)).isBetween(added.get() - paced, added.get());
		assertThat(entry.view()).isEqualTo(added.get());
		assertThat(entry.inc(1)).as("after a full read, inc counts every stripe").isEqualTo(added.get() + 1);
	}

	@Test
	void flushesTakeEveryAmountExactlyOnceWhileThreadsAdd() throws Exception {
		LaxEntry entry = new LaxEntry(RedisKey.of("hot"), false);
		int rounds = 100_000;
		List<Runnable> adders = new ArrayList<>();
		for (int t = 0; t < THREADS - 1; t++) {
			int thread = t;
			adders.add(() -> {
				for (int i = 0; i < rounds; i++) {
					switch (thread % 3) {
						case 0 -> entry.addQuietly(3);
						case 1 -> entry.addQuietly(-1);
						default -> entry.inc(2);
					}
				}
			});
		}
		long expected = 0;
		for (int t = 0; t < THREADS - 1; t++) {
			expected += (long) rounds * switch (t % 3) {
				case 0 -> 3;
				case 1 -> -1;
				default -> 2;
			};
		}
		List<Future<?>> running = start(adders);
		long remote = 0;
		int flushes = 0;
		while (!running.stream().allMatch(Future::isDone)) {
			remote += takeAndConfirm(entry, remote);
			flushes++;
		}
		awaitAll(running);
		remote += takeAndConfirm(entry, remote);
		assertThat(flushes).as("flushes ran while threads added").isGreaterThan(1);
		assertThat(remote).as("what reached 'Redis'").isEqualTo(expected);
		assertThat(entry.view()).isEqualTo(expected);
		assertThat(entry.pending()).isZero();
		assertThat(entry.isClean()).isTrue();
	}

	@Test
	void conditionalsCompareTheWholeEstimateAndStayAtomicWithEachOther() throws Exception {
		LaxEntry entry = stripedEntry();
		long current = entry.view();
		List<Future<CounterUpdate>> results = new ArrayList<>();
		CountDownLatch go = new CountDownLatch(1);
		for (int t = 0; t < THREADS; t++) {
			results.add(this.pool.submit(() -> {
				go.await();
				return entry.addIf(CounterComparator.eq(current), 5);
			}));
		}
		go.countDown();
		int winners = 0;
		for (Future<CounterUpdate> result : results) {
			CounterUpdate update = result.get(10, TimeUnit.SECONDS);
			if (update.changed()) {
				winners++;
				assertThat(update).isEqualTo(new CounterUpdate(current + 5, current));
			}
		}
		assertThat(winners).isEqualTo(1);
		assertThat(entry.view()).isEqualTo(current + 5);
	}

	@Test
	void quietAddBeyondTheRangeIsRefusedAndChangesNothing() {
		LaxEntry entry = new LaxEntry(RedisKey.of("edge"), false);
		entry.inc(MAX);
		assertThatExceptionOfType(CounterOverflowException.class).isThrownBy(() -> entry.addQuietly(1))
			.withMessage("Counter value out of range: must lie within ±9007199254740991 (key=\"edge\", "
					+ "value=9007199254740992)");
		assertThat(entry.view()).isEqualTo(MAX);
	}

	@Test
	void stripedEntryNearTheRangeCountsExactlyAndRefusesTheOverflow() throws Exception {
		LaxEntry entry = stripedEntry();
		entry.inc(MAX - 5 - entry.view());
		entry.addQuietly(3); // the estimate is near the bound: counted on the exact path
		assertThat(entry.view()).isEqualTo(MAX - 2);
		assertThatExceptionOfType(CounterOverflowException.class).isThrownBy(() -> entry.addQuietly(3))
			.withMessageContaining("value=9007199254740992");
		assertThatExceptionOfType(CounterOverflowException.class).isThrownBy(() -> entry.inc(3))
			.withMessageContaining("value=9007199254740992");
		assertThat(entry.view()).isEqualTo(MAX - 2);
		entry.addQuietly(-MAX); // a large amount in either direction goes to the exact path too
		assertThat(entry.view()).isEqualTo(-2);
	}

	/** An entry that contention has given stripes, holding what the threads added. */
	private LaxEntry stripedEntry() throws Exception {
		LaxEntry entry = new LaxEntry(RedisKey.of("hot"), false);
		runConcurrently(THREADS, () -> addUntilStripedThenMore(entry));
		assertThat(entry.isStriped()).as("contention gave the entry stripes").isTrue();
		return entry;
	}

	/**
	 * Adds 1 until the entry has stripes (threads on 2 cores may run one after another for a while, so contention
	 * comes when it comes; at most 20 s), then 10,000 more times so every thread also adds to its stripe.
	 * @return how many were added
	 */
	private static long addUntilStripedThenMore(LaxEntry entry) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		long added = 0;
		while (!entry.isStriped() && System.nanoTime() < deadline) {
			for (int i = 0; i < 1_000; i++) {
				entry.addQuietly(1);
			}
			added += 1_000;
		}
		for (int i = 0; i < 10_000; i++) {
			entry.addQuietly(1);
		}
		return added + 10_000;
	}

	/** One flush of the entry, as the engine runs it under its lock: take the pending amount, confirm it. */
	private static long takeAndConfirm(LaxEntry entry, long remote) {
		long taken = entry.pending();
		entry.inFlight = taken;
		entry.confirmed(remote + taken, 0, 0);
		return taken;
	}

	private void runConcurrently(int threads, Runnable task) throws Exception {
		List<Runnable> tasks = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			tasks.add(task);
		}
		awaitAll(start(tasks));
	}

	/** Starts the tasks together on the pool. */
	private List<Future<?>> start(List<Runnable> tasks) {
		CountDownLatch go = new CountDownLatch(1);
		List<Future<?>> futures = new ArrayList<>();
		for (Runnable task : tasks) {
			futures.add(this.pool.submit(() -> {
				go.await();
				task.run();
				return null;
			}));
		}
		go.countDown();
		return futures;
	}

	/** Waits for the tasks; a task's failure fails the test. */
	private static void awaitAll(List<Future<?>> futures) throws Exception {
		for (Future<?> future : futures) {
			future.get(60, TimeUnit.SECONDS);
		}
	}

}
