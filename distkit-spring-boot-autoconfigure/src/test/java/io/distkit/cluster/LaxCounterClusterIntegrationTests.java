package io.distkit.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationContext;

import io.distkit.RedisBackend;
import io.distkit.RedisKey;
import io.distkit.counter.ConditionalDelta;
import io.distkit.counter.ConditionalValue;
import io.distkit.counter.CounterComparator;
import io.distkit.counter.CounterOptions;
import io.distkit.counter.CounterUpdate;
import io.distkit.counter.KeyDelta;
import io.distkit.counter.KeyUpdate;
import io.distkit.counter.KeyValue;
import io.distkit.counter.LaxCounter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every {@link LaxCounter} operation on Redis Cluster, each checked through a second counter (another writer) that
 * reads Redis; flushes and batches span several chunks ({@code chunk-size=2}).
 */
class LaxCounterClusterIntegrationTests extends ClusterIntegrationSupport {

	private interface LaxTest {

		void run(LaxCounter counter, LaxCounter reader);

	}

	private void withCounter(LaxTest test) {
		runner().withPropertyValues("distkit.chunk-size=2").run((context) -> {
			LaxCounter counter = context.getBean(LaxCounter.class);
			try (LaxCounter reader = reader(context)) {
				test.run(counter, reader);
			}
			finally {
				counter.clear();
			}
		});
	}

	private LaxCounter reader(ApplicationContext context) {
		return LaxCounter.create(context.getBean(RedisBackend.class), CounterOptions.builder().prefix(this.prefix).build());
	}

	@Test
	void inc_flushedExplicitly() {
		withCounter((counter, reader) -> {
			assertThat(counter.inc("hits", 3)).isEqualTo(3);
			assertThat(counter.inc("hits", 4)).isEqualTo(7);
			counter.flush();
			assertThat(reader.get("hits")).isEqualTo(7);
		});
	}

	@Test
	void inc_flushedInTheBackgroundInChunks() {
		withCounter((counter, reader) -> {
			for (int i = 0; i < 10; i++) {
				counter.inc("k" + i, i + 1);
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> counter.pendingKeys() == 0);
			for (int i = 0; i < 10; i++) {
				assertThat(reader.get("k" + i)).isEqualTo(i + 1);
			}
		});
	}

	@Test
	void dec() {
		withCounter((counter, reader) -> {
			assertThat(counter.dec("stock", 2)).isEqualTo(-2);
			counter.flush();
			assertThat(reader.get("stock")).isEqualTo(-2);
		});
	}

	@Test
	void get_loadsWhatAnotherWriterFlushed() {
		withCounter((counter, reader) -> {
			reader.inc("k", 5);
			reader.flush();
			assertThat(counter.get("k")).isEqualTo(5);
		});
	}

	@Test
	void getAll() {
		withCounter((counter, reader) -> {
			reader.incAll(List.of(KeyDelta.of("a", 1), KeyDelta.of("b", 2), KeyDelta.of("c", 3)));
			reader.flush();
			assertThat(counter.getAll(keys("c", "missing", "a", "b"))).extracting(KeyValue::value)
				.containsExactly(3L, 0L, 1L, 2L);
		});
	}

	@Test
	void incAll() {
		withCounter((counter, reader) -> {
			assertThat(counter.incAll(List.of(KeyDelta.of("a", 1), KeyDelta.of("b", 2), KeyDelta.of("a", 10))))
				.extracting(KeyValue::value)
				.containsExactly(1L, 2L, 11L);
			counter.flush();
			assertThat(reader.getAll(keys("a", "b"))).extracting(KeyValue::value).containsExactly(11L, 2L);
		});
	}

	@Test
	void incIf() {
		withCounter((counter, reader) -> {
			counter.set("stock", 1);
			assertThat(counter.incIf("stock", CounterComparator.gt(0), -1)).isEqualTo(new CounterUpdate(0, 1));
			assertThat(counter.incIf("stock", CounterComparator.gt(0), -1)).isEqualTo(new CounterUpdate(0, 0));
			counter.flush();
			assertThat(reader.get("stock")).isZero();
		});
	}

	@Test
	void incAllIf() {
		withCounter((counter, reader) -> {
			counter.setAll(List.of(KeyValue.of("a", 1), KeyValue.of("b", 0), KeyValue.of("c", 5)));
			List<KeyUpdate> updates = counter.incAllIf(List.of(ConditionalDelta.of("a", CounterComparator.gt(0), -1),
					ConditionalDelta.of("b", CounterComparator.gt(0), -1),
					ConditionalDelta.of("c", CounterComparator.lt(10), 5)));
			assertThat(updates).extracting(KeyUpdate::newValue).containsExactly(0L, 0L, 10L);
			counter.flush();
			assertThat(reader.getAll(keys("a", "b", "c"))).extracting(KeyValue::value).containsExactly(0L, 0L, 10L);
		});
	}

	@Test
	void set_appliesBufferedIncrementsAndTheWrite() {
		withCounter((counter, reader) -> {
			counter.inc("k", 5);
			assertThat(counter.set("k", 42)).isEqualTo(42);
			assertThat(reader.get("k")).isEqualTo(42);
		});
	}

	@Test
	void setIf() {
		withCounter((counter, reader) -> {
			assertThat(counter.setIf("k", CounterComparator.eq(0), 9)).isEqualTo(new CounterUpdate(9, 0));
			assertThat(counter.setIf("k", CounterComparator.eq(0), 1)).isEqualTo(new CounterUpdate(9, 9));
			assertThat(reader.get("k")).isEqualTo(9);
		});
	}

	@Test
	void setAll() {
		withCounter((counter, reader) -> {
			counter.setAll(List.of(KeyValue.of("a", 7), KeyValue.of("b", 8), KeyValue.of("c", 9)));
			assertThat(reader.getAll(keys("a", "b", "c"))).extracting(KeyValue::value).containsExactly(7L, 8L, 9L);
		});
	}

	@Test
	void setAllIf() {
		withCounter((counter, reader) -> {
			counter.set("a", 1);
			List<KeyUpdate> updates = counter.setAllIf(List.of(ConditionalValue.of("a", CounterComparator.eq(1), 10),
					ConditionalValue.of("b", CounterComparator.eq(1), 20),
					ConditionalValue.of("c", CounterComparator.nil(), 30)));
			assertThat(updates).extracting(KeyUpdate::newValue).containsExactly(10L, 0L, 30L);
			assertThat(reader.getAll(keys("a", "b", "c"))).extracting(KeyValue::value).containsExactly(10L, 0L, 30L);
		});
	}

	@Test
	void del() {
		withCounter((counter, reader) -> {
			counter.set("k", 6);
			counter.inc("k", 1);
			assertThat(counter.del("k")).isEqualTo(7);
			assertThat(reader.get("k")).isZero();
		});
	}

	@Test
	void clear() {
		withCounter((counter, reader) -> {
			counter.inc("a", 1);
			counter.flush();
			counter.clear();
			assertThat(reader.get("a")).isZero();
		});
	}

	private static List<RedisKey> keys(String... names) {
		List<RedisKey> keys = new ArrayList<>(names.length);
		for (String name : names) {
			keys.add(RedisKey.of(name));
		}
		return keys;
	}

}
