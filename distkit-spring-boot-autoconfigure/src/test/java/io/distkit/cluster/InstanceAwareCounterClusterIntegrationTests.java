package io.distkit.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.distkit.RedisBackend;
import io.distkit.RedisKey;
import io.distkit.counter.ConditionalDelta;
import io.distkit.counter.ConditionalValue;
import io.distkit.counter.CounterComparator;
import io.distkit.counter.KeyDelta;
import io.distkit.counter.KeyValue;
import io.distkit.icounter.InstanceAwareCounter;
import io.distkit.icounter.InstanceAwareOptions;
import io.distkit.icounter.KeyTotals;
import io.distkit.icounter.KeyTotalsUpdate;
import io.distkit.icounter.LaxInstanceAwareCounter;
import io.distkit.icounter.StrictInstanceAwareCounter;
import io.distkit.icounter.Totals;
import io.distkit.icounter.TotalsUpdate;
import io.distkit.spring.boot.autoconfigure.DistkitInstanceAwareAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every operation of both instance-aware counters on Redis Cluster, one test per operation and type, with the beans of
 * {@link DistkitInstanceAwareAutoConfiguration}; batches span several chunks ({@code chunk-size=2}). A second
 * instance (another counter object on the same prefix) writes where an operation's meaning depends on other slices.
 * Cumulatives are checked with a plain {@code HGET} of the container's cumulative hash, so what Redis holds is read
 * without a script (no heartbeat, no reaping); a lax counter flushes first. Reaping and recovery run their scripts on
 * the master of the container's slot, which builds a dead instance's key names from its own hash tag.
 */
class InstanceAwareCounterClusterIntegrationTests extends ClusterIntegrationSupport {

	/** Threshold and heartbeat of the reaping tests: short, so a dead instance is reaped within seconds. */
	private static final String[] SHORT_LIVENESS = { "distkit.instance-aware.dead-instance-threshold=1s",
			"distkit.instance-aware.heartbeat=400ms" };

	enum Type {

		STRICT("ia"), LAX("lia");

		private final String tag;

		Type(String tag) {
			this.tag = tag;
		}

	}

	/** One test's beans: the auto-configured counter of its type, the backend, and the container's hash tag. */
	private final class Fixture {

		private final Type type;

		private final InstanceAwareCounter counter;

		private final RedisBackend backend;

		private final List<InstanceAwareCounter> others = new ArrayList<>();

		Fixture(Type type, AssertableApplicationContext context) {
			this.type = type;
			this.counter = (type == Type.STRICT) ? context.getBean(StrictInstanceAwareCounter.class)
					: context.getBean(LaxInstanceAwareCounter.class);
			this.backend = context.getBean(RedisBackend.class);
		}

		/** Another instance of the same type and options, closed after the test. */
		InstanceAwareCounter another() {
			return another(this.counter.options());
		}

		InstanceAwareCounter another(InstanceAwareOptions options) {
			InstanceAwareCounter other = (this.type == Type.STRICT) ? StrictInstanceAwareCounter.create(this.backend,
					options) : LaxInstanceAwareCounter.create(this.backend, options);
			this.others.add(other);
			return other;
		}

		/** Sends what a lax counter buffered; a strict counter has nothing buffered. */
		void settle(InstanceAwareCounter counter) {
			if (counter instanceof LaxInstanceAwareCounter lax) {
				lax.flush();
			}
		}

		/** The cumulative Redis holds for {@code key}, read with {@code HGET}. */
		long stored(String key) {
			Object value = this.backend.template()
				.opsForHash()
				.get("{" + InstanceAwareCounterClusterIntegrationTests.this.prefix + ":" + this.type.tag
						+ "}:cumulative", key);
			return (value != null) ? Long.parseLong((String) value) : 0;
		}

		/** How many instances the container's registry holds, read with {@code ZCARD}. */
		long registered() {
			Long size = this.backend.template()
				.opsForZSet()
				.size("{" + InstanceAwareCounterClusterIntegrationTests.this.prefix + ":" + this.type.tag
						+ "}:instances");
			return (size != null) ? size : 0;
		}

		void close() {
			this.others.forEach(InstanceAwareCounter::close);
		}

	}

	@FunctionalInterface
	private interface ClusterTest {

		void run(Fixture fixture, InstanceAwareCounter counter);

	}

	private ApplicationContextRunner instanceAwareRunner() {
		return runner().withConfiguration(AutoConfigurations.of(DistkitInstanceAwareAutoConfiguration.class))
			.withPropertyValues("distkit.chunk-size=2");
	}

	private void withCounter(Type type, ClusterTest test, String... properties) {
		instanceAwareRunner().withPropertyValues(properties).run((context) -> {
			assertThat(context).hasNotFailed();
			Fixture fixture = new Fixture(type, context);
			try {
				test.run(fixture, fixture.counter);
			}
			finally {
				fixture.close();
				fixture.counter.clear();
			}
		});
	}

	// --- single-key operations ---

	@ParameterizedTest
	@EnumSource(Type.class)
	void inc(Type type) {
		withCounter(type, (fixture, counter) -> {
			assertThat(counter.inc("hits", 3)).isEqualTo(new Totals(3, 3));
			assertThat(counter.inc("hits", 4)).isEqualTo(new Totals(7, 7));
			fixture.settle(counter);
			assertThat(fixture.stored("hits")).isEqualTo(7);
		});
	}

	@ParameterizedTest
	@EnumSource(Type.class)
	void dec(Type type) {
		withCounter(type, (fixture, counter) -> {
			assertThat(counter.dec("stock", 2)).isEqualTo(new Totals(-2, -2));
			fixture.settle(counter);
			assertThat(fixture.stored("stock")).isEqualTo(-2);
		});
	}

	@ParameterizedTest
	@EnumSource(Type.class)
	void incIf(Type type) {
		withCounter(type, (fixture, counter) -> {
			counter.set("stock", 1);
			assertThat(counter.incIf("stock", CounterComparator.gt(0), -1))
				.isEqualTo(update(0, 0, 1, 1));
			assertThat(counter.incIf("stock", CounterComparator.gt(0), -1)).as("no match: nothing changes")
				.isEqualTo(update(0, 0, 0, 0));
			fixture.settle(counter);
			assertThat(fixture.stored("stock")).isZero();
		});
	}

	@ParameterizedTest
	@EnumSource(Type.class)
	void get(Type type) {
		withCounter(type, (fixture, counter) -> {
			assertThat(counter.get("missing")).isEqualTo(new Totals(0, 0));
			InstanceAwareCounter other = fixture.another();
			other.inc("k", 5);
			fixture.settle(other);
			assertThat(counter.get("k")).as("another instance's slice counts, this one's is empty")
				.isEqualTo(new Totals(5, 0));
			counter.inc("k", 2);
			fixture.settle(counter);
			assertThat(counter.get("k")).isEqualTo(new Totals(7, 2));
		});
	}

	@ParameterizedTest
	@EnumSource(Type.class)
	void set(Type type) {
		withCounter(type, (fixture, counter) -> {
			InstanceAwareCounter other = fixture.another();
			other.inc("k", 5);
			fixture.settle(other);
			assertThat(counter.set("k", 42)).isEqualTo(new Totals(42, 42));
			assertThat(fixture.stored("k")).isEqualTo(42);
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(other.get("k")).as("the other slice stopped counting")
					.isEqualTo(new Totals(42, 0)));
		});
	}

	@ParameterizedTest
	@EnumSource(Type.class)
	void setIf(Type type) {
		withCounter(type, (fixture, counter) -> {
			assertThat(counter.setIf("k", CounterComparator.eq(0), 9)).isEqualTo(update(9, 9, 0, 0));
			assertThat(counter.setIf("k", CounterComparator.eq(0), 1)).isEqualTo(update(9, 9, 9, 9));
			assertThat(fixture.stored("k")).isEqualTo(9);
		});
	}

	@ParameterizedTest
	@EnumSource(Type.class)
	void setOnInstance(Type type) {
		withCounter(type, (fixture, counter) -> {
			InstanceAwareCounter other = fixture.another();
			other.inc("k", 5);
			fixture.settle(other);
			assertThat(counter.setOnInstance("k", 3)).isEqualTo(new Totals(8, 3));
			assertThat(counter.setOnInstance("k", 1)).isEqualTo(new Totals(6, 1));
			fixture.settle(counter);
			assertThat(fixture.stored("k")).isEqualTo(6);
		});
	}

	@ParameterizedTest
	@EnumSource(Type.class)
	void setOnInstanceIf(Type type) {
		withCounter(type, (fixture, counter) -> {
			InstanceAwareCounter other = fixture.another();
			other.inc("k", 5);
			fixture.settle(other);
			assertThat(counter.setOnInstanceIf("k", CounterComparator.eq(0), 4)).as("compares this instance's slice")
				.isEqualTo(update(9, 4, 5, 0));
			assertThat(counter.setOnInstanceIf("k", CounterComparator.eq(0), 7)).isEqualTo(update(9, 4, 9, 4));
			fixture.settle(counter);
			assertThat(fixture.stored("k")).isEqualTo(9);
		});
	}

	@ParameterizedTest
	@EnumSource(Type.class)
	void del(Type type) {
		withCounter(type, (fixture, counter) -> {
			InstanceAwareCounter other = fixture.another();
			other.inc("k", 5);
			fixture.settle(other);
			counter.inc("k", 2);
			assertThat(counter.del("k")).as("cumulative and slice before the deletion").isEqualTo(new Totals(7, 2));
			assertThat(fixture.stored("k")).isZero();
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(other.get("k")).isEqualTo(new Totals(0, 0)));
		});
	}

	@ParameterizedTest
	@EnumSource(Type.class)
	void delOnInstance(Type type) {
		withCounter(type, (fixture, counter) -> {
			InstanceAwareCounter other = fixture.another();
			other.inc("k", 5);
			fixture.settle(other);
			counter.inc("k", 2);
			assertThat(counter.delOnInstance("k")).as("new cumulative and the removed slice")
				.isEqualTo(new Totals(5, 2));
			assertThat(fixture.stored("k")).isEqualTo(5);
		});
	}

	@ParameterizedTest
	@EnumSource(Type.class)
	void clear(Type type) {
		withCounter(type, (fixture, counter) -> {
			InstanceAwareCounter other = fixture.another();
			other.inc("a", 5);
			fixture.settle(other);
			counter.inc("a", 1);
			counter.inc("b", 2);
			counter.clear();
			assertThat(fixture.stored("a")).isZero();
			assertThat(fixture.stored("b")).isZero();
			assertThat(counter.getAll(keys("a", "b"))).extracting(KeyTotals::cumulative).containsExactly(0L, 0L);
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(other.get("a")).as("slices written before a clear never count again")
					.isEqualTo(new Totals(0, 0)));
		});
	}

	@ParameterizedTest
	@EnumSource(Type.class)
	void clearOnInstance(Type type) {
		withCounter(type, (fixture, counter) -> {
			InstanceAwareCounter other = fixture.another();
			other.inc("a", 5);
			fixture.settle(other);
			counter.inc("a", 2);
			counter.inc("b", 3);
			fixture.settle(counter);
			counter.clearOnInstance();
			assertThat(fixture.stored("a")).isEqualTo(5);
			assertThat(fixture.stored("b")).isZero();
			assertThat(counter.getAll(keys("a", "b"))).containsExactly(new KeyTotals(RedisKey.of("a"), 5, 0),
					new KeyTotals(RedisKey.of("b"), 0, 0));
		});
	}

	// --- batches (chunk-size 2: several script calls) ---

	@ParameterizedTest
	@EnumSource(Type.class)
	void getAll(Type type) {
		withCounter(type, (fixture, counter) -> {
			InstanceAwareCounter other = fixture.another();
			other.incAll(List.of(KeyDelta.of("a", 1), KeyDelta.of("b", 2), KeyDelta.of("c", 3)));
			fixture.settle(other);
			List<KeyTotals> rows = counter.getAll(keys("c", "missing", "a", "b", "a"));
			assertThat(rows).extracting(KeyTotals::cumulative).containsExactly(3L, 0L, 1L, 2L, 1L);
			assertThat(rows).extracting(KeyTotals::slice).containsExactly(0L, 0L, 0L, 0L, 0L);
		});
	}

	@ParameterizedTest
	@EnumSource(Type.class)
	void getAllOnInstance(Type type) {
		withCounter(type, (fixture, counter) -> {
			counter.incAll(List.of(KeyDelta.of("a", 1), KeyDelta.of("b", 2)));
			fixture.settle(counter);
			InstanceAwareCounter other = fixture.another();
			other.inc("a", 10);
			fixture.settle(other);
			assertThat(counter.getAllOnInstance(keys("a", "b", "c"))).extracting(KeyValue::value)
				.containsExactly(1L, 2L, 0L);
		});
	}

	@ParameterizedTest
	@EnumSource(Type.class)
	void incAll(Type type) {
		withCounter(type, (fixture, counter) -> {
			List<KeyTotals> rows = counter.incAll(List.of(KeyDelta.of("a", 1), KeyDelta.of("b", 2),
					KeyDelta.of("a", 10), KeyDelta.of("c", 3), KeyDelta.of("d", -4)));
			assertThat(rows).extracting(KeyTotals::cumulative).containsExactly(1L, 2L, 11L, 3L, -4L);
			assertThat(rows).extracting(KeyTotals::slice).containsExactly(1L, 2L, 11L, 3L, -4L);
			fixture.settle(counter);
			assertThat(List.of(fixture.stored("a"), fixture.stored("b"), fixture.stored("c"), fixture.stored("d")))
				.containsExactly(11L, 2L, 3L, -4L);
		});
	}

	@ParameterizedTest
	@EnumSource(Type.class)
	void incAllIf(Type type) {
		withCounter(type, (fixture, counter) -> {
			counter.setAll(List.of(KeyValue.of("a", 1), KeyValue.of("b", 0), KeyValue.of("c", 5)));
			List<KeyTotalsUpdate> updates = counter.incAllIf(List.of(
					ConditionalDelta.of("a", CounterComparator.gt(0), -1),
					ConditionalDelta.of("b", CounterComparator.gt(0), -1),
					ConditionalDelta.of("c", CounterComparator.lt(10), 5),
					ConditionalDelta.of("c", CounterComparator.lt(10), 5)));
			assertThat(updates).extracting((row) -> row.newTotals().cumulative()).containsExactly(0L, 0L, 10L, 10L);
			assertThat(updates).extracting((row) -> row.oldTotals().cumulative()).containsExactly(1L, 0L, 5L, 10L);
			fixture.settle(counter);
			assertThat(List.of(fixture.stored("a"), fixture.stored("b"), fixture.stored("c"))).containsExactly(0L, 0L,
					10L);
		});
	}

	@ParameterizedTest
	@EnumSource(Type.class)
	void setAll(Type type) {
		withCounter(type, (fixture, counter) -> {
			InstanceAwareCounter other = fixture.another();
			other.inc("a", 100);
			fixture.settle(other);
			List<KeyTotals> rows = counter
				.setAll(List.of(KeyValue.of("a", 7), KeyValue.of("b", 8), KeyValue.of("c", 9)));
			assertThat(rows).extracting(KeyTotals::totals)
				.containsExactly(new Totals(7, 7), new Totals(8, 8), new Totals(9, 9));
			assertThat(List.of(fixture.stored("a"), fixture.stored("b"), fixture.stored("c"))).containsExactly(7L, 8L,
					9L);
		});
	}

	@ParameterizedTest
	@EnumSource(Type.class)
	void setAllIf(Type type) {
		withCounter(type, (fixture, counter) -> {
			counter.set("a", 1);
			List<KeyTotalsUpdate> updates = counter.setAllIf(List.of(
					ConditionalValue.of("a", CounterComparator.eq(1), 10),
					ConditionalValue.of("b", CounterComparator.eq(1), 20),
					ConditionalValue.of("c", CounterComparator.nil(), 30)));
			assertThat(updates).extracting((row) -> row.newTotals().cumulative()).containsExactly(10L, 0L, 30L);
			assertThat(List.of(fixture.stored("a"), fixture.stored("b"), fixture.stored("c"))).containsExactly(10L, 0L,
					30L);
		});
	}

	@ParameterizedTest
	@EnumSource(Type.class)
	void setAllOnInstance(Type type) {
		withCounter(type, (fixture, counter) -> {
			InstanceAwareCounter other = fixture.another();
			other.inc("a", 5);
			fixture.settle(other);
			List<KeyTotals> rows = counter
				.setAllOnInstance(List.of(KeyValue.of("a", 1), KeyValue.of("b", 2), KeyValue.of("c", 3)));
			assertThat(rows).extracting(KeyTotals::totals)
				.containsExactly(new Totals(6, 1), new Totals(2, 2), new Totals(3, 3));
			fixture.settle(counter);
			assertThat(List.of(fixture.stored("a"), fixture.stored("b"), fixture.stored("c"))).containsExactly(6L, 2L,
					3L);
		});
	}

	@ParameterizedTest
	@EnumSource(Type.class)
	void setAllOnInstanceIf(Type type) {
		withCounter(type, (fixture, counter) -> {
			counter.setOnInstance("a", 1);
			List<KeyTotalsUpdate> updates = counter.setAllOnInstanceIf(List.of(
					ConditionalValue.of("a", CounterComparator.eq(1), 10),
					ConditionalValue.of("b", CounterComparator.eq(1), 20),
					ConditionalValue.of("c", CounterComparator.eq(0), 30)));
			assertThat(updates).extracting((row) -> row.newTotals().slice()).containsExactly(10L, 0L, 30L);
			fixture.settle(counter);
			assertThat(List.of(fixture.stored("a"), fixture.stored("b"), fixture.stored("c"))).containsExactly(10L, 0L,
					30L);
		});
	}

	// --- instances: registry, reaping, recovery ---

	@ParameterizedTest
	@EnumSource(Type.class)
	void liveInstances(Type type) {
		withCounter(type, (fixture, counter) -> {
			counter.inc("k", 1);
			fixture.settle(counter);
			assertThat(counter.liveInstances()).isEqualTo(1);
			InstanceAwareCounter other = fixture.another();
			other.inc("k", 1);
			fixture.settle(other);
			assertThat(counter.liveInstances()).isEqualTo(2);
			other.close(); // removes its slices and deregisters
			assertThat(counter.liveInstances()).isEqualTo(1);
			assertThat(fixture.stored("k")).isEqualTo(1);
		});
	}

	@ParameterizedTest
	@EnumSource(Type.class)
	void deadInstanceIsReapedByTheSurvivorsHeartbeat(Type type) {
		withCounter(type, (fixture, counter) -> {
			InstanceAwareCounter dead = fixture
				.another(counter.options().toBuilder().removeOnClose(false).build());
			dead.incAll(List.of(KeyDelta.of("a", 5), KeyDelta.of("b", 6), KeyDelta.of("c", 7)));
			fixture.settle(dead);
			dead.close(); // as a crash: no more heartbeats, the slices stay counted
			counter.inc("a", 2);
			fixture.settle(counter);
			assertThat(fixture.stored("a")).isEqualTo(7);
			// the survivor's background heartbeat (400 ms) reaps once the dead one's is older than the threshold
			await().atMost(Duration.ofSeconds(15))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> fixture.stored("a") == 2 && fixture.stored("b") == 0 && fixture.stored("c") == 0);
			assertThat(fixture.registered()).as("only the survivor is registered").isEqualTo(1);
			assertThat(counter.get("a")).isEqualTo(new Totals(2, 2));
			assertThat(counter.liveInstances()).isEqualTo(1);
		}, SHORT_LIVENESS);
	}

	@ParameterizedTest
	@EnumSource(Type.class)
	void reapedInstanceThatComesBackAddsItsSlicesBack(Type type) {
		withCounter(type, (fixture, counter) -> {
			// idle: no heartbeat for 10 minutes, so it is reaped while alive (a long pause)
			InstanceAwareCounter idle = fixture.another(counter.options()
				.toBuilder()
				.heartbeat(Duration.ofMinutes(10))
				.allowShortThreshold(true)
				.build());
			idle.incAll(List.of(KeyDelta.of("a", 5), KeyDelta.of("b", -3)));
			fixture.settle(idle);
			counter.inc("a", 2);
			fixture.settle(counter);
			await().atMost(Duration.ofSeconds(15))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> fixture.stored("a") == 2 && fixture.stored("b") == 0);
			assertThat(idle.get("a")).as("its next call adds its slices back")
				.isEqualTo(new Totals(7, 5));
			assertThat(fixture.stored("a")).isEqualTo(7);
			assertThat(fixture.stored("b")).isEqualTo(-3);
		}, SHORT_LIVENESS);
	}

	// --- type-specific operations ---

	@Test
	void strict_heartbeat() {
		withCounter(Type.STRICT, (fixture, counter) -> {
			StrictInstanceAwareCounter strict = (StrictInstanceAwareCounter) counter;
			assertThat(fixture.registered()).as("an instance registers with its first call").isZero();
			strict.heartbeat();
			assertThat(fixture.registered()).isEqualTo(1);
			assertThat(strict.liveInstances()).isEqualTo(1);
		});
	}

	@Test
	void lax_incFlushedInTheBackgroundInChunks() {
		withCounter(Type.LAX, (fixture, counter) -> {
			LaxInstanceAwareCounter lax = (LaxInstanceAwareCounter) counter;
			for (int i = 0; i < 10; i++) {
				lax.inc("k" + i, i + 1);
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> lax.pendingKeys() == 0);
			for (int i = 0; i < 10; i++) {
				assertThat(fixture.stored("k" + i)).as("k%d", i).isEqualTo(i + 1);
			}
		});
	}

	@Test
	void lax_flushExplicitly() {
		withCounter(Type.LAX, (fixture, counter) -> {
			LaxInstanceAwareCounter lax = (LaxInstanceAwareCounter) counter;
			for (int i = 0; i < 5; i++) {
				lax.inc("k" + i, 10);
			}
			lax.dec("k0", 4);
			lax.flush();
			assertThat(lax.pendingKeys()).isZero();
			assertThat(fixture.stored("k0")).isEqualTo(6);
			for (int i = 1; i < 5; i++) {
				assertThat(fixture.stored("k" + i)).isEqualTo(10);
			}
		}, "distkit.instance-aware.flush-interval=1h"); // no background flush: only the explicit one sends
	}

	private static TotalsUpdate update(long newCumulative, long newSlice, long oldCumulative, long oldSlice) {
		return new TotalsUpdate(new Totals(newCumulative, newSlice), new Totals(oldCumulative, oldSlice));
	}

	private static List<RedisKey> keys(String... names) {
		List<RedisKey> keys = new ArrayList<>(names.length);
		for (String name : names) {
			keys.add(RedisKey.of(name));
		}
		return keys;
	}

}
