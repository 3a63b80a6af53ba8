package io.distkit.counter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.distkit.CounterOverflowException;
import io.distkit.DistkitBackendException;
import io.distkit.RedisIntegrationSupport;
import io.distkit.RedisKey;
import io.distkit.test.ManualClock;

import static io.distkit.counter.CounterComparator.eq;
import static io.distkit.counter.CounterComparator.gt;
import static io.distkit.counter.CounterComparator.lt;
import static io.distkit.counter.CounterComparator.ne;
import static io.distkit.counter.CounterComparator.nil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Spec §7.4 (LC-xx) and §7.7 (DOC-13..18) against real Redis, and the §10 fixes that apply to lax counters. Where
 * the reference waited 100 ms for a flush, these tests wait for the condition instead.
 */
class LaxCounterIntegrationTests extends RedisIntegrationSupport {

	private static final Duration FLUSHED = Duration.ofSeconds(5);

	private final List<LaxCounter> opened = new ArrayList<>();

	private LaxCounter counter;

	@BeforeEach
	void createCounter() {
		this.counter = counter(this.prefix);
	}

	@AfterEach
	void closeCounters() {
		this.opened.forEach(LaxCounter::close);
	}

	private LaxCounter counter(String prefix) {
		return counter(CounterOptions.builder().prefix(prefix).build());
	}

	private LaxCounter counter(CounterOptions options) {
		LaxCounter created = LaxCounter.create(backend, options);
		this.opened.add(created);
		return created;
	}

	/** A new counter object on the same prefix: no local state, so it shows what reached Redis. */
	private LaxCounter fresh() {
		return counter(this.prefix);
	}

	private StrictCounter strictView() {
		return StrictCounter.create(backend, CounterOptions.builder().prefix(this.prefix).build());
	}

	private long stored(String key) {
		Object value = admin.template().opsForHash().get("{" + this.prefix + ":lax}", key);
		return (value != null) ? Long.parseLong((String) value) : 0;
	}

	private static RedisKey key(String name) {
		return RedisKey.of(name);
	}

	@Test
	void get_unknownKeyLoadsZero() { // LC-01
		assertThat(this.counter.get("k")).isZero();
	}

	@Test
	void inc_returnsEstimate() { // LC-02, LC-03
		assertThat(this.counter.inc("k", 5)).isEqualTo(5);
		assertThat(this.counter.inc("j", 3)).isEqualTo(3);
		this.counter.inc("j", 7);
		assertThat(this.counter.inc("j", 10)).isEqualTo(20);
	}

	@Test
	void inc_zero() { // LC-04
		this.counter.inc("k", 10);
		assertThat(this.counter.inc("k", 0)).isEqualTo(10);
		assertThat(this.counter.get("k")).isEqualTo(10);
	}

	@Test
	void dec() { // LC-05, LC-06, LC-07
		this.counter.inc("a", 100);
		assertThat(this.counter.dec("a", 30)).isEqualTo(70);
		this.counter.inc("b", 10);
		assertThat(this.counter.dec("b", 25)).isEqualTo(-15);
		assertThat(this.counter.get("b")).isEqualTo(-15);
		this.counter.inc("c", 55);
		assertThat(this.counter.dec("c", 0)).isEqualTo(55);
	}

	@Test
	void set() { // LC-08 .. LC-12 (set is synchronous here: Redis holds the value when set returns)
		assertThat(this.counter.set("a", 99)).isEqualTo(99);
		this.counter.inc("b", 10);
		this.counter.set("b", 50);
		assertThat(this.counter.get("b")).isEqualTo(50);
		this.counter.inc("c", 20);
		this.counter.set("c", 0);
		assertThat(this.counter.get("c")).isZero();
		this.counter.set("d", -5);
		assertThat(this.counter.get("d")).isEqualTo(-5);
		this.counter.set("e", 77);
		assertThat(this.counter.get("e")).isEqualTo(77);
		assertThat(stored("a")).isEqualTo(99);
		assertThat(stored("b")).isEqualTo(50);
	}

	@Test
	void mixedSigns() { // LC-13
		this.counter.inc("k", 10);
		this.counter.inc("k", -3);
		this.counter.inc("k", 5);
		this.counter.inc("k", -2);
		assertThat(this.counter.get("k")).isEqualTo(10);
	}

	@Test
	void keysAndPrefixesAreIndependent() { // LC-14, LC-15
		this.counter.inc("alpha", 42);
		this.counter.inc("beta", 7);
		LaxCounter other = counter(this.prefix + "_b");
		other.inc("alpha", 1);
		assertThat(this.counter.get("alpha")).isEqualTo(42);
		assertThat(this.counter.get("beta")).isEqualTo(7);
		assertThat(other.get("alpha")).isEqualTo(1);
	}

	@Test
	void readYourWrites() { // LC-16
		this.counter.inc("k", 7);
		assertThat(this.counter.get("k")).isEqualTo(7);
	}

	@Test
	void backgroundFlushReachesRedis() { // LC-17
		this.counter.inc("k", 42);
		LaxCounter reader = fresh();
		await().atMost(FLUSHED).until(() -> reader.get("k") == 42);
	}

	@Test
	void del_untouchedKeyDeletesInRedis() { // LC-18; spec §10 item 11 fixed
		// The reference returned 0 without contacting Redis and left the key there.
		assertThat(this.counter.del("never")).isZero();
		strictView(); // unrelated namespace; the lax hash is separate
		LaxCounter writer = fresh();
		writer.set("k", 5);
		assertThat(this.counter.del("k")).isEqualTo(5);
		assertThat(admin.template().opsForHash().hasKey("{" + this.prefix + ":lax}", "k")).isFalse();
	}

	@Test
	void del_includesBufferedIncrements() { // LC-19, LC-20, LC-21, LC-22
		this.counter.inc("a", 10);
		assertThat(this.counter.del("a")).isEqualTo(10);
		this.counter.inc("b", 10);
		this.counter.flush();
		assertThat(this.counter.del("b")).isEqualTo(10);
		this.counter.inc("c", 5);
		this.counter.del("c");
		assertThat(this.counter.get("c")).isZero();
		this.counter.inc("d", 7);
		this.counter.del("d");
		assertThat(this.counter.del("d")).isZero();
	}

	@Test
	void del_cancelledDeltaNeverReachesRedis() { // LC-23
		this.counter.inc("k", 42);
		this.counter.del("k");
		this.counter.flush();
		assertThat(fresh().get("k")).isZero();
		assertThat(stored("k")).isZero();
	}

	@Test
	void del_leavesOtherKeysAndAllowsNewIncrements() { // LC-24, LC-25
		this.counter.inc("a", 5);
		this.counter.inc("b", 20);
		this.counter.del("a");
		assertThat(this.counter.get("b")).isEqualTo(20);
		this.counter.inc("c", 99);
		this.counter.del("c");
		assertThat(this.counter.inc("c", 1)).isEqualTo(1);
	}

	@Test
	void clear() { // LC-26, LC-27, LC-29, LC-30, LC-31
		this.counter.clear();
		this.counter.inc("x", 1);
		this.counter.inc("y", 2);
		this.counter.inc("z", 3);
		this.counter.clear();
		assertThat(this.counter.getAll(List.of(key("x"), key("y"), key("z")))).extracting(KeyValue::value)
			.containsExactly(0L, 0L, 0L);
		this.counter.flush();
		assertThat(fresh().get("x")).isZero();
		assertThat(this.counter.inc("x", 1)).isEqualTo(1);
	}

	@Test
	void clear_leavesOtherPrefixes() { // LC-28
		LaxCounter other = counter(this.prefix + "_b");
		this.counter.inc("val", 10);
		other.inc("val", 99);
		this.counter.clear();
		assertThat(other.get("val")).isEqualTo(99);
	}

	@Test
	void setThenDecReachesRedis() { // LC-32, LC-33
		this.counter.set("k", 100);
		assertThat(fresh().get("k")).isEqualTo(100);
		this.counter.dec("k", 30);
		LaxCounter reader = fresh();
		await().atMost(FLUSHED).until(() -> reader.get("k") == 70);
	}

	@Test
	void setAfterFlush() { // LC-34: the reference sent a corrective delta of 40; here Redis holds 50 at once
		this.counter.inc("k", 10);
		this.counter.flush();
		this.counter.set("k", 50);
		assertThat(this.counter.get("k")).isEqualTo(50);
		assertThat(fresh().get("k")).isEqualTo(50);
	}

	@Test
	void setThenDel() { // LC-35
		this.counter.set("k", 77);
		assertThat(this.counter.del("k")).isEqualTo(77);
	}

	@Test
	void getAll() { // LC-36 .. LC-39
		assertThat(this.counter.getAll(List.of())).isEmpty();
		assertThat(this.counter.getAll(List.of(key("a"), key("b")))).containsExactly(KeyValue.of("a", 0),
				KeyValue.of("b", 0));
		this.counter.inc("a", 5);
		this.counter.inc("b", 10);
		this.counter.inc("c", 3);
		assertThat(this.counter.getAll(List.of(key("c"), key("a"), key("b")))).containsExactly(KeyValue.of("c", 3),
				KeyValue.of("a", 5), KeyValue.of("b", 10));
	}

	@Test
	void getAll_readerSeesFlushedWrites() { // LC-40, LC-41
		this.counter.inc("a", 7);
		this.counter.inc("b", 13);
		LaxCounter reader = fresh();
		await().atMost(FLUSHED)
			.until(() -> reader.getAll(List.of(key("a"), key("b")))
				.equals(List.of(KeyValue.of("a", 7), KeyValue.of("b", 13))));
	}

	@Test
	void setAll() { // LC-42 .. LC-47
		assertThat(this.counter.setAll(List.of())).isEmpty();
		assertThat(this.counter.setAll(List.of(KeyValue.of("c", 30), KeyValue.of("a", 10), KeyValue.of("b", 20))))
			.containsExactly(KeyValue.of("c", 30), KeyValue.of("a", 10), KeyValue.of("b", 20));
		assertThat(this.counter.getAll(List.of(key("a"), key("b"), key("c")))).extracting(KeyValue::value)
			.containsExactly(10L, 20L, 30L);
		assertThat(fresh().getAll(List.of(key("a"), key("b")))).extracting(KeyValue::value).containsExactly(10L, 20L);
	}

	@Test
	void incIf_eachComparator() { // LC-48
		assertIncIf(eq(10), 12, 10);
		assertIncIf(lt(11), 12, 10);
		assertIncIf(gt(10), 10, 10);
		assertIncIf(ne(9), 12, 10);
		assertIncIf(nil(), 12, 10);
	}

	private void assertIncIf(CounterComparator comparator, long expectedNew, long expectedOld) {
		LaxCounter lax = counter(this.prefix + "_" + comparator.wireName());
		lax.set("k", 10);
		assertThat(lax.incIf("k", comparator, 2)).isEqualTo(new CounterUpdate(expectedNew, expectedOld));
		assertThat(lax.get("k")).isEqualTo(expectedNew);
	}

	@Test
	void incIf_staleCacheIsRefreshedBeforeComparing() { // LC-49
		LaxCounter reader = fresh();
		assertThat(reader.get("k")).isZero();
		this.counter.set("k", 7);
		await().atMost(FLUSHED).until(() -> reader.get("k") == 7);
		assertThat(reader.incIf("k", eq(7), 3)).isEqualTo(new CounterUpdate(10, 7));
		assertThat(reader.get("k")).isEqualTo(10);
	}

	@Test
	void setIf_eachComparator() { // LC-50
		assertSetIf(eq(10), 99, 10);
		assertSetIf(lt(11), 99, 10);
		assertSetIf(gt(10), 10, 10);
		assertSetIf(ne(9), 99, 10);
		assertSetIf(nil(), 99, 10);
	}

	private void assertSetIf(CounterComparator comparator, long expectedNew, long expectedOld) {
		LaxCounter lax = counter(this.prefix + "_" + comparator.wireName());
		lax.set("k", 10);
		assertThat(lax.setIf("k", comparator, 99)).isEqualTo(new CounterUpdate(expectedNew, expectedOld));
		assertThat(lax.get("k")).isEqualTo(expectedNew);
	}

	@Test
	void setIf_comparesWithRedis() { // LC-51
		this.counter.set("k", 7);
		LaxCounter reader = fresh();
		assertThat(reader.setIf("k", eq(7), 20)).isEqualTo(new CounterUpdate(20, 7));
		assertThat(reader.get("k")).isEqualTo(20);
	}

	@Test
	void incAll() { // LC-52, LC-53
		assertThat(this.counter.incAll(List.of())).isEmpty();
		assertThat(this.counter.incAllIf(List.of())).isEmpty();
		assertThat(this.counter.incAll(List.of(KeyDelta.of("hits", 1), KeyDelta.of("hits", 2))))
			.containsExactly(KeyValue.of("hits", 1), KeyValue.of("hits", 3));
		assertThat(this.counter.get("hits")).isEqualTo(3);
	}

	@Test
	void incAllIf_readerRefreshesFirst() { // LC-54
		this.counter.set("k", 0);
		LaxCounter reader = fresh();
		assertThat(reader.incAllIf(List.of(ConditionalDelta.of("k", eq(0), 1), ConditionalDelta.of("k", eq(1), 2),
				ConditionalDelta.of("k", gt(10), 5))))
			.containsExactly(new KeyUpdate(key("k"), 1, 0), new KeyUpdate(key("k"), 3, 1), new KeyUpdate(key("k"), 3, 3));
		assertThat(reader.get("k")).isEqualTo(3);
	}

	@Test
	void incAllIf_onlyMatchingItemsReachRedis() { // LC-55
		assertThat(this.counter.incAllIf(List.of(ConditionalDelta.of("a", nil(), 4), ConditionalDelta.of("b", gt(0), 7))))
			.containsExactly(new KeyUpdate(key("a"), 4, 0), new KeyUpdate(key("b"), 0, 0));
		LaxCounter reader = fresh();
		await().atMost(FLUSHED)
			.until(() -> reader.getAll(List.of(key("a"), key("b")))
				.equals(List.of(KeyValue.of("a", 4), KeyValue.of("b", 0))));
	}

	@Test
	void setAllIf_mismatchKeepsBufferedValue() { // LC-56
		this.counter.inc("k", 5);
		assertThat(this.counter.setAllIf(List.of(ConditionalValue.of("k", gt(10), 20))))
			.containsExactly(new KeyUpdate(key("k"), 5, 5));
		assertThat(this.counter.get("k")).isEqualTo(5);
		assertThat(stored("k")).as("the buffered 5 went to Redis with the write").isEqualTo(5);
	}

	@Test
	void setAllIf_reachesReaders() { // LC-57
		assertThat(this.counter.setAllIf(List.of(ConditionalValue.of("a", nil(), 55), ConditionalValue.of("b", gt(0), 77))))
			.containsExactly(new KeyUpdate(key("a"), 55, 0), new KeyUpdate(key("b"), 0, 0));
		assertThat(fresh().getAll(List.of(key("a"), key("b")))).containsExactly(KeyValue.of("a", 55),
				KeyValue.of("b", 0));
	}

	@Test
	void setAllIf_duplicateKeysArePositional() { // spec §10 item 10 fixed for lax counters too
		this.counter.inc("k", 3);
		assertThat(this.counter.setAllIf(List.of(ConditionalValue.of("k", eq(3), 5), ConditionalValue.of("k", eq(5), 8))))
			.containsExactly(new KeyUpdate(key("k"), 5, 3), new KeyUpdate(key("k"), 8, 5));
		assertThat(stored("k")).isEqualTo(8);
	}

	// --- documentation examples (spec §7.7) ---

	@Test
	void doc13to18() {
		assertThat(this.counter.inc("v", 1)).isEqualTo(1);
		assertThat(this.counter.inc("v", 1)).isEqualTo(2);
		assertThat(this.counter.inc("v", 1)).isEqualTo(3);
		this.counter.set("s", 10);
		assertThat(this.counter.dec("s", 3)).isEqualTo(7);
		this.counter.inc("g", 7);
		assertThat(this.counter.get("g")).isEqualTo(7);
		this.counter.inc("m", 1000);
		assertThat(this.counter.set("m", 850)).isEqualTo(850);
		assertThat(this.counter.get("m")).isEqualTo(850);
		this.counter.inc("d", 10);
		assertThat(this.counter.del("d")).isEqualTo(10);
		assertThat(this.counter.get("d")).isZero();
		this.counter.inc("a", 5);
		this.counter.inc("b", 10);
		this.counter.clear();
		assertThat(this.counter.get("a")).isZero();
		assertThat(this.counter.get("b")).isZero();
	}

	// --- fixes of spec §10 ---

	@Test
	void flushLoopKeepsRunningWhileIdle() throws Exception { // spec §10 item 5 fixed
		// The reference parked its flush loop half of every 15 s activity epoch; an increment made then stayed
		// buffered until some later operation. Here the tick runs at a fixed rate whatever the traffic.
		BufferedLaxCounter lax = (BufferedLaxCounter) this.counter;
		this.counter.inc("k", 1);
		this.counter.flush();
		long idleSince = System.nanoTime();
		await().atMost(FLUSHED).until(() -> System.nanoTime() - idleSince > 500_000_000L); // idle for 25 ticks
		lax.inc("k", 41);
		LaxCounter reader = fresh();
		await().atMost(FLUSHED).until(() -> reader.get("k") == 42);
	}

	@Test
	void lostRepliesAreNotCountedTwice() { // spec §10 item 13 fixed: numbered, idempotent chunks
		LaxCounter lax = counter(CounterOptions.builder().prefix(this.prefix).chunkSize(10).build());
		BufferedLaxCounter buffered = (BufferedLaxCounter) lax;
		// first one chunk: its first reply is lost after the script ran
		buffered.dropRepliesWhen((sequence, attempt) -> attempt == 1);
		lax.inc("single", 5);
		assertThatExceptionOfType(DistkitBackendException.class).isThrownBy(lax::flush)
			.withMessageContaining("dropped by a test hook");
		assertThat(stored("single")).as("the script ran").isEqualTo(5);
		assertThat(lax.inc("single", 0)).as("the estimate keeps the unconfirmed amount").isEqualTo(5);
		lax.flush(); // sends it again under its number: ignored by Redis
		assertThat(stored("single")).isEqualTo(5);

		// then every other chunk of a 10-chunk flush
		AtomicInteger sends = new AtomicInteger();
		buffered.dropRepliesWhen((sequence, attempt) -> sends.incrementAndGet() % 2 == 0);
		for (int i = 0; i < 100; i++) {
			lax.inc("k" + i, i + 1);
		}
		await().atMost(FLUSHED).untilAsserted(() -> {
			buffered.dropRepliesWhen((sequence, attempt) -> sends.incrementAndGet() % 2 == 0);
			try {
				lax.flush();
			}
			catch (DistkitBackendException ex) {
				// a dropped reply; the next flush sends the chunk again
			}
			assertThat(lax.pendingKeys()).isZero();
		});
		buffered.dropRepliesWhen((sequence, attempt) -> false);
		for (int i = 0; i < 100; i++) {
			assertThat(stored("k" + i)).isEqualTo(i + 1);
		}
		assertThat(sends.get()).isGreaterThanOrEqualTo(10);
	}

	@Test
	void unconfirmedAmountStaysInTheEstimate() { // spec §10 item 14 fixed
		BufferedLaxCounter lax = (BufferedLaxCounter) this.counter;
		lax.dropRepliesWhen((sequence, attempt) -> true);
		lax.inc("k", 5);
		assertThatExceptionOfType(DistkitBackendException.class).isThrownBy(lax::flush);
		// the reference's refresh overwrote the optimistic total and showed 0 until the next refresh
		assertThat(lax.inc("k", 0)).isEqualTo(5);
		assertThatExceptionOfType(DistkitBackendException.class).as("a load first settles the unconfirmed chunk")
			.isThrownBy(() -> lax.get("k"));
		lax.dropRepliesWhen((sequence, attempt) -> false);
		assertThat(lax.get("k")).isEqualTo(5);
		assertThat(stored("k")).isEqualTo(5);
	}

	@Test
	void concurrentConditionalsAreAtomicInProcess() throws Exception { // spec §10 item 15 fixed
		this.counter.set("k", 0);
		int threads = 8;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<CounterUpdate>> results = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			results.add(pool.submit(() -> {
				start.await();
				return this.counter.incIf("k", eq(0), 1);
			}));
		}
		start.countDown();
		int winners = 0;
		for (Future<CounterUpdate> result : results) {
			winners += result.get(10, TimeUnit.SECONDS).changed() ? 1 : 0;
		}
		pool.shutdown();
		assertThat(winners).isEqualTo(1);
		assertThat(this.counter.get("k")).isEqualTo(1);
	}

	@Test
	void freshnessCountsFromLastLoadOrConfirmedFlush() { // spec §10 item 26 fixed: one rule
		ManualClock clock = new ManualClock();
		LaxCounter lax = counter(CounterOptions.builder()
			.prefix(this.prefix)
			.allowedLag(Duration.ofMillis(20))
			.flushInterval(Duration.ofHours(1)) // flushes only when the test says
			.clock(clock::nanoTime)
			.build());
		assertThat(lax.get("k")).isZero(); // loaded at t0
		clock.advanceMillis(10);
		lax.inc("k", 1);
		lax.flush(); // confirmed at t0 + 10 ms
		admin.template().opsForHash().put("{" + this.prefix + ":lax}", "k", "100"); // behind the counter's back
		clock.advanceMillis(15); // 25 ms after the load, 15 ms after the confirmed flush: still fresh
		assertThat(lax.get("k")).isEqualTo(1);
		clock.advanceMillis(5); // 20 ms after the confirmed flush: stale
		assertThat(lax.get("k")).isEqualTo(100);
	}

	@Test
	void concurrentIncrementsAreExactAfterFlush() throws Exception { // 16 threads x 1,000 increments
		ExecutorService pool = Executors.newFixedThreadPool(16);
		List<Future<?>> futures = new ArrayList<>();
		for (int t = 0; t < 16; t++) {
			futures.add(pool.submit(() -> {
				for (int i = 0; i < 1000; i++) {
					this.counter.inc("hits", 1);
				}
			}));
		}
		for (Future<?> future : futures) {
			future.get(60, TimeUnit.SECONDS);
		}
		pool.shutdown();
		this.counter.flush();
		assertThat(stored("hits")).isEqualTo(16_000);
		assertThat(fresh().get("hits")).isEqualTo(16_000);
	}

	@Test
	void concurrentAddsAndIncsOfOneHotKeyAreExactInRedis() throws Exception { // both striped under contention
		int threads = 8;
		int rounds = 20_000;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		List<Future<?>> futures = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			boolean quiet = t % 2 == 0;
			futures.add(pool.submit(() -> {
				long last = 0;
				for (int i = 1; i <= rounds; i++) {
					if (quiet) {
						this.counter.add("hits", 1);
					}
					else {
						long estimate = this.counter.inc("hits", 1);
						assertThat(estimate).as("a thread's estimates go up and count its own increments")
							.isGreaterThan(last)
							.isGreaterThanOrEqualTo(i);
						last = estimate;
					}
				}
			}));
		}
		for (Future<?> future : futures) {
			future.get(60, TimeUnit.SECONDS);
		}
		pool.shutdown();
		assertThat(this.counter.get("hits")).isEqualTo((long) threads * rounds);
		assertThat(this.counter.inc("hits", 0)).as("after a read").isEqualTo((long) threads * rounds);
		this.counter.flush();
		assertThat(stored("hits")).isEqualTo((long) threads * rounds);
		assertThat(fresh().get("hits")).isEqualTo((long) threads * rounds);
	}

	@Test
	void add_isInc_withoutTheEstimate() {
		this.counter.add("k", 5);
		this.counter.add(key("k"), -2);
		assertThat(this.counter.inc("k", 0)).isEqualTo(3);
		assertThat(this.counter.incIf("k", eq(3), 1)).isEqualTo(new CounterUpdate(4, 3));
		this.counter.flush();
		assertThat(stored("k")).isEqualTo(4);
	}

	// --- bad input and lifecycle ---

	@Test
	void add_estimateOutOfRange() {
		this.counter.add("k", CounterOverflowException.MAX_VALUE);
		assertThatExceptionOfType(CounterOverflowException.class).isThrownBy(() -> this.counter.add("k", 1))
			.withMessage("Counter value out of range: must lie within ±9007199254740991 (key=\"k\", "
					+ "value=9007199254740992)");
		assertThatExceptionOfType(CounterOverflowException.class)
			.isThrownBy(() -> this.counter.add("other", Long.MIN_VALUE))
			.withMessageContaining("value=-9223372036854775808");
		assertThat(this.counter.get("k")).isEqualTo(CounterOverflowException.MAX_VALUE);
	}

	@Test
	void inc_estimateOutOfRange() {
		this.counter.inc("k", CounterOverflowException.MAX_VALUE);
		assertThatExceptionOfType(CounterOverflowException.class).isThrownBy(() -> this.counter.inc("k", 1))
			.withMessage("Counter value out of range: must lie within ±9007199254740991 (key=\"k\", "
					+ "value=9007199254740992)");
		assertThat(this.counter.inc("k", 0)).isEqualTo(CounterOverflowException.MAX_VALUE);
		assertThatExceptionOfType(CounterOverflowException.class)
			.isThrownBy(() -> this.counter.dec("k", Long.MIN_VALUE))
			.withMessageContaining("value=9223372036854775808");
		assertThatExceptionOfType(CounterOverflowException.class)
			.isThrownBy(() -> this.counter.set("k", Long.MAX_VALUE))
			.withMessageContaining("value=9223372036854775807");
	}

	@Test
	void incAll_isAllOrNothingLocally() {
		this.counter.inc("big", CounterOverflowException.MAX_VALUE - 1);
		assertThatExceptionOfType(CounterOverflowException.class)
			.isThrownBy(() -> this.counter.incAll(List.of(KeyDelta.of("a", 1), KeyDelta.of("big", 2))));
		assertThat(this.counter.inc("a", 0)).isZero();
	}

	@Test
	void flushRefusesOutOfRangeResultButAppliesTheOtherKeys() {
		// another process pushed the stored value to the edge while this counter buffered an increment
		this.counter.inc("edge", 5);
		this.counter.inc("fine", 1);
		admin.template().opsForHash().put("{" + this.prefix + ":lax}", "edge", "9007199254740990");
		this.counter.flush();
		assertThat(stored("edge")).isEqualTo(9007199254740990L);
		assertThat(stored("fine")).isEqualTo(1);
		assertThat(this.counter.inc("edge", 0)).isEqualTo(9007199254740990L);
	}

	@Test
	void closeFlushesAndRejectsFurtherOperations() {
		LaxCounter lax = counter(CounterOptions.builder().prefix(this.prefix).flushInterval(Duration.ofHours(1)).build());
		lax.inc("k", 3);
		lax.close();
		assertThat(stored("k")).isEqualTo(3);
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> lax.inc("k", 1))
			.withMessageContaining("is closed");
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> lax.add("k", 1));
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> lax.get("k"));
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(lax::flush);
		lax.close(); // idempotent
	}

}
