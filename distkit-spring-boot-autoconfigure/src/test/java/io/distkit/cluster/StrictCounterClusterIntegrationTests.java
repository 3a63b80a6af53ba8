package io.distkit.cluster;

import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import io.distkit.RedisKey;
import io.distkit.counter.ConditionalDelta;
import io.distkit.counter.ConditionalValue;
import io.distkit.counter.CounterComparator;
import io.distkit.counter.CounterUpdate;
import io.distkit.counter.KeyDelta;
import io.distkit.counter.KeyUpdate;
import io.distkit.counter.KeyValue;
import io.distkit.counter.StrictCounter;

import static org.assertj.core.api.Assertions.assertThat;

/** Every {@link StrictCounter} operation on Redis Cluster; batches span several chunks ({@code chunk-size=2}). */
class StrictCounterClusterIntegrationTests extends ClusterIntegrationSupport {

	private void withCounter(Consumer<StrictCounter> test) {
		runner().withPropertyValues("distkit.chunk-size=2").run((context) -> {
			StrictCounter counter = context.getBean(StrictCounter.class);
			try {
				test.accept(counter);
			}
			finally {
				counter.clear();
			}
		});
	}

	@Test
	void inc() {
		withCounter((counter) -> {
			assertThat(counter.inc("hits", 3)).isEqualTo(3);
			assertThat(counter.inc("hits", 4)).isEqualTo(7);
		});
	}

	@Test
	void dec() {
		withCounter((counter) -> assertThat(counter.dec("stock", 2)).isEqualTo(-2));
	}

	@Test
	void get() {
		withCounter((counter) -> {
			assertThat(counter.get("missing")).isZero();
			counter.inc("present", 5);
			assertThat(counter.get("present")).isEqualTo(5);
		});
	}

	@Test
	void set() {
		withCounter((counter) -> {
			assertThat(counter.set("k", 42)).isEqualTo(42);
			assertThat(counter.get("k")).isEqualTo(42);
		});
	}

	@Test
	void incIf() {
		withCounter((counter) -> {
			counter.set("stock", 1);
			assertThat(counter.incIf("stock", CounterComparator.gt(0), -1)).isEqualTo(new CounterUpdate(0, 1));
			assertThat(counter.incIf("stock", CounterComparator.gt(0), -1)).isEqualTo(new CounterUpdate(0, 0));
		});
	}

	@Test
	void setIf() {
		withCounter((counter) -> {
			assertThat(counter.setIf("k", CounterComparator.eq(0), 9)).isEqualTo(new CounterUpdate(9, 0));
			assertThat(counter.setIf("k", CounterComparator.eq(0), 1)).isEqualTo(new CounterUpdate(9, 9));
		});
	}

	@Test
	void del() {
		withCounter((counter) -> {
			counter.set("k", 6);
			assertThat(counter.del("k")).isEqualTo(6);
			assertThat(counter.get("k")).isZero();
		});
	}

	@Test
	void clear() {
		withCounter((counter) -> {
			counter.inc("a", 1);
			counter.inc("b", 2);
			counter.clear();
			assertThat(counter.getAll(keys("a", "b"))).extracting(KeyValue::value).containsExactly(0L, 0L);
		});
	}

	@Test
	void getAll() {
		withCounter((counter) -> {
			counter.incAll(List.of(KeyDelta.of("a", 1), KeyDelta.of("b", 2), KeyDelta.of("c", 3)));
			assertThat(counter.getAll(keys("c", "missing", "a", "b", "a"))).extracting(KeyValue::value)
				.containsExactly(3L, 0L, 1L, 2L, 1L);
		});
	}

	@Test
	void incAll() {
		withCounter((counter) -> assertThat(counter.incAll(List.of(KeyDelta.of("a", 1), KeyDelta.of("b", 2),
				KeyDelta.of("a", 10), KeyDelta.of("c", 3), KeyDelta.of("d", -4))))
			.extracting(KeyValue::value)
			.containsExactly(1L, 2L, 11L, 3L, -4L));
	}

	@Test
	void incAllIf() {
		withCounter((counter) -> {
			counter.setAll(List.of(KeyValue.of("a", 1), KeyValue.of("b", 0), KeyValue.of("c", 5)));
			List<KeyUpdate> updates = counter.incAllIf(List.of(ConditionalDelta.of("a", CounterComparator.gt(0), -1),
					ConditionalDelta.of("b", CounterComparator.gt(0), -1),
					ConditionalDelta.of("c", CounterComparator.lt(10), 5), ConditionalDelta.of("c", CounterComparator.lt(10), 5)));
			assertThat(updates).extracting(KeyUpdate::newValue).containsExactly(0L, 0L, 10L, 10L);
			assertThat(updates).extracting(KeyUpdate::oldValue).containsExactly(1L, 0L, 5L, 10L);
		});
	}

	@Test
	void setAll() {
		withCounter((counter) -> {
			counter.setAll(List.of(KeyValue.of("a", 7), KeyValue.of("b", 8), KeyValue.of("c", 9)));
			assertThat(counter.getAll(keys("a", "b", "c"))).extracting(KeyValue::value).containsExactly(7L, 8L, 9L);
		});
	}

	@Test
	void setAllIf() {
		withCounter((counter) -> {
			counter.set("a", 1);
			List<KeyUpdate> updates = counter.setAllIf(List.of(ConditionalValue.of("a", CounterComparator.eq(1), 10),
					ConditionalValue.of("b", CounterComparator.eq(1), 20), ConditionalValue.of("c", CounterComparator.nil(), 30)));
			assertThat(updates).extracting(KeyUpdate::newValue).containsExactly(10L, 0L, 30L);
		});
	}

	private static List<RedisKey> keys(String... names) {
		return java.util.Arrays.stream(names).map(RedisKey::of).toList();
	}

}
