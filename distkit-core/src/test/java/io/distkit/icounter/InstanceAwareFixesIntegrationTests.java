package io.distkit.icounter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.distkit.RedisKey;
import io.distkit.counter.ConditionalValue;
import io.distkit.counter.KeyDelta;
import io.distkit.counter.KeyValue;

import static io.distkit.counter.CounterComparator.eq;
import static io.distkit.counter.CounterComparator.nil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One test per fix of spec §10 on the instance-aware data model (issue 6, item 2), each asserting the right value
 * with the reference's wrong value in a comment, plus liveness and lifecycle.
 */
class InstanceAwareFixesIntegrationTests extends InstanceAwareTestSupport {

	private static final Duration SHORT = Duration.ofMillis(200);

	private StrictInstanceAwareCounter counter() {
		return opened(StrictInstanceAwareCounter.create(backend, options().build()));
	}

	private StrictInstanceAwareCounter shortLived() {
		return opened(StrictInstanceAwareCounter.create(backend, shortThreshold(SHORT).build()));
	}

	private static void drop(StrictInstanceAwareCounter counter) {
		((RedisStrictInstanceAwareCounter) counter).abandon();
	}

	private String tag() {
		return "{" + this.prefix + ":ia}";
	}

	private long hashLength(String suffix) {
		return admin.template().opsForHash().size(tag() + suffix);
	}

	// --- item 6: only counting slices are ever subtracted ---

	@Test
	void item6_reaperSubtractsOnlyCountingSlices() {
		StrictInstanceAwareCounter a = shortLived();
		StrictInstanceAwareCounter b = shortLived();
		a.inc("k", 40);
		b.inc("k", 60);
		a.set("k", 10);
		drop(b);
		awaitRedisTime(SHORT.multipliedBy(2));
		// reference: -50 (the reaper subtracted B's stale 60 from the 10 that A set)
		assertThat(a.get("k")).isEqualTo(totals(10, 10));
	}

	@Test
	void item6_clearOnInstanceSubtractsOnlyCountingSlices() {
		StrictInstanceAwareCounter a = counter();
		StrictInstanceAwareCounter b = counter();
		a.inc("k", 40);
		b.inc("k", 60);
		a.set("k", 10);
		b.clearOnInstance();
		// reference: -50 (clear_on_instance subtracted B's stale 60 too)
		assertThat(a.get("k")).isEqualTo(totals(10, 10));
	}

	// --- item 7: a read reports a non-counting slice as 0 and deletes it ---

	@Test
	void item7_readOfStaleSliceReportsZeroAndDeletesIt() {
		StrictInstanceAwareCounter a = counter();
		StrictInstanceAwareCounter b = counter();
		a.inc("k", 10);
		b.inc("k", 5);
		a.set("k", 100);
		// reference: (100, 5), and it adopted the new epoch with the stale 5
		assertThat(b.get("k")).isEqualTo(totals(100, 0));
		assertThat(admin.template().opsForHash().hasKey(tag() + ":slice:" + b.instanceId(), "k")).isFalse();
		// reference: (108, 8), the stale 5 incremented as if it counted
		assertThat(b.inc("k", 3)).isEqualTo(totals(103, 3));
		// reference: (95, 8), subtracting more than B ever added after the set
		assertThat(b.delOnInstance("k")).isEqualTo(totals(100, 3));
	}

	// --- item 8: no instance resurrects contributions after clear ---

	@Test
	void item8_clearResurrectsNothing() {
		StrictInstanceAwareCounter a = counter();
		StrictInstanceAwareCounter b = counter();
		a.inc("k", 5);
		String generation = admin.template().opsForValue().get(tag() + ":gen");
		b.clear();
		// reference: 6 (A's cached 5 came back because clear reset the epochs to 0 and unregistered A)
		assertThat(a.inc("k", 1)).isEqualTo(totals(1, 1));
		assertThat(admin.template().opsForValue().get(tag() + ":gen"))
			.isEqualTo(Long.toString((generation != null) ? Long.parseLong(generation) + 1 : 1));
		b.clear();
		assertThat(admin.template().hasKey(tag() + ":gen")).as("the generation is never deleted").isTrue();
	}

	@Test
	void item8_reapedInstanceComingBackAfterClearResurrectsNothing() {
		StrictInstanceAwareCounter a = shortLived();
		StrictInstanceAwareCounter b = shortLived();
		a.inc("k", 5);
		awaitRedisTime(SHORT.multipliedBy(2));
		b.get("k"); // reaps A: its 5 waits in A's reaped hash
		b.clear();
		// reference: 6 (the recovery path re-added A's cached 5)
		assertThat(a.inc("k", 1)).isEqualTo(totals(1, 1));
	}

	// --- item 9: full recovery on the server ---

	@Test
	void item9_recoveryRestoresEveryKeyPositiveAndNegative() {
		StrictInstanceAwareCounter a = shortLived();
		StrictInstanceAwareCounter b = shortLived();
		a.inc("x", 10);
		a.inc("y", 20);
		a.inc("z", -5);
		b.inc("y", 1);
		awaitRedisTime(SHORT.multipliedBy(2));
		assertThat(b.get("y")).isEqualTo(totals(1, 1)); // reaps A
		assertThat(admin.template().getExpire(tag() + ":reaped:" + a.instanceId())).isBetween(86_000L, 86_400L);
		a.get("x"); // A is back: its next call adds back every reaped slice whose epoch matches
		// reference: only x came back; y stayed at 1 and z at 0 (a negative slice was never restored)
		assertThat(b.get("x")).isEqualTo(totals(10, 0));
		assertThat(b.get("y")).isEqualTo(totals(21, 1));
		assertThat(b.get("z")).isEqualTo(totals(-5, 0));
		assertThat(a.getAll(List.of(key("x"), key("y"), key("z")))).containsExactly(new KeyTotals(key("x"), 10, 10),
				new KeyTotals(key("y"), 21, 20), new KeyTotals(key("z"), -5, -5));
		assertThat(admin.template().hasKey(tag() + ":reaped:" + a.instanceId())).isFalse();
	}

	@Test
	void item9_recoveryAddsBackAtMostAThousandSlicesPerCall() {
		StrictInstanceAwareCounter a = opened(StrictInstanceAwareCounter.create(backend,
				shortThreshold(SHORT).chunkSize(4096).build()));
		StrictInstanceAwareCounter b = shortLived();
		List<KeyDelta> deltas = new ArrayList<>();
		for (int i = 0; i < 2500; i++) {
			deltas.add(KeyDelta.of("k" + i, 1));
		}
		a.incAll(deltas);
		awaitRedisTime(SHORT.multipliedBy(2));
		b.heartbeat(); // reaps all of A, 1,000 slices per call
		assertThat(hashLength(":reaped:" + a.instanceId())).isEqualTo(2500);
		assertThat(storedCumulative("ia", "k0")).isZero();
		a.get("k0"); // one call: recovers at most 1,000
		long left = hashLength(":reaped:" + a.instanceId());
		assertThat(left).isBetween(1500L, 2499L);
		a.heartbeat(); // goes on until nothing is left
		assertThat(hashLength(":reaped:" + a.instanceId())).isZero();
		assertThat(b.getAll(List.of(key("k0"), key("k1234"), key("k2499"))).stream().map(KeyTotals::cumulative))
			.containsExactly(1L, 1L, 1L);
	}

	@Test
	void item9_instanceBackWhileItsReapingIsUnfinishedKeepsEverySlice() {
		StrictInstanceAwareCounter a = opened(StrictInstanceAwareCounter.create(backend,
				shortThreshold(SHORT).chunkSize(4096).build()));
		StrictInstanceAwareCounter b = shortLived();
		List<KeyDelta> deltas = new ArrayList<>();
		for (int i = 0; i < 3000; i++) {
			deltas.add(KeyDelta.of("k" + i, 2));
		}
		a.incAll(deltas);
		awaitRedisTime(SHORT.multipliedBy(2));
		b.get("k0"); // reaps a first part of A
		assertThat(admin.template().opsForHash().hasKey(tag() + ":reaping", a.instanceId())).isTrue();
		a.heartbeat(); // A is back: reaping stops, the part reaped comes back
		assertThat(admin.template().opsForHash().hasKey(tag() + ":reaping", a.instanceId())).isFalse();
		Map<Object, Object> cumulatives = admin.template().opsForHash().entries(tag() + ":cumulative");
		assertThat(cumulatives).hasSize(3000);
		assertThat(cumulatives.values()).allMatch("2"::equals);
	}

	// --- item 16: reaping walks the dead instance's own slices, 1,000 per call, with a continuation marker ---

	@Test
	void item16_reapingOfAHundredThousandKeys() {
		StrictInstanceAwareCounter dead = opened(StrictInstanceAwareCounter.create(backend,
				shortThreshold(Duration.ofMillis(500)).chunkSize(4096).build()));
		int keys = 100_000;
		List<KeyDelta> deltas = new ArrayList<>(keys);
		for (int i = 0; i < keys; i++) {
			deltas.add(KeyDelta.of("k" + i, 2));
		}
		dead.incAll(deltas);
		StrictInstanceAwareCounter survivor = opened(StrictInstanceAwareCounter.create(backend,
				shortThreshold(Duration.ofMillis(500)).build()));
		survivor.inc("k7", 1);
		drop(dead);
		awaitRedisTime(Duration.ofMillis(1000));

		// one call of the survivor reaps at most 1,000 slices and leaves the marker
		assertThat(survivor.get("k7").cumulative()).isBetween(1L, 3L);
		long left = hashLength(":slice:" + dead.instanceId());
		assertThat(left).isBetween((long) keys - 1000, (long) keys - 1);
		assertThat(admin.template().opsForHash().hasKey(tag() + ":reaping", dead.instanceId())).isTrue();
		// the invariant while reaping is unfinished: a key's cumulative still holds the slices not walked yet
		Map<Object, Object> cumulatives = admin.template().opsForHash().entries(tag() + ":cumulative");
		Map<Object, Object> slices = admin.template().opsForHash().entries(tag() + ":slice:" + dead.instanceId());
		for (int i = 0; i < keys; i++) {
			String k = "k" + i;
			long expected = (slices.containsKey(k) ? 2 : 0) + (k.equals("k7") ? 1 : 0);
			assertThat(Long.parseLong((String) cumulatives.get(k))).as(k).isEqualTo(expected);
		}

		long started = System.nanoTime();
		survivor.heartbeat(); // goes on until reaping is done: about 100 calls
		long millis = (System.nanoTime() - started) / 1_000_000;
		org.slf4j.LoggerFactory.getLogger(getClass()).info("Reaped {} slices in {} ms", keys, millis);

		assertThat(admin.template().hasKey(tag() + ":slice:" + dead.instanceId())).isFalse();
		assertThat(admin.template().hasKey(tag() + ":reaping")).isFalse();
		assertThat(hashLength(":reaped:" + dead.instanceId())).isEqualTo(keys);
		cumulatives = admin.template().opsForHash().entries(tag() + ":cumulative");
		for (int i = 0; i < keys; i++) {
			assertThat(cumulatives.get("k" + i)).as("k" + i).isEqualTo((i == 7) ? "1" : "0");
		}
	}

	// --- item 10: positional batch results ---

	@Test
	void item10_duplicateKeysInBatchesReportTheirOwnOutcome() {
		StrictInstanceAwareCounter c = counter();
		// reference: both rows reported the last occurrence's ((7, 7), (5, 5))
		assertThat(c.setAllIf(List.of(ConditionalValue.of("k", nil(), 5), ConditionalValue.of("k", eq(5), 7))))
			.containsExactly(row("k", 5, 5, 0, 0), row("k", 7, 7, 5, 5));
		// reference: both rows reported ((4, 4), (3, 3))
		assertThat(c.setAllOnInstanceIf(List.of(ConditionalValue.of("j", nil(), 3), ConditionalValue.of("j", eq(3), 4))))
			.containsExactly(row("j", 3, 3, 0, 0), row("j", 4, 4, 3, 3));
		assertThat(c.getAll(List.of(key("k"), key("j"), key("k"))))
			.containsExactly(new KeyTotals(key("k"), 7, 7), new KeyTotals(key("j"), 4, 4), new KeyTotals(key("k"), 7, 7));
	}

	// --- item 24: get_all_on_instance reads Redis ---

	@Test
	void item24_getAllOnInstanceReadsRedis() {
		StrictInstanceAwareCounter a = counter();
		StrictInstanceAwareCounter b = counter();
		a.inc("k", 5);
		b.set("k", 100);
		// reference: [(k, 5)], the raw stale slice
		assertThat(a.getAllOnInstance(List.of(key("k")))).containsExactly(KeyValue.of("k", 0));
	}

	// --- item 25: del and del_on_instance report a non-counting slice as 0 ---

	@Test
	void item25_deletesReportANonCountingSliceAsZero() {
		StrictInstanceAwareCounter a = counter();
		StrictInstanceAwareCounter b = counter();
		a.inc("k", 40);
		b.set("k", 10);
		// reference: (10, 40), the raw stale slice, although nothing was subtracted
		assertThat(a.delOnInstance("k")).isEqualTo(totals(10, 0));
		a.inc("j", 40);
		b.set("j", 10);
		// reference: (10, 40), the client's cached slice
		assertThat(a.del("j")).isEqualTo(totals(10, 0));
	}

	// --- liveness and lifecycle (items 19 to 23) ---

	@Test
	void heartbeatScoresAreRedisTime() {
		StrictInstanceAwareCounter c = counter();
		long before = redisMillis();
		c.inc("k", 1);
		long after = redisMillis();
		Double score = admin.template().opsForZSet().score(tag() + ":instances", c.instanceId());
		assertThat(score).isNotNull();
		assertThat(score.longValue()).isBetween(before, after);
	}

	@Test
	void backgroundHeartbeatKeepsAnIdleInstanceAlive() {
		InstanceAwareOptions options = options().deadInstanceThreshold(Duration.ofMillis(400))
			.heartbeat(Duration.ofMillis(100))
			.build();
		StrictInstanceAwareCounter idle = opened(StrictInstanceAwareCounter.create(backend, options));
		StrictInstanceAwareCounter other = opened(StrictInstanceAwareCounter.create(backend, options));
		StrictInstanceAwareCounter unused = opened(StrictInstanceAwareCounter.create(backend, options));
		idle.inc("k", 5);
		awaitRedisTime(Duration.ofMillis(1500));
		assertThat(other.get("k")).isEqualTo(totals(5, 0));
		assertThat(admin.template().opsForZSet().score(tag() + ":instances", unused.instanceId()))
			.as("an instance that never made a call sends no heartbeat")
			.isNull();
	}

	@Test
	void closeRemovesTheSlicesAndDeregisters() {
		StrictInstanceAwareCounter a = counter();
		StrictInstanceAwareCounter b = counter();
		a.inc("k", 5);
		b.inc("k", 7);
		a.close();
		assertThat(storedCumulative("ia", "k")).isEqualTo(7);
		assertThat(admin.template().opsForZSet().score(tag() + ":instances", a.instanceId())).isNull();
		assertThat(admin.template().hasKey(tag() + ":slice:" + a.instanceId())).isFalse();
	}

	@Test
	void closeWithoutRemovalLeavesTheSlicesToTheReaper() {
		StrictInstanceAwareCounter a = opened(
				StrictInstanceAwareCounter.create(backend, shortThreshold(SHORT).removeOnClose(false).build()));
		StrictInstanceAwareCounter b = shortLived();
		a.inc("k", 5);
		b.inc("k", 7);
		a.close();
		assertThat(storedCumulative("ia", "k")).isEqualTo(12);
		awaitRedisTime(SHORT.multipliedBy(2));
		assertThat(b.get("k")).isEqualTo(totals(7, 7));
	}

	@Test
	void clearOnInstanceOfManyKeysRunsInSteps() {
		StrictInstanceAwareCounter a = opened(StrictInstanceAwareCounter.create(backend, options().chunkSize(4096).build()));
		StrictInstanceAwareCounter b = counter();
		List<KeyDelta> deltas = new ArrayList<>();
		for (int i = 0; i < 2500; i++) {
			deltas.add(KeyDelta.of("k" + i, 3));
		}
		a.incAll(deltas);
		b.inc("k1", 1);
		a.clearOnInstance();
		assertThat(admin.template().hasKey(tag() + ":slice:" + a.instanceId())).isFalse();
		assertThat(b.get("k1")).isEqualTo(totals(1, 1));
		assertThat(b.get("k2000")).isEqualTo(totals(0, 0));
		assertThat(admin.template().opsForZSet().score(tag() + ":instances", a.instanceId())).isNotNull();
	}

	@Test
	void instanceIdsStartWithTheConfiguredPrefix() {
		StrictInstanceAwareCounter c = opened(
				StrictInstanceAwareCounter.create(backend, options().instanceIdPrefix("shop-pod-7").build()));
		assertThat(c.instanceId()).matches("shop-pod-7-[0-9a-f]{16}");
		assertThat(counter().instanceId()).matches("[0-9a-f]{16}");
		assertThat(RedisKey.isValidKey(c.instanceId())).isTrue();
	}

	@Test
	void reapedInstanceIsRecoveredByItsBackgroundHeartbeat() {
		// threshold shorter than twice the heartbeat: the idle instance is reaped between its heartbeats, and each
		// heartbeat brings its slice back at once
		InstanceAwareOptions options = shortThreshold(Duration.ofMillis(100)).heartbeat(Duration.ofMillis(300))
			.build();
		StrictInstanceAwareCounter flapping = opened(StrictInstanceAwareCounter.create(backend, options));
		StrictInstanceAwareCounter reader = opened(StrictInstanceAwareCounter.create(backend, options));
		flapping.inc("k", 9);
		awaitRedisTime(Duration.ofMillis(200));
		reader.get("k"); // reaps the idle instance
		await().atMost(Duration.ofSeconds(5)).until(() -> storedCumulative("ia", "k") == 9);
	}

}
