package io.distkit.icounter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.distkit.CounterOverflowException;
import io.distkit.counter.ConditionalDelta;
import io.distkit.counter.ConditionalValue;
import io.distkit.counter.CounterComparator;
import io.distkit.counter.KeyDelta;
import io.distkit.counter.KeyValue;

import static io.distkit.counter.CounterComparator.eq;
import static io.distkit.counter.CounterComparator.gt;
import static io.distkit.counter.CounterComparator.lt;
import static io.distkit.counter.CounterComparator.ne;
import static io.distkit.counter.CounterComparator.nil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Spec §7.5 (SI-xx) and the instance-aware examples of §7.7 (DOC-19..35) against real Redis. Where the reference
 * waited a fixed time for an instance to be dead, these tests wait for Redis time to pass. Slices are reported as
 * the spec's fixes say: a slice that stopped counting reads as 0.
 */
class StrictInstanceAwareCounterIntegrationTests extends InstanceAwareTestSupport {

	private static final Duration SHORT = Duration.ofMillis(100);

	private StrictInstanceAwareCounter counter() {
		return counter(options());
	}

	private StrictInstanceAwareCounter counter(InstanceAwareOptions.Builder options) {
		return opened(StrictInstanceAwareCounter.create(backend, options.build()));
	}

	private List<StrictInstanceAwareCounter> counters(int count) {
		List<StrictInstanceAwareCounter> counters = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			counters.add(counter());
		}
		return counters;
	}

	private StrictInstanceAwareCounter shortLived() {
		return counter(shortThreshold(SHORT));
	}

	private static void drop(StrictInstanceAwareCounter counter) {
		((RedisStrictInstanceAwareCounter) counter).abandon();
	}

	@Test
	void liveInstances_countsInstancesWithAFreshHeartbeat() {
		StrictInstanceAwareCounter a = counter();
		StrictInstanceAwareCounter b = counter();
		assertThat(a.liveInstances()).as("no instance has reached Redis yet").isZero();
		a.inc("k", 1);
		b.inc("k", 1);
		assertThat(a.liveInstances()).isEqualTo(2);
		b.close();
		assertThat(a.liveInstances()).as("a closed instance deregisters").isEqualTo(1);
	}

	// --- single instance ---

	@Test
	void inc_accumulates() { // SI-01, SI-02
		StrictInstanceAwareCounter c = counter();
		assertThat(c.inc("k", 5)).isEqualTo(totals(5, 5));
		assertThat(c.inc("k", 3)).isEqualTo(totals(8, 8));
		assertThat(c.inc("k", 0)).isEqualTo(totals(8, 8));
	}

	@Test
	void set_andSetOnInstance() { // SI-03, SI-04
		StrictInstanceAwareCounter c = counter();
		assertThat(c.set("a", 99)).isEqualTo(totals(99, 99));
		assertThat(c.setOnInstance("b", 42)).isEqualTo(totals(42, 42));
	}

	@Test
	void get() { // SI-05, SI-06
		StrictInstanceAwareCounter c = counter();
		assertThat(c.get("unknown")).isEqualTo(totals(0, 0));
		c.inc("k", 7);
		assertThat(c.get("k")).isEqualTo(totals(7, 7));
	}

	@Test
	void del() { // SI-07, SI-08
		StrictInstanceAwareCounter c = counter();
		c.inc("k", 42);
		assertThat(c.del("k")).isEqualTo(totals(42, 42));
		assertThat(c.get("k")).isEqualTo(totals(0, 0));
		assertThat(c.del("k")).isEqualTo(totals(0, 0));
	}

	@Test
	void delOnInstance() { // SI-09, SI-10
		StrictInstanceAwareCounter c = counter();
		c.inc("k", 15);
		assertThat(c.delOnInstance("k")).isEqualTo(totals(0, 15));
		assertThat(c.delOnInstance("unknown")).isEqualTo(totals(0, 0));
	}

	@Test
	void clearAndClearOnInstance() { // SI-11, SI-12
		StrictInstanceAwareCounter c = counter();
		c.inc("a", 5);
		c.inc("b", 10);
		c.clear();
		assertThat(c.get("a").cumulative()).isZero();
		assertThat(c.get("b").cumulative()).isZero();
		c.inc("k", 20);
		c.clearOnInstance();
		assertThat(c.get("k")).isEqualTo(totals(0, 0));
	}

	@Test
	void keysAndPrefixesAreIndependent() { // SI-13, SI-14
		StrictInstanceAwareCounter c = counter();
		c.inc("a", 5);
		c.inc("b", 10);
		assertThat(c.get("a").cumulative()).isEqualTo(5);
		assertThat(c.get("b").cumulative()).isEqualTo(10);
		StrictInstanceAwareCounter other = counter(InstanceAwareOptions.builder().prefix(this.prefix + "_2"));
		assertThat(other.get("a").cumulative()).isZero();
		assertThat(other.instanceId()).isNotEqualTo(c.instanceId());
	}

	// --- cumulative accuracy with N instances ---

	@Test
	void threeInstances() { // SI-15
		List<StrictInstanceAwareCounter> c = counters(3);
		c.get(0).inc("k", 10);
		c.get(1).inc("k", 20);
		assertThat(c.get(2).inc("k", 30)).isEqualTo(totals(60, 30));
	}

	@Test
	void fiveInstancesSetOnInstance() { // SI-16
		List<StrictInstanceAwareCounter> c = counters(5);
		for (int i = 0; i < 5; i++) {
			c.get(i).setOnInstance("k", i + 1);
		}
		assertThat(c.get(0).get("k").cumulative()).isEqualTo(15);
		for (int i = 0; i < 5; i++) {
			assertThat(c.get(i).get("k").slice()).isEqualTo(i + 1);
		}
	}

	@Test
	void tenInstances() { // SI-17
		List<StrictInstanceAwareCounter> c = counters(10);
		c.forEach((counter) -> counter.inc("k", 1));
		assertThat(c.get(0).get("k").cumulative()).isEqualTo(10);
	}

	@Test
	void delOnInstanceByEach() { // SI-18
		List<StrictInstanceAwareCounter> c = counters(3);
		c.get(0).inc("k", 10);
		c.get(1).inc("k", 20);
		c.get(2).inc("k", 30);
		assertThat(c.get(0).delOnInstance("k").cumulative()).isEqualTo(50);
		assertThat(c.get(1).delOnInstance("k").cumulative()).isEqualTo(30);
		assertThat(c.get(2).delOnInstance("k").cumulative()).isEqualTo(0);
	}

	@Test
	void clearOnInstanceByEach() { // SI-19
		List<StrictInstanceAwareCounter> c = counters(3);
		c.get(0).inc("k", 10);
		c.get(1).inc("k", 20);
		c.get(2).inc("k", 30);
		c.get(0).clearOnInstance();
		assertThat(c.get(2).get("k").cumulative()).isEqualTo(50);
		c.get(1).clearOnInstance();
		assertThat(c.get(2).get("k").cumulative()).isEqualTo(30);
		c.get(2).clearOnInstance();
		assertThat(c.get(2).get("k").cumulative()).isEqualTo(0);
	}

	// --- epoch propagation ---

	@Test
	void setMakesOtherSlicesStale() { // SI-20
		List<StrictInstanceAwareCounter> c = counters(3);
		c.forEach((counter) -> counter.setOnInstance("k", 100));
		assertThat(c.get(0).set("k", 50).cumulative()).isEqualTo(50);
		assertThat(c.get(1).inc("k", 5).cumulative()).isEqualTo(55);
		assertThat(c.get(2).inc("k", 5).cumulative()).isEqualTo(60);
	}

	@Test
	void delMakesOtherSlicesStale() { // SI-21
		List<StrictInstanceAwareCounter> c = counters(3);
		c.forEach((counter) -> counter.inc("k", 100));
		c.get(0).del("k");
		c.get(1).inc("k", 10);
		assertThat(c.get(2).inc("k", 10).cumulative()).isEqualTo(20);
	}

	@Test
	void lastSetWins() { // SI-22, SI-45
		List<StrictInstanceAwareCounter> c = counters(3);
		assertThat(c.get(0).set("k", 10).cumulative()).isEqualTo(10);
		assertThat(c.get(1).set("k", 20).cumulative()).isEqualTo(20);
		assertThat(c.get(2).set("k", 30).cumulative()).isEqualTo(30);
		assertThat(c.get(0).get("k").cumulative()).isEqualTo(30);
		assertThat(c.get(0).set("k", 20).cumulative()).isEqualTo(20);
		assertThat(c.get(0).get("k").cumulative()).isEqualTo(20);
	}

	@Test
	void severalEpochBumps() { // SI-23
		List<StrictInstanceAwareCounter> c = counters(3);
		c.get(2).inc("k", 50);
		c.get(1).set("k", 10);
		c.get(1).set("k", 20);
		c.get(1).set("k", 30);
		assertThat(c.get(2).inc("k", 5).cumulative()).isEqualTo(35);
	}

	@Test
	void newInstanceSetOnInstanceAfterSet() { // SI-24
		List<StrictInstanceAwareCounter> c = counters(2);
		c.get(0).set("k", 100);
		assertThat(c.get(1).setOnInstance("k", 50)).isEqualTo(totals(150, 50));
	}

	// --- interleavings ---

	@Test
	void interleavedSetAndIncrements() { // SI-25
		List<StrictInstanceAwareCounter> c = counters(3);
		c.get(0).inc("k", 10);
		c.get(1).inc("k", 5);
		assertThat(c.get(0).set("k", 20).cumulative()).isEqualTo(20);
		assertThat(c.get(1).inc("k", 3).cumulative()).isEqualTo(23);
		assertThat(c.get(2).inc("k", 7).cumulative()).isEqualTo(30);
	}

	@Test
	void everyoneRemovesTheirSlice() { // SI-26
		List<StrictInstanceAwareCounter> c = counters(5);
		for (int i = 0; i < 5; i++) {
			c.get(i).inc("k", 5 * (i + 1));
		}
		c.forEach((counter) -> counter.delOnInstance("k"));
		assertThat(c.get(0).get("k").cumulative()).isZero();
	}

	@Test
	void staleSlicesAreReplaced() { // SI-27
		List<StrictInstanceAwareCounter> c = counters(3);
		c.get(1).setOnInstance("k", 200);
		c.get(2).setOnInstance("k", 300);
		assertThat(c.get(0).set("k", 100).cumulative()).isEqualTo(100);
		c.get(1).inc("k", 10);
		assertThat(c.get(2).inc("k", 10).cumulative()).isEqualTo(120);
		assertThat(c.get(1).get("k").slice()).isEqualTo(10);
		assertThat(c.get(2).get("k").slice()).isEqualTo(10);
	}

	@Test
	void delByAThirdInstance() { // SI-28
		List<StrictInstanceAwareCounter> c = counters(3);
		c.get(0).inc("k", 50);
		c.get(1).inc("k", 30);
		c.get(2).del("k");
		c.get(0).inc("k", 5);
		c.get(1).inc("k", 7);
		assertThat(c.get(2).inc("k", 3).cumulative()).isEqualTo(15);
	}

	@Test
	void roundsOfIncrements() { // SI-29
		List<StrictInstanceAwareCounter> c = counters(5);
		for (int round = 0; round < 10; round++) {
			c.forEach((counter) -> counter.inc("k", 1));
		}
		assertThat(c.get(0).get("k").cumulative()).isEqualTo(50);
		c.forEach((counter) -> assertThat(counter.get("k").slice()).isEqualTo(10));
	}

	// --- dead instances ---

	@Test
	void deadInstancesAreReaped() { // SI-30
		List<StrictInstanceAwareCounter> c = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			c.add(shortLived());
			c.get(i).inc("k", 10);
		}
		for (int i = 1; i < 5; i++) {
			drop(c.get(i));
		}
		awaitRedisTime(SHORT.multipliedBy(2));
		assertThat(c.get(0).get("k")).isEqualTo(totals(10, 10));
	}

	@Test
	void newInstanceAfterReaping() { // SI-31
		StrictInstanceAwareCounter c1 = shortLived();
		StrictInstanceAwareCounter c2 = shortLived();
		c1.inc("k", 40);
		c2.inc("k", 60);
		drop(c1);
		awaitRedisTime(SHORT.multipliedBy(2));
		// c2 was idle for the wait too, but its own call refreshes its heartbeat before reaping
		assertThat(c2.get("k").cumulative()).isEqualTo(60);
		assertThat(shortLived().inc("k", 20).cumulative()).isEqualTo(80);
	}

	@Test
	void reapingCleansEveryKey() { // SI-32
		StrictInstanceAwareCounter c1 = shortLived();
		StrictInstanceAwareCounter c2 = shortLived();
		c1.inc("a", 10);
		c1.inc("b", 20);
		c1.inc("c", 30);
		c2.get("a");
		drop(c1);
		awaitRedisTime(SHORT.multipliedBy(2));
		assertThat(c2.get("a").cumulative()).isZero();
		assertThat(c2.get("b").cumulative()).isZero();
		assertThat(c2.get("c").cumulative()).isZero();
	}

	@Test
	void nobodyReapedBeforeTheThreshold() { // SI-33
		StrictInstanceAwareCounter c1 = counter(shortThreshold(Duration.ofSeconds(5)));
		StrictInstanceAwareCounter c2 = counter(shortThreshold(Duration.ofSeconds(5)));
		c1.inc("k", 40);
		c2.inc("k", 60);
		awaitRedisTime(SHORT);
		assertThat(c2.get("k").cumulative()).isEqualTo(100);
	}

	@Test
	void droppedAfterTheWait() { // SI-34
		StrictInstanceAwareCounter c1 = shortLived();
		StrictInstanceAwareCounter c2 = shortLived();
		c1.inc("k", 40);
		c2.inc("k", 60);
		awaitRedisTime(SHORT.multipliedBy(2));
		drop(c1);
		assertThat(c2.get("k").cumulative()).isEqualTo(60);
	}

	// --- multi-key ---

	@Test
	void multiKey() { // SI-35
		List<StrictInstanceAwareCounter> c = counters(3);
		for (int i = 0; i < 3; i++) {
			c.get(i).inc("a", i + 1);
			c.get(i).inc("b", 10 * (i + 1));
		}
		assertThat(c.get(0).get("a").cumulative()).isEqualTo(6);
		assertThat(c.get(0).get("b").cumulative()).isEqualTo(60);
	}

	@Test
	void setOfOneKeyLeavesTheOther() { // SI-36
		List<StrictInstanceAwareCounter> c = counters(3);
		c.forEach((counter) -> {
			counter.inc("k1", 10);
			counter.inc("k2", 10);
		});
		c.get(0).set("k1", 5);
		assertThat(c.get(1).inc("k2", 1).cumulative()).isEqualTo(31);
		assertThat(c.get(2).inc("k2", 1).cumulative()).isEqualTo(32);
		assertThat(c.get(1).inc("k1", 7).cumulative()).isEqualTo(12);
	}

	@Test
	void clearOnInstanceOfSeveralKeys() { // SI-37
		List<StrictInstanceAwareCounter> c = counters(2);
		c.get(0).inc("a", 10);
		c.get(0).inc("b", 20);
		c.get(0).inc("c", 30);
		for (String k : List.of("a", "b", "c")) {
			c.get(1).inc(k, 5);
		}
		c.get(0).clearOnInstance();
		for (String k : List.of("a", "b", "c")) {
			assertThat(c.get(1).get(k).cumulative()).isEqualTo(5);
		}
	}

	// --- stale edge cases ---

	@Test
	void staleDelOnInstanceSubtractsNothing() { // SI-38
		List<StrictInstanceAwareCounter> c = counters(2);
		c.get(0).inc("k", 40);
		c.get(1).inc("k", 60);
		c.get(0).set("k", 10);
		// changed expectation (spec §10 item 25): the removed slice did not count, so it is reported as 0, not 60
		assertThat(c.get(1).delOnInstance("k")).isEqualTo(totals(10, 0));
	}

	@Test
	void staleSetOnInstanceReplaces() { // SI-39, SI-40
		List<StrictInstanceAwareCounter> c = counters(2);
		c.get(1).setOnInstance("k", 50);
		c.get(0).set("k", 100);
		assertThat(c.get(1).setOnInstance("k", 30)).isEqualTo(totals(130, 30));
		c.get(1).setOnInstance("j", 100);
		c.get(0).set("j", 5);
		assertThat(c.get(1).inc("j", 3).cumulative()).isEqualTo(8);
	}

	@Test
	void twoInstancesAdd() { // SI-41, SI-42, SI-43
		List<StrictInstanceAwareCounter> c = counters(2);
		c.get(0).inc("a", 10);
		assertThat(c.get(1).inc("a", 20).cumulative()).isEqualTo(30);
		assertThat(c.get(0).setOnInstance("b", 5).cumulative()).isEqualTo(5);
		assertThat(c.get(1).setOnInstance("b", 10).cumulative()).isEqualTo(15);
		c.get(0).inc("c", 30);
		c.get(1).inc("c", 50);
		assertThat(c.get(0).delOnInstance("c")).isEqualTo(totals(50, 30));
	}

	@Test
	void setTakesOverTheWholeValue() { // SI-44
		List<StrictInstanceAwareCounter> c = counters(2);
		c.get(0).setOnInstance("k", 5);
		c.get(1).setOnInstance("k", 10);
		assertThat(c.get(0).set("k", 3).cumulative()).isEqualTo(3);
		assertThat(c.get(1).inc("k", 5).cumulative()).isEqualTo(8);
	}

	// --- recovery (c1 is idle, not dropped, while it is reaped) ---

	@Test
	void recoveryThroughAWrite() { // SI-46
		StrictInstanceAwareCounter c1 = shortLived();
		StrictInstanceAwareCounter c2 = shortLived();
		c1.inc("k", 20);
		awaitRedisTime(SHORT.multipliedBy(2));
		assertThat(c2.get("k").cumulative()).isZero();
		assertThat(c1.inc("k", 5).cumulative()).isEqualTo(25);
		assertThat(c1.get("k")).isEqualTo(totals(25, 25));
	}

	@Test
	void recoveryThroughARead() { // SI-47
		StrictInstanceAwareCounter c1 = shortLived();
		StrictInstanceAwareCounter c2 = shortLived();
		c1.inc("k", 30);
		awaitRedisTime(SHORT.multipliedBy(2));
		assertThat(c2.get("k").cumulative()).isZero();
		assertThat(c1.get("k")).isEqualTo(totals(30, 30));
	}

	@Test
	void noRecoveryAfterASet() { // SI-48
		StrictInstanceAwareCounter c1 = shortLived();
		StrictInstanceAwareCounter c2 = shortLived();
		c1.inc("k", 20);
		awaitRedisTime(SHORT.multipliedBy(2));
		assertThat(c2.set("k", 100).cumulative()).isEqualTo(100);
		assertThat(c1.inc("k", 5).cumulative()).isEqualTo(105);
		assertThat(c1.get("k").slice()).isEqualTo(5);
	}

	@Test
	void recoveryThroughTheHeartbeat() { // SI-49, SI-50
		StrictInstanceAwareCounter c1 = shortLived();
		StrictInstanceAwareCounter c2 = shortLived();
		c1.inc("k", 20);
		c1.inc("j", 20);
		awaitRedisTime(SHORT.multipliedBy(2));
		assertThat(c2.get("k").cumulative()).isZero();
		c2.set("j", 100);
		c1.heartbeat();
		assertThat(c2.get("k").cumulative()).isEqualTo(20);
		assertThat(c2.get("j").cumulative()).isEqualTo(100); // not 120: the set came after c1's slice was written
	}

	@Test
	void noRecoveryWhileAlive() { // SI-51
		StrictInstanceAwareCounter c1 = counter(shortThreshold(Duration.ofSeconds(5)));
		StrictInstanceAwareCounter c2 = counter(shortThreshold(Duration.ofSeconds(5)));
		c1.inc("k", 20);
		c1.inc("k", 5);
		assertThat(c2.get("k")).isEqualTo(totals(25, 0));
		assertThat(c1.get("k").slice()).isEqualTo(25);
	}

	// --- conditional and batch ---

	@Test
	void incIf_eachComparator() { // SI-52, DOC-20
		assertIncIf(eq(10), update(12, 12, 10, 10));
		assertIncIf(lt(11), update(12, 12, 10, 10));
		assertIncIf(gt(10), update(10, 10, 10, 10));
		assertIncIf(ne(9), update(12, 12, 10, 10));
		assertIncIf(nil(), update(12, 12, 10, 10));
	}

	private void assertIncIf(CounterComparator comparator, TotalsUpdate expected) {
		StrictInstanceAwareCounter c = counter(InstanceAwareOptions.builder()
			.prefix(this.prefix + "_" + comparator.wireName()));
		c.set("k", 10);
		assertThat(c.incIf("k", comparator, 2)).isEqualTo(expected);
		assertThat(c.get("k")).isEqualTo(expected.newTotals());
	}

	@Test
	void emptyBatches() { // SI-53
		StrictInstanceAwareCounter c = counter();
		assertThat(c.incAll(List.of())).isEmpty();
		assertThat(c.incAllIf(List.of())).isEmpty();
		assertThat(c.getAll(List.of())).isEmpty();
		assertThat(c.getAllOnInstance(List.of())).isEmpty();
		assertThat(c.setAll(List.of())).isEmpty();
		assertThat(c.setAllIf(List.of())).isEmpty();
		assertThat(c.setAllOnInstance(List.of())).isEmpty();
		assertThat(c.setAllOnInstanceIf(List.of())).isEmpty();
	}

	@Test
	void incAll_duplicatesApplyInOrder() { // SI-54
		StrictInstanceAwareCounter c = counter();
		assertThat(c.incAll(List.of(KeyDelta.of("hits", 1), KeyDelta.of("hits", 2))))
			.containsExactly(new KeyTotals(key("hits"), 1, 1), new KeyTotals(key("hits"), 3, 3));
		assertThat(c.get("hits")).isEqualTo(totals(3, 3));
	}

	@Test
	void incAllIf_conditionsSeeEarlierItems() { // SI-55
		StrictInstanceAwareCounter c1 = counter();
		StrictInstanceAwareCounter c2 = counter();
		c2.inc("b", 5);
		c1.set("a", 0);
		assertThat(c1.incAllIf(List.of(ConditionalDelta.of("a", eq(0), 1), ConditionalDelta.of("a", eq(1), 2),
				ConditionalDelta.of("b", gt(10), 4), ConditionalDelta.of("b", eq(5), 3))))
			.containsExactly(row("a", 1, 1, 0, 0), row("a", 3, 3, 1, 1), row("b", 5, 0, 5, 0), row("b", 8, 3, 5, 0));
		assertThat(c1.get("a")).isEqualTo(totals(3, 3));
		assertThat(c1.get("b")).isEqualTo(totals(8, 3));
		assertThat(c2.get("b")).isEqualTo(totals(8, 5));
	}

	@Test
	void setOnInstanceIf() { // SI-56, DOC-25
		StrictInstanceAwareCounter c1 = counter();
		StrictInstanceAwareCounter c2 = counter();
		c1.setOnInstance("k", 7);
		c2.setOnInstance("k", 5);
		assertThat(c1.setOnInstanceIf("k", gt(6), 9)).isEqualTo(update(14, 9, 12, 7));
		assertThat(c1.setOnInstanceIf("k", eq(8), 50)).isEqualTo(update(14, 9, 14, 9));
		assertThat(c1.setOnInstanceIf("k", nil(), 11)).isEqualTo(update(16, 11, 14, 9));
	}

	@Test
	void setAllIf_mixedConditions() { // SI-57
		StrictInstanceAwareCounter c = counter();
		c.set("a", 10);
		c.set("b", 20);
		assertThat(c.setAllIf(List.of(ConditionalValue.of("c", nil(), 30), ConditionalValue.of("a", gt(5), 11),
				ConditionalValue.of("b", lt(10), 99))))
			.containsExactly(row("c", 30, 30, 0, 0), row("a", 11, 11, 10, 10), row("b", 20, 20, 20, 20));
		assertThat(c.get("a")).isEqualTo(totals(11, 11));
		assertThat(c.get("b")).isEqualTo(totals(20, 20));
		assertThat(c.get("c")).isEqualTo(totals(30, 30));
	}

	@Test
	void setAllOnInstanceIf() { // SI-58
		StrictInstanceAwareCounter c1 = counter();
		StrictInstanceAwareCounter c2 = counter();
		c1.setOnInstance("a", 4);
		c2.setOnInstance("a", 5);
		c2.setOnInstance("b", 3);
		assertThat(c1.setAllOnInstanceIf(List.of(ConditionalValue.of("b", eq(1), 10), ConditionalValue.of("a", nil(), 7))))
			.containsExactly(row("b", 3, 0, 3, 0), row("a", 12, 7, 9, 4));
		assertThat(c2.get("a").cumulative()).isEqualTo(12);
		assertThat(c2.get("b")).isEqualTo(totals(3, 3));
	}

	// --- documentation examples (§7.7) ---

	@Test
	void documentationExamples() { // DOC-19, DOC-21..24, DOC-26..34
		StrictInstanceAwareCounter a = counter(InstanceAwareOptions.builder().prefix(this.prefix + "_19"));
		StrictInstanceAwareCounter b = counter(InstanceAwareOptions.builder().prefix(this.prefix + "_19"));
		assertThat(a.inc("k", 3)).isEqualTo(totals(3, 3)); // DOC-19
		assertThat(b.inc("k", 5)).isEqualTo(totals(8, 5));
		assertThat(a.dec("d", 0)).isEqualTo(totals(0, 0));
		a.inc("d", 10);
		assertThat(a.dec("d", 4)).isEqualTo(totals(6, 6)); // DOC-21
		b.inc("k", 0);
		assertThat(a.set("k", 100)).isEqualTo(totals(100, 100)); // DOC-22
		a.set("s", 10); // DOC-23
		assertThat(a.setIf("s", gt(5), 40)).isEqualTo(update(40, 40, 10, 10));
		assertThat(a.setIf("s", eq(10), 99)).isEqualTo(update(40, 40, 40, 40));
		assertThat(a.setIf("s", nil(), 12)).isEqualTo(update(12, 12, 40, 40));
		a.inc("o", 10); // DOC-24
		b.inc("o", 5);
		assertThat(a.setOnInstance("o", 7)).isEqualTo(totals(12, 7));
		assertThat(a.get("m")).isEqualTo(totals(0, 0)); // DOC-26
		a.inc("m", 5);
		assertThat(a.get("m")).isEqualTo(totals(5, 5));
		a.inc("x", 3); // DOC-27
		b.inc("x", 7);
		assertThat(a.del("x").cumulative()).isEqualTo(10);
		assertThat(b.inc("x", 1)).isEqualTo(totals(1, 1));
		a.inc("y", 3); // DOC-28
		b.inc("y", 7);
		assertThat(a.delOnInstance("y")).isEqualTo(totals(7, 3));
		a.inc("z", 3); // DOC-30
		b.inc("z", 7);
		a.clearOnInstance();
		assertThat(b.get("z")).isEqualTo(totals(7, 7));
		assertThat(a.incAll(List.of(KeyDelta.of("p", 3), KeyDelta.of("q", 5)))) // DOC-31
			.containsExactly(new KeyTotals(key("p"), 3, 3), new KeyTotals(key("q"), 5, 5));
		a.set("r", 10); // DOC-32
		assertThat(a.incAllIf(List.of(ConditionalDelta.of("r", eq(10), 5), ConditionalDelta.of("t", nil(), 2))))
			.containsExactly(row("r", 15, 15, 10, 10), row("t", 2, 2, 0, 0));
		a.set("u", 10); // DOC-33
		assertThat(a.setAllIf(List.of(ConditionalValue.of("u", eq(10), 15), ConditionalValue.of("v", nil(), 20))))
			.containsExactly(row("u", 15, 15, 10, 10), row("v", 20, 20, 0, 0));
		assertThat(a.setAllOnInstanceIf(List.of(ConditionalValue.of("w1", nil(), 5), // DOC-34
				ConditionalValue.of("w2", eq(0), 7))))
			.containsExactly(row("w1", 5, 5, 0, 0), row("w2", 7, 7, 0, 0));
		a.set("c1", 10); // DOC-29
		a.set("c2", 20);
		a.clear();
		assertThat(a.get("c1")).isEqualTo(totals(0, 0));
		assertThat(a.get("c2")).isEqualTo(totals(0, 0));
	}

	@Test
	void optionDefaults() { // DOC-35
		InstanceAwareOptions options = InstanceAwareOptions.builder().prefix("p").build();
		assertThat(options.deadInstanceThreshold()).isEqualTo(Duration.ofSeconds(30));
		assertThat(options.heartbeat()).isEqualTo(Duration.ofSeconds(10));
		assertThat(options.removeOnClose()).isTrue();
		assertThat(counter().instanceId()).isNotEmpty();
	}

	// --- numbers (DESIGN decision 4) ---

	@Test
	void valuesOutOfRangeAreRefusedNamingTheValue() {
		StrictInstanceAwareCounter c = counter();
		assertThatExceptionOfType(CounterOverflowException.class)
			.isThrownBy(() -> c.inc("k", CounterOverflowException.MAX_VALUE + 1))
			.withMessageContaining("value=9007199254740992");
		c.set("k", CounterOverflowException.MAX_VALUE);
		assertThatExceptionOfType(CounterOverflowException.class).isThrownBy(() -> c.inc("k", 1))
			.withMessageContaining("key=\"k\", value=9007199254740992");
		assertThat(c.get("k")).isEqualTo(totals(CounterOverflowException.MAX_VALUE, CounterOverflowException.MAX_VALUE));
		assertThatExceptionOfType(CounterOverflowException.class)
			.isThrownBy(() -> c.setAll(List.of(KeyValue.of("k", -CounterOverflowException.MAX_VALUE - 1))))
			.withMessageContaining("value=-9007199254740992");
		assertThatExceptionOfType(CounterOverflowException.class).isThrownBy(() -> c.dec("k", Long.MIN_VALUE))
			.withMessageContaining("value=9223372036854775808");
	}

	@Test
	void batchIsAllOrNothingWithinAChunk() {
		StrictInstanceAwareCounter c = counter();
		c.set("full", CounterOverflowException.MAX_VALUE);
		assertThatExceptionOfType(CounterOverflowException.class)
			.isThrownBy(() -> c.incAll(List.of(KeyDelta.of("other", 1), KeyDelta.of("full", 1))));
		assertThat(c.get("other")).isEqualTo(totals(0, 0));
	}

	@Test
	void closedCounterRefusesOperations() {
		StrictInstanceAwareCounter c = counter();
		c.inc("k", 1);
		c.close();
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> c.get("k"))
			.withMessageContaining("is closed");
		c.close(); // idempotent
	}

}
