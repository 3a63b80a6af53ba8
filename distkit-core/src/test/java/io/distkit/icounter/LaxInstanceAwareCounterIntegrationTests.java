package io.distkit.icounter;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.distkit.CounterOverflowException;
import io.distkit.DistkitBackendException;
import io.distkit.counter.ConditionalDelta;
import io.distkit.counter.ConditionalValue;
import io.distkit.counter.CounterComparator;
import io.distkit.counter.KeyDelta;
import io.distkit.counter.KeyValue;
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
 * Spec §7.6 (LI-xx), the lax instance-aware examples of §7.7 (DOC-36..44) and the fixes of spec §10 items 12–14,
 * against real Redis. The reference waited 50 ms for flushes and for its cached values to age; here local time is a
 * {@link ManualClock} (moved past the allowed lag where a scenario needs a reload) and a "wait" is an explicit flush
 * or a wait for the value to reach Redis. The dead-instance threshold is the default unless a scenario needs an
 * instance reaped.
 */
class LaxInstanceAwareCounterIntegrationTests extends InstanceAwareTestSupport {

	private static final Duration LAG = Duration.ofMillis(10);

	private final ManualClock clock = new ManualClock();

	private InstanceAwareOptions.Builder laxOptions() {
		return options().flushInterval(LAG).allowedLag(LAG).clock(this.clock::nanoTime);
	}

	private LaxInstanceAwareCounter counter() {
		return counter(laxOptions());
	}

	private LaxInstanceAwareCounter counter(InstanceAwareOptions.Builder options) {
		return opened(LaxInstanceAwareCounter.create(backend, options.build()));
	}

	/** A new counter object on the same prefix: no local state, so it shows what reached Redis. */
	private LaxInstanceAwareCounter reader() {
		return counter();
	}

	/** Moves local time past the allowed lag: every local copy is reloaded on its next read. */
	private void age() {
		this.clock.advance(LAG.multipliedBy(2));
	}

	private void awaitStored(String key, long cumulative) {
		await().atMost(Duration.ofSeconds(5)).until(() -> storedCumulative("lia", key) == cumulative);
	}

	@Test
	void inc() { // LI-01, LI-02, LI-10, LI-11
		LaxInstanceAwareCounter c = counter();
		assertThat(c.inc("k", 5).cumulative()).isEqualTo(5);
		assertThat(c.inc("k", 3).cumulative()).isEqualTo(8);
		c.inc("j", 10);
		c.inc("j", 5);
		assertThat(c.get("j").cumulative()).isEqualTo(15);
		c.inc("d", 10);
		assertThat(c.dec("d", 3)).isEqualTo(totals(7, 7));
		assertThat(c.get("unknown")).isEqualTo(totals(0, 0));
	}

	@Test
	void backgroundFlushReachesOtherInstances() { // LI-03, LI-04, LI-21
		LaxInstanceAwareCounter c1 = counter();
		LaxInstanceAwareCounter c2 = counter();
		c1.inc("k", 20);
		awaitStored("k", 20);
		assertThat(reader().get("k").cumulative()).isEqualTo(20);
		c1.inc("j", 10);
		c2.inc("j", 7);
		awaitStored("j", 17);
		assertThat(reader().getAll(List.of(key("j")))).containsExactly(new KeyTotals(key("j"), 17, 0));
	}

	@Test
	void setAndDelApplyPendingFirst() { // LI-05, LI-06
		LaxInstanceAwareCounter c1 = counter();
		LaxInstanceAwareCounter c2 = counter();
		c1.inc("k", 5);
		c1.set("k", 100);
		assertThat(c2.get("k").cumulative()).isEqualTo(100);
		c1.inc("j", 15);
		assertThat(c1.del("j").cumulative()).isEqualTo(15);
		assertThat(c2.get("j").cumulative()).isZero();
	}

	@Test
	void idleInstanceIsReaped() { // LI-07
		InstanceAwareOptions.Builder options = laxOptions().deadInstanceThreshold(Duration.ofMillis(300))
			.heartbeat(LONG_HEARTBEAT)
			.allowShortThreshold(true);
		LaxInstanceAwareCounter c1 = counter(options);
		c1.inc("k", 30);
		awaitStored("k", 30);
		awaitRedisTime(Duration.ofMillis(350)); // c1 idle: nothing to flush, no heartbeat
		assertThat(counter(options).get("k").cumulative()).isZero();
	}

	@Test
	void clearAndClearOnInstance() { // LI-08, LI-09, LI-14
		LaxInstanceAwareCounter c1 = counter();
		LaxInstanceAwareCounter c2 = counter();
		c1.inc("k", 50);
		c1.clear();
		assertThat(reader().get("k").cumulative()).isZero();
		c1.inc("j", 20);
		c2.inc("j", 10);
		c1.flush();
		c2.flush();
		c1.clearOnInstance();
		assertThat(reader().get("j").cumulative()).isEqualTo(10);
		c1.inc("p", 50); // pending
		c1.clearOnInstance();
		c1.flush();
		assertThat(reader().get("p").cumulative()).isZero();
		assertThat(c1.get("p")).isEqualTo(totals(0, 0));
	}

	@Test
	void delOnInstance() { // LI-12
		LaxInstanceAwareCounter c1 = counter();
		LaxInstanceAwareCounter c2 = counter();
		c1.inc("k", 20);
		c2.inc("k", 10);
		c1.flush();
		c2.flush();
		assertThat(c1.delOnInstance("k")).isEqualTo(totals(10, 20));
		assertThat(reader().get("k").cumulative()).isEqualTo(10);
	}

	@Test
	void setOnInstance() { // LI-13
		LaxInstanceAwareCounter c = counter();
		c.inc("k", 10);
		assertThat(c.setOnInstance("k", 7)).isEqualTo(totals(7, 7));
		assertThat(c.get("k")).isEqualTo(totals(7, 7));
		c.flush();
		assertThat(reader().get("k").cumulative()).isEqualTo(7);
	}

	@Test
	void staleCopiesAreReloaded() { // LI-15, LI-16
		LaxInstanceAwareCounter c1 = counter();
		LaxInstanceAwareCounter c2 = counter();
		c1.inc("k", 1);
		c1.flush();
		c2.inc("k", 1);
		c2.inc("k", 1);
		c2.flush();
		age();
		assertThat(c1.get("k")).isEqualTo(totals(3, 1));
		assertThat(c2.get("k")).isEqualTo(totals(3, 2));
		assertThat(reader().get("k")).isEqualTo(totals(3, 0));
	}

	@Test
	void getAll() { // LI-17 .. LI-20
		LaxInstanceAwareCounter c = counter();
		assertThat(c.getAll(List.of())).isEmpty();
		assertThat(c.getAll(List.of(key("a"), key("b")))).containsExactly(new KeyTotals(key("a"), 0, 0),
				new KeyTotals(key("b"), 0, 0));
		c.inc("a", 1);
		c.inc("b", 2);
		c.inc("c", 3);
		assertThat(c.getAll(List.of(key("c"), key("a"), key("b")))).containsExactly(new KeyTotals(key("c"), 3, 3),
				new KeyTotals(key("a"), 1, 1), new KeyTotals(key("b"), 2, 2));
	}

	@Test
	void getAllOnInstance() { // LI-22 .. LI-25
		LaxInstanceAwareCounter c1 = counter();
		LaxInstanceAwareCounter c2 = counter();
		assertThat(c1.getAllOnInstance(List.of())).isEmpty();
		assertThat(c1.getAllOnInstance(List.of(key("a"), key("b")))).containsExactly(KeyValue.of("a", 0),
				KeyValue.of("b", 0));
		c1.inc("k", 5);
		assertThat(c1.getAllOnInstance(List.of(key("k")))).containsExactly(KeyValue.of("k", 5));
		c2.inc("j", 100);
		c2.flush();
		assertThat(c1.getAllOnInstance(List.of(key("j")))).containsExactly(KeyValue.of("j", 0));
	}

	@Test
	void setAllOnInstance() { // LI-26 .. LI-29
		LaxInstanceAwareCounter c1 = counter();
		LaxInstanceAwareCounter c2 = counter();
		assertThat(c1.setAllOnInstance(List.of())).isEmpty();
		assertThat(c1.setAllOnInstance(List.of(KeyValue.of("a", 7), KeyValue.of("b", 3))))
			.containsExactly(new KeyTotals(key("a"), 7, 7), new KeyTotals(key("b"), 3, 3));
		c2.inc("k", 10);
		c2.flush();
		c1.setAllOnInstance(List.of(KeyValue.of("k", 4)));
		c1.flush();
		assertThat(reader().get("k").cumulative()).isEqualTo(14);
		c2.inc("j", 5);
		c2.flush();
		assertThat(c1.setAllOnInstance(List.of(KeyValue.of("j", 3))))
			.containsExactly(new KeyTotals(key("j"), 8, 3));
	}

	@Test
	void setAll() { // LI-30 .. LI-32
		LaxInstanceAwareCounter c1 = counter();
		LaxInstanceAwareCounter c2 = counter();
		assertThat(c1.setAll(List.of())).isEmpty();
		assertThat(c1.setAll(List.of(KeyValue.of("a", 10), KeyValue.of("b", 20))))
			.containsExactly(new KeyTotals(key("a"), 10, 10), new KeyTotals(key("b"), 20, 20));
		c1.setAll(List.of(KeyValue.of("k", 99)));
		assertThat(c2.get("k").cumulative()).isEqualTo(99);
	}

	@Test
	void item12_setAllAppliesYoungPendingIncrementsBeforeTheSet() { // LI-33; spec §10 item 12 fixed
		LaxInstanceAwareCounter c1 = counter();
		LaxInstanceAwareCounter c2 = counter();
		c1.inc("k", 5); // pending, younger than the allowed lag
		c1.setAll(List.of(KeyValue.of("k", 20)));
		assertThat(c2.get("k").cumulative()).isEqualTo(20);
		c1.flush();
		age();
		// reference: 25, the young pending 5 was flushed later on top of the set value
		assertThat(c2.get("k").cumulative()).isEqualTo(20);
		assertThat(c1.get("k")).isEqualTo(totals(20, 20));
	}

	@Test
	void incIf_eachComparator() { // LI-34
		assertIncIf(eq(10), update(12, 12, 10, 10));
		assertIncIf(lt(11), update(12, 12, 10, 10));
		assertIncIf(gt(10), update(10, 10, 10, 10));
		assertIncIf(ne(9), update(12, 12, 10, 10));
		assertIncIf(nil(), update(12, 12, 10, 10));
	}

	private void assertIncIf(CounterComparator comparator, TotalsUpdate expected) {
		LaxInstanceAwareCounter c = counter(laxOptions().prefix(this.prefix + "_" + comparator.wireName()));
		c.set("k", 10);
		assertThat(c.incIf("k", comparator, 2)).isEqualTo(expected);
		assertThat(c.get("k")).isEqualTo(expected.newTotals());
	}

	@Test
	void setIf() { // LI-35, LI-36
		LaxInstanceAwareCounter c1 = counter();
		LaxInstanceAwareCounter c2 = counter();
		c1.inc("k", 5);
		assertThat(c1.setIf("k", eq(5), 20)).isEqualTo(update(20, 20, 5, 5));
		assertThat(c2.get("k").cumulative()).isEqualTo(20);
		c1.set("j", 5);
		assertThat(c1.setIf("j", gt(10), 20)).isEqualTo(update(5, 5, 5, 5));
		assertThat(c1.get("j")).isEqualTo(totals(5, 5));
		assertThat(c2.get("j").cumulative()).isEqualTo(5);
	}

	@Test
	void setOnInstanceIf() { // LI-37
		LaxInstanceAwareCounter c1 = counter();
		LaxInstanceAwareCounter c2 = counter();
		c1.inc("k", 7);
		c2.inc("k", 5);
		c1.flush();
		c2.flush();
		age();
		assertThat(c1.setOnInstanceIf("k", gt(6), 9)).isEqualTo(update(14, 9, 12, 7));
		assertThat(c1.setOnInstanceIf("k", eq(8), 50)).isEqualTo(update(14, 9, 14, 9));
	}

	@Test
	void incAll() { // LI-38, LI-39
		LaxInstanceAwareCounter c = counter();
		assertThat(c.incAll(List.of())).isEmpty();
		assertThat(c.incAllIf(List.of())).isEmpty();
		assertThat(c.incAll(List.of(KeyDelta.of("hits", 1), KeyDelta.of("hits", 2))))
			.containsExactly(new KeyTotals(key("hits"), 1, 1), new KeyTotals(key("hits"), 3, 3));
		assertThat(c.get("hits")).isEqualTo(totals(3, 3));
	}

	@Test
	void incAllIf() { // LI-40, LI-41
		LaxInstanceAwareCounter c1 = counter();
		LaxInstanceAwareCounter c2 = counter();
		c2.inc("k", 5);
		c2.flush();
		assertThat(c1.incAllIf(List.of(ConditionalDelta.of("k", eq(5), 1), ConditionalDelta.of("k", eq(6), 2),
				ConditionalDelta.of("k", gt(20), 4))))
			.containsExactly(row("k", 6, 1, 5, 0), row("k", 8, 3, 6, 1), row("k", 8, 3, 8, 3));
		assertThat(c1.get("k")).isEqualTo(totals(8, 3));
		assertThat(c1.incAllIf(List.of(ConditionalDelta.of("a", nil(), 4), ConditionalDelta.of("b", gt(0), 7))))
			.containsExactly(row("a", 4, 4, 0, 0), row("b", 0, 0, 0, 0));
		c1.flush();
		age();
		assertThat(c2.get("a").cumulative()).isEqualTo(4);
		assertThat(c2.get("b").cumulative()).isZero();
	}

	@Test
	void setAllIf() { // LI-42
		LaxInstanceAwareCounter c1 = counter();
		LaxInstanceAwareCounter c2 = counter();
		c1.setAll(List.of(KeyValue.of("a", 10), KeyValue.of("b", 20)));
		assertThat(c1.setAllIf(List.of(ConditionalValue.of("a", nil(), 11), ConditionalValue.of("b", lt(10), 99))))
			.containsExactly(row("a", 11, 11, 10, 10), row("b", 20, 20, 20, 20));
		assertThat(c2.get("a").cumulative()).isEqualTo(11);
		assertThat(c2.get("b").cumulative()).isEqualTo(20);
	}

	@Test
	void setAllOnInstanceIf() { // LI-43
		LaxInstanceAwareCounter c1 = counter();
		LaxInstanceAwareCounter c2 = counter();
		c2.inc("k", 5);
		c2.flush();
		assertThat(c1.setAllOnInstanceIf(List.of(ConditionalValue.of("k", eq(0), 3))))
			.containsExactly(row("k", 8, 3, 5, 0));
		assertThat(c1.get("k")).isEqualTo(totals(8, 3));
	}

	@Test
	void documentationExamples() { // DOC-36 .. DOC-44
		LaxInstanceAwareCounter a = counter();
		LaxInstanceAwareCounter b = counter();
		((BufferedLaxInstanceAwareCounter) b).pauseTicks(true); // B's increments stay pending, as the examples say
		a.inc("c", 1);
		a.inc("c", 1);
		assertThat(a.inc("c", 1)).isEqualTo(totals(3, 3)); // DOC-36
		a.inc("d", 10);
		assertThat(a.dec("d", 4)).isEqualTo(totals(6, 6)); // DOC-37
		a.inc("s", 5);
		assertThat(a.set("s", 100)).isEqualTo(totals(100, 100)); // DOC-38
		a.inc("o", 10);
		b.inc("o", 5);
		assertThat(a.setOnInstance("o", 7)).isEqualTo(totals(7, 7)); // DOC-39: B's 5 not yet in Redis
		assertThat(a.get("m")).isEqualTo(totals(0, 0)); // DOC-40
		a.inc("m", 5);
		assertThat(a.get("m")).isEqualTo(totals(5, 5));
		a.inc("x", 5);
		assertThat(a.del("x").cumulative()).isEqualTo(5); // DOC-41
		assertThat(a.get("x")).isEqualTo(totals(0, 0));
		a.inc("y", 3);
		b.inc("y", 7);
		assertThat(a.delOnInstance("y")).isEqualTo(totals(0, 3)); // DOC-42
		assertThat(b.get("y")).isEqualTo(totals(7, 7));
		a.set("e", 10);
		a.set("f", 20);
		a.clear();
		assertThat(a.get("e")).isEqualTo(totals(0, 0)); // DOC-43
		assertThat(a.get("f")).isEqualTo(totals(0, 0));
		a.inc("z", 3);
		b.inc("z", 7);
		a.clearOnInstance();
		assertThat(b.get("z")).isEqualTo(totals(7, 7)); // DOC-44
	}

	// --- lax guarantees (DESIGN decision 5) and spec §10 items 13, 14 ---

	@Test
	void item13_lostRepliesAreNotCountedTwice() {
		LaxInstanceAwareCounter lax = counter();
		BufferedLaxInstanceAwareCounter buffered = (BufferedLaxInstanceAwareCounter) lax;
		buffered.pauseTicks(true);
		buffered.dropRepliesWhen((sequence, attempt) -> attempt == 1);
		lax.inc("k", 5);
		assertThatExceptionOfType(DistkitBackendException.class).isThrownBy(lax::flush)
			.withMessageContaining("dropped by a test hook");
		assertThat(storedCumulative("lia", "k")).as("the script ran").isEqualTo(5);
		lax.flush(); // the same chunk again under its number: ignored
		// reference: a re-sent queue after a partial failure was applied again (10)
		assertThat(storedCumulative("lia", "k")).isEqualTo(5);
		assertThat(lax.get("k")).isEqualTo(totals(5, 5));
	}

	@Test
	void item13_delSettlesUnconfirmedChunksSoNothingComesBackAfterIt() {
		LaxInstanceAwareCounter lax = counter();
		BufferedLaxInstanceAwareCounter buffered = (BufferedLaxInstanceAwareCounter) lax;
		buffered.pauseTicks(true);
		AtomicInteger sends = new AtomicInteger();
		buffered.dropRepliesWhen((sequence, attempt) -> sends.incrementAndGet() == 1);
		lax.inc("k", 5);
		assertThatExceptionOfType(DistkitBackendException.class).isThrownBy(lax::flush);
		assertThat(lax.del("k").cumulative()).isEqualTo(5);
		lax.flush();
		buffered.pauseTicks(false);
		// reference: 5, the failed queue was sent again after the delete
		assertThat(reader().get("k")).isEqualTo(totals(0, 0));
	}

	@Test
	void item14_unconfirmedAmountStaysInTheEstimate() {
		LaxInstanceAwareCounter lax = counter();
		BufferedLaxInstanceAwareCounter buffered = (BufferedLaxInstanceAwareCounter) lax;
		buffered.pauseTicks(true);
		buffered.dropRepliesWhen((sequence, attempt) -> true);
		lax.inc("k", 5);
		assertThatExceptionOfType(DistkitBackendException.class).isThrownBy(lax::flush);
		// reference: (0, 0) until a retry succeeded, the swapped delta was in neither place
		assertThat(lax.inc("k", 0)).isEqualTo(totals(5, 5));
		buffered.dropRepliesWhen((sequence, attempt) -> false);
		lax.flush();
		assertThat(lax.get("k")).isEqualTo(totals(5, 5));
	}

	@Test
	void incrementsNeverWaitForRedisAndReachItOnTheTick() {
		LaxInstanceAwareCounter lax = counter();
		for (int i = 0; i < 1000; i++) {
			lax.inc("k", 1);
		}
		awaitStored("k", 1000);
		await().atMost(Duration.ofSeconds(5)).until(() -> lax.pendingKeys() == 0);
	}

	@Test
	void estimateOutOfRangeIsRefused() {
		LaxInstanceAwareCounter lax = counter();
		lax.inc("k", CounterOverflowException.MAX_VALUE);
		assertThatExceptionOfType(CounterOverflowException.class).isThrownBy(() -> lax.inc("k", 1))
			.withMessageContaining("key=\"k\", value=9007199254740992");
		assertThat(lax.inc("k", 0).cumulative()).isEqualTo(CounterOverflowException.MAX_VALUE);
	}

	@Test
	void closeFlushesRemovesTheSlicesAndRejectsFurtherOperations() {
		LaxInstanceAwareCounter a = counter();
		LaxInstanceAwareCounter b = counter();
		a.inc("k", 5);
		b.inc("k", 7);
		b.flush();
		a.close();
		assertThat(storedCumulative("lia", "k")).isEqualTo(7);
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> a.inc("k", 1))
			.withMessageContaining("is closed");
		LaxInstanceAwareCounter keeper = counter(laxOptions().removeOnClose(false));
		keeper.inc("k", 3);
		keeper.close();
		assertThat(storedCumulative("lia", "k")).as("flushed, left for the reaper").isEqualTo(10);
	}

	@Test
	void reapedInstanceRecoversThroughItsFlush() {
		InstanceAwareOptions.Builder options = laxOptions().deadInstanceThreshold(Duration.ofMillis(200))
			.heartbeat(LONG_HEARTBEAT)
			.allowShortThreshold(true);
		LaxInstanceAwareCounter c1 = counter(options);
		LaxInstanceAwareCounter c2 = counter(options);
		c1.inc("a", 10);
		c1.inc("b", -4);
		c1.flush();
		awaitRedisTime(Duration.ofMillis(300));
		assertThat(c2.get("a").cumulative()).isZero(); // c1 reaped
		c1.inc("a", 1);
		c1.flush(); // c1 is back: both slices come back, then the increment
		age();
		assertThat(c2.getAll(List.of(key("a"), key("b")))).containsExactly(new KeyTotals(key("a"), 11, 0),
				new KeyTotals(key("b"), -4, 0));
	}

}
