package io.distkit.counter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.distkit.CounterOverflowException;
import io.distkit.DistkitBackendException;
import io.distkit.InvalidRedisKeyException;
import io.distkit.RedisIntegrationSupport;
import io.distkit.RedisKey;

import static io.distkit.counter.CounterComparator.eq;
import static io.distkit.counter.CounterComparator.gt;
import static io.distkit.counter.CounterComparator.lt;
import static io.distkit.counter.CounterComparator.ne;
import static io.distkit.counter.CounterComparator.nil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Spec §7.3 (SC-xx) and §7.7 (DOC-01..12) against real Redis, plus the §10 fixes that apply to strict counters. */
class StrictCounterIntegrationTests extends RedisIntegrationSupport {

	private static final long MAX = CounterOverflowException.MAX_VALUE;

	private StrictCounter counter;

	@BeforeEach
	void createCounter() {
		this.counter = counter(this.prefix);
	}

	private StrictCounter counter(String prefix) {
		return StrictCounter.create(backend, CounterOptions.builder().prefix(prefix).build());
	}

	private static RedisKey key(String name) {
		return RedisKey.of(name);
	}

	@Test
	void get_neverWritten() { // SC-01
		assertThat(this.counter.get("hits")).isZero();
	}

	@Test
	void inc_thenGet() { // SC-02
		assertThat(this.counter.inc("hits", 5)).isEqualTo(5);
		assertThat(this.counter.get("hits")).isEqualTo(5);
	}

	@Test
	void inc_accumulates() { // SC-03
		this.counter.inc("hits", 3);
		this.counter.inc("hits", 7);
		assertThat(this.counter.inc("hits", 10)).isEqualTo(20);
	}

	@Test
	void dec_subtracts() { // SC-04
		this.counter.inc("hits", 100);
		assertThat(this.counter.dec("hits", 30)).isEqualTo(70);
	}

	@Test
	void dec_belowZero() { // SC-05
		this.counter.inc("hits", 10);
		assertThat(this.counter.dec("hits", 25)).isEqualTo(-15);
		assertThat(this.counter.get("hits")).isEqualTo(-15);
	}

	@Test
	void inc_mixedSigns() { // SC-06
		this.counter.inc("hits", 10);
		this.counter.inc("hits", -3);
		this.counter.inc("hits", 5);
		this.counter.inc("hits", -2);
		assertThat(this.counter.get("hits")).isEqualTo(10);
	}

	@Test
	void keysAreIndependent() { // SC-07
		this.counter.inc("alpha", 42);
		this.counter.inc("beta", 7);
		assertThat(this.counter.get("alpha")).isEqualTo(42);
		assertThat(this.counter.get("beta")).isEqualTo(7);
	}

	@Test
	void prefixesAreIsolated() { // SC-08
		StrictCounter other = counter(this.prefix + "_b");
		this.counter.inc("hits", 100);
		other.inc("hits", 1);
		assertThat(this.counter.get("hits")).isEqualTo(100);
		assertThat(other.get("hits")).isEqualTo(1);
	}

	@Test
	void inc_zero() { // SC-09
		this.counter.inc("hits", 10);
		assertThat(this.counter.inc("hits", 0)).isEqualTo(10);
		assertThat(this.counter.get("hits")).isEqualTo(10);
	}

	@Test
	void dec_zero() { // SC-10
		this.counter.inc("hits", 55);
		assertThat(this.counter.dec("hits", 0)).isEqualTo(55);
	}

	@Test
	void inc_large() { // SC-11
		assertThat(this.counter.inc("hits", 1_000_000_000_000L)).isEqualTo(1_000_000_000_000L);
	}

	@Test
	void inc_returnsWhatGetReads() { // SC-12
		long returned = this.counter.inc("hits", 17);
		assertThat(this.counter.get("hits")).isEqualTo(returned);
	}

	@Test
	void set_returnsValue() { // SC-13
		assertThat(this.counter.set("hits", 99)).isEqualTo(99);
	}

	@Test
	void set_overwrites() { // SC-14
		this.counter.inc("hits", 10);
		this.counter.set("hits", 50);
		assertThat(this.counter.get("hits")).isEqualTo(50);
	}

	@Test
	void set_zero() { // SC-15
		this.counter.inc("hits", 20);
		this.counter.set("hits", 0);
		assertThat(this.counter.get("hits")).isZero();
	}

	@Test
	void set_negative() { // SC-16
		this.counter.set("hits", -5);
		assertThat(this.counter.get("hits")).isEqualTo(-5);
	}

	@Test
	void set_newKey() { // SC-17
		this.counter.set("fresh", 77);
		assertThat(this.counter.get("fresh")).isEqualTo(77);
	}

	@Test
	void del_returnsOldValue() { // SC-18
		this.counter.inc("hits", 42);
		assertThat(this.counter.del("hits")).isEqualTo(42);
	}

	@Test
	void del_neverWritten() { // SC-19
		assertThat(this.counter.del("hits")).isZero();
	}

	@Test
	void del_thenGet() { // SC-20
		this.counter.inc("hits", 10);
		this.counter.del("hits");
		assertThat(this.counter.get("hits")).isZero();
		assertThat(admin.template().opsForHash().hasKey("{" + this.prefix + ":strict}", "hits")).isFalse();
	}

	@Test
	void del_leavesOtherKeys() { // SC-21
		this.counter.inc("a", 5);
		this.counter.inc("b", 20);
		this.counter.del("a");
		assertThat(this.counter.get("b")).isEqualTo(20);
	}

	@Test
	void clear_removesAllKeys() { // SC-22
		this.counter.inc("x", 1);
		this.counter.inc("y", 2);
		this.counter.inc("z", 3);
		this.counter.clear();
		assertThat(this.counter.getAll(List.of(key("x"), key("y"), key("z")))).extracting(KeyValue::value)
			.containsExactly(0L, 0L, 0L);
		assertThat(admin.keysContaining(this.prefix)).isEmpty();
	}

	@Test
	void clear_emptyPrefix() { // SC-23
		this.counter.clear();
		assertThat(this.counter.get("x")).isZero();
	}

	@Test
	void clear_leavesOtherPrefixes() { // SC-24
		StrictCounter other = counter(this.prefix + "_b");
		this.counter.inc("val", 10);
		other.inc("val", 99);
		this.counter.clear();
		assertThat(other.get("val")).isEqualTo(99);
	}

	@Test
	void incIf_eachComparator() { // SC-25
		assertIncIf(eq(10), 12, 10);
		assertIncIf(lt(11), 12, 10);
		assertIncIf(gt(10), 10, 10);
		assertIncIf(ne(9), 12, 10);
		assertIncIf(nil(), 12, 10);
	}

	private void assertIncIf(CounterComparator comparator, long expectedNew, long expectedOld) {
		StrictCounter fresh = counter(this.prefix + "_" + comparator.wireName());
		fresh.set("k", 10);
		assertThat(fresh.incIf("k", comparator, 2)).isEqualTo(new CounterUpdate(expectedNew, expectedOld));
		assertThat(fresh.get("k")).isEqualTo(expectedNew);
	}

	@Test
	void incAll_empty() { // SC-26
		assertThat(this.counter.incAll(List.of())).isEmpty();
		assertThat(this.counter.incAllIf(List.of())).isEmpty();
		assertThat(this.counter.getAll(List.of())).isEmpty();
		assertThat(this.counter.setAll(List.of())).isEmpty();
		assertThat(this.counter.setAllIf(List.of())).isEmpty();
	}

	@Test
	void incAll_duplicatesApplyInOrder() { // SC-27
		assertThat(this.counter.incAll(List.of(KeyDelta.of("hits", 1), KeyDelta.of("hits", 2))))
			.containsExactly(KeyValue.of("hits", 1), KeyValue.of("hits", 3));
		assertThat(this.counter.get("hits")).isEqualTo(3);
	}

	@Test
	void incAllIf_conditionsSeeEarlierItems() { // SC-28
		this.counter.set("a", 0);
		this.counter.set("b", 10);
		assertThat(this.counter.incAllIf(List.of(ConditionalDelta.of("a", eq(0), 1), ConditionalDelta.of("a", eq(1), 2),
				ConditionalDelta.of("b", gt(20), 5), ConditionalDelta.of("b", nil(), 3))))
			.containsExactly(new KeyUpdate(key("a"), 1, 0), new KeyUpdate(key("a"), 3, 1),
					new KeyUpdate(key("b"), 10, 10), new KeyUpdate(key("b"), 13, 10));
		assertThat(this.counter.get("a")).isEqualTo(3);
		assertThat(this.counter.get("b")).isEqualTo(13);
	}

	@Test
	void setIf_eachComparator() { // SC-29
		assertSetIf(eq(10), 99, 10);
		assertSetIf(lt(11), 99, 10);
		assertSetIf(gt(10), 10, 10);
		assertSetIf(ne(9), 99, 10);
		assertSetIf(nil(), 99, 10);
	}

	private void assertSetIf(CounterComparator comparator, long expectedNew, long expectedOld) {
		StrictCounter fresh = counter(this.prefix + "_" + comparator.wireName());
		fresh.set("k", 10);
		assertThat(fresh.setIf("k", comparator, 99)).isEqualTo(new CounterUpdate(expectedNew, expectedOld));
		assertThat(fresh.get("k")).isEqualTo(expectedNew);
	}

	@Test
	void setAllIf_mixedConditions() { // SC-30
		this.counter.set("a", 10);
		this.counter.set("b", 20);
		assertThat(this.counter.setAllIf(List.of(ConditionalValue.of("c", nil(), 30), ConditionalValue.of("a", gt(5), 11),
				ConditionalValue.of("b", lt(10), 99))))
			.containsExactly(new KeyUpdate(key("c"), 30, 0), new KeyUpdate(key("a"), 11, 10),
					new KeyUpdate(key("b"), 20, 20));
		assertThat(this.counter.get("a")).isEqualTo(11);
		assertThat(this.counter.get("b")).isEqualTo(20);
		assertThat(this.counter.get("c")).isEqualTo(30);
	}

	@Test
	void setAllIf_duplicateKeysReportTheirOwnOutcome() { // spec §10 item 10 fixed: positional results
		// The reference matched rows by key name, so both rows reported the last item's (7, 5).
		assertThat(this.counter.setAllIf(List.of(ConditionalValue.of("k", nil(), 5), ConditionalValue.of("k", eq(5), 7))))
			.containsExactly(new KeyUpdate(key("k"), 5, 0), new KeyUpdate(key("k"), 7, 5));
		assertThat(this.counter.setAll(List.of(KeyValue.of("d", 1), KeyValue.of("d", 2))))
			.containsExactly(KeyValue.of("d", 1), KeyValue.of("d", 2));
	}

	@Test
	void getAll_inputOrderWithDuplicates() {
		this.counter.set("a", 1);
		this.counter.set("b", 2);
		assertThat(this.counter.getAll(List.of(key("b"), key("missing"), key("a"), key("b"))))
			.containsExactly(KeyValue.of("b", 2), KeyValue.of("missing", 0), KeyValue.of("a", 1), KeyValue.of("b", 2));
	}

	@Test
	void batches_areChunked() { // spec §10 item 28 fixed: every batch is chunked by the configured size
		// counted on a Redis of this test's own: other tests' background work would add to the shared server's stats
		try (io.distkit.test.RedisProcess redis = io.distkit.test.RedisProcess.start();
				io.distkit.test.RedisAdmin own = redis.endpoint().admin()) {
			org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory factory = redis.endpoint()
				.connectionFactory();
			try {
				StrictCounter small = StrictCounter.create(io.distkit.RedisBackend.create(factory),
						CounterOptions.builder().prefix(this.prefix).chunkSize(3).build());
				List<KeyDelta> deltas = new ArrayList<>();
				List<RedisKey> keys = new ArrayList<>();
				for (int i = 0; i < 10; i++) {
					deltas.add(KeyDelta.of("k" + (i % 4), i));
					keys.add(key("k" + i));
				}
				small.incAll(List.of(KeyDelta.of("warm", 0))); // loads the script: no NOSCRIPT round trip below
				own.resetStats();
				List<KeyValue> rows = small.incAll(deltas);
				assertThat(own.commandCalls("evalsha") + own.commandCalls("eval")).isEqualTo(4);
				assertThat(rows).extracting(KeyValue::value).containsExactly(0L, 1L, 2L, 3L, 4L, 6L, 8L, 10L, 12L, 15L);
				assertThat(small.getAll(keys)).extracting(KeyValue::value)
					.containsExactly(12L, 15L, 8L, 10L, 0L, 0L, 0L, 0L, 0L, 0L);
			}
			finally {
				factory.destroy();
			}
		}
	}

	@Test
	void batch_overflowInLaterChunkNamesAppliedItems() {
		StrictCounter small = StrictCounter.create(backend,
				CounterOptions.builder().prefix(this.prefix).chunkSize(2).build());
		small.set("big", MAX - 1);
		assertThatExceptionOfType(CounterOverflowException.class)
			.isThrownBy(() -> small.incAll(List.of(KeyDelta.of("a", 1), KeyDelta.of("b", 1), KeyDelta.of("c", 1),
					KeyDelta.of("big", 2))))
			.withMessage("Counter value out of range: must lie within ±9007199254740991 (key=\"big\", "
					+ "value=9007199254740992); the first 2 items of the batch were applied by earlier chunks")
			.satisfies((ex) -> assertThat(ex.getAppliedItems()).isEqualTo(2));
		// the first chunk was applied, the refused chunk wrote nothing (not even its in-range item "c")
		assertThat(small.getAll(List.of(key("a"), key("b"), key("c"), key("big")))).extracting(KeyValue::value)
			.containsExactly(1L, 1L, 0L, MAX - 1);
	}

	@Test
	void concurrentIncrementsAreExact() throws Exception { // 16 threads x 1,000 increments
		ExecutorService pool = Executors.newFixedThreadPool(16);
		try {
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
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(this.counter.get("hits")).isEqualTo(16_000);
	}

	// --- bad input (spec §10 item 17 fixed: ranges validated, exact arithmetic, dec(Long.MIN_VALUE)) ---

	@Test
	void inc_deltaOutOfRange() {
		assertThatExceptionOfType(CounterOverflowException.class).isThrownBy(() -> this.counter.inc("hits", MAX + 1))
			.withMessage("Counter value out of range: must lie within ±9007199254740991 (key=\"hits\", "
					+ "value=9007199254740992)");
		assertThatExceptionOfType(CounterOverflowException.class)
			.isThrownBy(() -> this.counter.inc("hits", Long.MIN_VALUE))
			.withMessageContaining("value=-9223372036854775808");
		assertThat(this.counter.get("hits")).isZero();
	}

	@Test
	void inc_resultOutOfRange() {
		this.counter.set("hits", MAX);
		assertThatExceptionOfType(CounterOverflowException.class).isThrownBy(() -> this.counter.inc("hits", MAX))
			.withMessage("Counter value out of range: must lie within ±9007199254740991 (key=\"hits\", "
					+ "value=18014398509481982)");
		assertThat(this.counter.get("hits")).isEqualTo(MAX);
		this.counter.set("neg", -MAX);
		assertThatExceptionOfType(CounterOverflowException.class).isThrownBy(() -> this.counter.dec("neg", 1))
			.withMessageContaining("value=-9007199254740992");
		assertThat(this.counter.get("neg")).isEqualTo(-MAX);
	}

	@Test
	void inc_atTheEdgesIsExact() {
		assertThat(this.counter.set("edge", MAX - 1)).isEqualTo(MAX - 1);
		assertThat(this.counter.inc("edge", 1)).isEqualTo(MAX);
		assertThat(admin.template().opsForHash().get("{" + this.prefix + ":strict}", "edge"))
			.isEqualTo("9007199254740991");
		assertThat(this.counter.dec("edge", MAX)).isZero();
		assertThat(this.counter.dec("edge", MAX)).isEqualTo(-MAX);
	}

	@Test
	void dec_longMinValue() {
		assertThatExceptionOfType(CounterOverflowException.class)
			.isThrownBy(() -> this.counter.dec("hits", Long.MIN_VALUE))
			.withMessage("Counter value out of range: must lie within ±9007199254740991 (key=\"hits\", "
					+ "value=9223372036854775808)");
	}

	@Test
	void set_valueOutOfRange() {
		assertThatExceptionOfType(CounterOverflowException.class).isThrownBy(() -> this.counter.set("hits", -MAX - 1))
			.withMessageContaining("(key=\"hits\", value=-9007199254740992)");
		assertThatExceptionOfType(CounterOverflowException.class)
			.isThrownBy(() -> this.counter.set("hits", Long.MAX_VALUE))
			.withMessageContaining("value=9223372036854775807");
		assertThat(this.counter.get("hits")).isZero();
	}

	@Test
	void get_storedValueBeyondLong() {
		admin.template().opsForHash().put("{" + this.prefix + ":strict}", "huge", "123456789012345678901234");
		assertThatExceptionOfType(CounterOverflowException.class).isThrownBy(() -> this.counter.get("huge"))
			.withMessage("Counter value out of range: must lie within ±9007199254740991 (key=\"huge\", "
					+ "value=123456789012345678901234)");
		assertThatExceptionOfType(CounterOverflowException.class).isThrownBy(() -> this.counter.inc("huge", 1))
			.withMessageContaining("value=123456789012345678901234");
	}

	@Test
	void get_storedValueNotAnInteger() {
		admin.template().opsForHash().put("{" + this.prefix + ":strict}", "bad", "1.5");
		assertThatExceptionOfType(DistkitBackendException.class).isThrownBy(() -> this.counter.get("bad"))
			.withMessage("Stored value of counter key \"bad\" is not a decimal integer (value=\"1.5\")");
	}

	// --- a single increment takes a fast path in the script (one HINCRBY); stored values it cannot take decide alike

	@Test
	void inc_storedValueWithLeadingZerosIsReadAsDecimal() {
		storeRaw("padded", "007");
		assertThat(this.counter.inc("padded", 1)).isEqualTo(8);
		assertThat(storedRaw("padded")).isEqualTo("8");
	}

	@Test
	void inc_storedValueOutsideTheRangeIsRefusedEvenWhenTheResultWouldLieInside() {
		storeRaw("above", "9007199254740996");
		assertThatExceptionOfType(CounterOverflowException.class).isThrownBy(() -> this.counter.dec("above", 10))
			.withMessageContaining("value=9007199254740996");
		assertThat(storedRaw("above")).isEqualTo("9007199254740996");
	}

	@Test
	void inc_refusedIncrementsLeaveTheStoredValueAsItWas() {
		this.counter.set("top", MAX);
		assertThatExceptionOfType(CounterOverflowException.class).isThrownBy(() -> this.counter.inc("top", 1));
		assertThat(storedRaw("top")).isEqualTo("9007199254740991");
		storeRaw("huge", "9223372036854775807");
		assertThatExceptionOfType(CounterOverflowException.class).isThrownBy(() -> this.counter.inc("huge", 1))
			.withMessageContaining("value=9223372036854775807");
		assertThat(storedRaw("huge")).isEqualTo("9223372036854775807");
		storeRaw("bad", "1.5");
		assertThatExceptionOfType(DistkitBackendException.class).isThrownBy(() -> this.counter.inc("bad", 1))
			.withMessage("Stored value of counter key \"bad\" is not a decimal integer (value=\"1.5\")");
		assertThat(storedRaw("bad")).isEqualTo("1.5");
	}

	@Test
	void inc_zeroOnANewKeyWritesNothing() {
		assertThat(this.counter.inc("fresh", 0)).isZero();
		assertThat(admin.template().opsForHash().hasKey(container(), "fresh")).isFalse();
	}

	private String container() {
		return "{" + this.prefix + ":strict}";
	}

	private void storeRaw(String key, String value) {
		admin.template().opsForHash().put(container(), key, value);
	}

	private Object storedRaw(String key) {
		return admin.template().opsForHash().get(container(), key);
	}

	@Test
	void invalidKeys() {
		assertThatExceptionOfType(InvalidRedisKeyException.class).isThrownBy(() -> this.counter.inc("", 1))
			.withMessage("Invalid Redis key: must not be empty (key=\"\")");
		assertThatExceptionOfType(InvalidRedisKeyException.class).isThrownBy(() -> this.counter.inc("a:b", 1))
			.withMessage("Invalid Redis key: must not contain colons (key=\"a:b\")");
		assertThatExceptionOfType(InvalidRedisKeyException.class)
			.isThrownBy(() -> this.counter.inc("x".repeat(256), 1))
			.withMessageContaining("must not be longer than 255 bytes of UTF-8");
		assertThatExceptionOfType(InvalidRedisKeyException.class)
			.isThrownBy(() -> CounterOptions.builder().prefix("a{b}"))
			.withMessage("Invalid Redis key: a prefix must not contain braces (key=\"a{b}\")");
	}

	// --- documentation examples (spec §7.7) ---

	@Test
	void doc01_incReturnsRunningTotal() {
		assertThat(this.counter.inc("visits", 1)).isEqualTo(1);
		assertThat(this.counter.inc("visits", 9)).isEqualTo(10);
		assertThat(this.counter.inc("visits", -3)).isEqualTo(7);
	}

	@Test
	void doc02_incIf() {
		this.counter.set("k", 10);
		assertThat(this.counter.incIf("k", eq(10), 5)).isEqualTo(new CounterUpdate(15, 10));
		assertThat(this.counter.incIf("k", lt(10), 5)).isEqualTo(new CounterUpdate(15, 15));
		assertThat(this.counter.incIf("k", nil(), 5)).isEqualTo(new CounterUpdate(20, 15));
	}

	@Test
	void doc03_dec() {
		this.counter.set("k", 10);
		assertThat(this.counter.dec("k", 3)).isEqualTo(7);
		assertThat(this.counter.dec("k", 100)).isEqualTo(-93);
	}

	@Test
	void doc04_get() {
		assertThat(this.counter.get("k")).isZero();
		this.counter.inc("k", 5);
		assertThat(this.counter.get("k")).isEqualTo(5);
	}

	@Test
	void doc05_set() {
		this.counter.inc("k", 1000);
		assertThat(this.counter.set("k", 850)).isEqualTo(850);
		assertThat(this.counter.get("k")).isEqualTo(850);
	}

	@Test
	void doc06_setIf() {
		this.counter.set("k", 10);
		assertThat(this.counter.setIf("k", gt(5), 25)).isEqualTo(new CounterUpdate(25, 10));
		assertThat(this.counter.setIf("k", eq(10), 50)).isEqualTo(new CounterUpdate(25, 25));
		assertThat(this.counter.setIf("k", nil(), 40)).isEqualTo(new CounterUpdate(40, 25));
	}

	@Test
	void doc07_del() {
		this.counter.set("k", 42);
		assertThat(this.counter.del("k")).isEqualTo(42);
		assertThat(this.counter.get("k")).isZero();
		assertThat(this.counter.del("k")).isZero();
	}

	@Test
	void doc08_clear() {
		this.counter.set("a", 10);
		this.counter.set("b", 20);
		this.counter.clear();
		assertThat(this.counter.get("a")).isZero();
		assertThat(this.counter.get("b")).isZero();
	}

	@Test
	void doc09_incAll() {
		assertThat(this.counter.incAll(List.of(KeyDelta.of("a", 3), KeyDelta.of("b", 5))))
			.containsExactly(KeyValue.of("a", 3), KeyValue.of("b", 5));
	}

	@Test
	void doc10_incAllIf() {
		this.counter.set("a", 10);
		assertThat(this.counter.incAllIf(List.of(ConditionalDelta.of("a", eq(10), 5), ConditionalDelta.of("b", nil(), 2))))
			.containsExactly(new KeyUpdate(key("a"), 15, 10), new KeyUpdate(key("b"), 2, 0));
	}

	@Test
	void doc11_setAllIf() {
		this.counter.set("a", 10);
		assertThat(this.counter.setAllIf(List.of(ConditionalValue.of("a", eq(10), 15), ConditionalValue.of("b", nil(), 20))))
			.containsExactly(new KeyUpdate(key("a"), 15, 10), new KeyUpdate(key("b"), 20, 0));
	}

	@Test
	void doc12_readmeExample() {
		this.counter.set("k", 10);
		assertThat(this.counter.incIf("k", eq(10), 5)).isEqualTo(new CounterUpdate(15, 10));
		assertThat(this.counter.setIf("k", gt(20), 99)).isEqualTo(new CounterUpdate(15, 15));
		assertThat(this.counter.incAllIf(List.of(ConditionalDelta.of("k", eq(15), 2), ConditionalDelta.of("k", nil(), 3))))
			.containsExactly(new KeyUpdate(key("k"), 17, 15), new KeyUpdate(key("k"), 20, 17));
	}

}
