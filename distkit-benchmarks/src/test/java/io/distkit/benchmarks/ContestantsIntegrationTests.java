package io.distkit.benchmarks;

import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.distkit.benchmarks.impl.BenchmarkRedis;
import io.distkit.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every contestant works, all of them at once in one JVM: distkit and raw Lettuce (Netty 4.2, from the Spring Boot
 * BOM) next to Redisson (built against Netty 4.1, running on 4.2 here). Measures nothing; the benchmarks themselves
 * only run from {@code benchmarks.jar}.
 */
class ContestantsIntegrationTests {

	private final CounterKey key = CounterKey.of("k0");

	private BenchmarkRedis redis;

	private String prefix;

	private final List<BasicCounter> counters = new ArrayList<>();

	@BeforeEach
	void open() {
		this.redis = BenchmarkRedis.of(TestRedis.endpoint().url());
		this.prefix = BenchmarkRedis.uniquePrefix();
	}

	@AfterEach
	void close() {
		try {
			this.counters.forEach(BasicCounter::close);
			this.redis.deleteKeys(this.prefix);
		}
		finally {
			this.redis.close();
		}
	}

	@Test
	void strictContestantsReturnTheValueAfterEachIncrement() {
		for (StrictCounterType type : StrictCounterType.values()) {
			BasicCounter counter = create(type.create(this.redis, this.prefix + type.ordinal()));
			assertThat(counter.inc(this.key)).as(type.name()).isEqualTo(1);
			assertThat(counter.inc(this.key)).as(type.name()).isEqualTo(2);
		}
	}

	@Test
	void laxContestantsCountWithoutFailingAndDistkitFlushesOnClose() {
		for (LaxCounterType type : LaxCounterType.values()) {
			BasicCounter counter = create(type.create(this.redis, this.prefix + type.ordinal()));
			counter.inc(this.key);
			counter.inc(this.key);
		}
		RedisCommands<String, String> commands = this.redis.lettuce().sync();
		for (LaxCounterType type : List.of(LaxCounterType.DISTKIT_LAX, LaxCounterType.DISTKIT_LAX_ADD)) {
			this.counters.get(type.ordinal()).close();
			String container = "{" + this.prefix + type.ordinal() + ":lax}";
			assertThat(commands.hget(container, this.key.name())).as(type.name()).isEqualTo("2");
		}
	}

	@Test
	void deleteKeysRemovesEveryKeyOfTheTrial() {
		for (StrictCounterType type : StrictCounterType.values()) {
			create(type.create(this.redis, this.prefix + type.ordinal())).inc(this.key);
		}
		assertThat(this.redis.deleteKeys(this.prefix)).isEqualTo(StrictCounterType.values().length); // one key each
		assertThat(this.redis.lettuce().sync().keys("*" + this.prefix + "*")).isEmpty();
	}

	private BasicCounter create(BasicCounter counter) {
		this.counters.add(counter);
		return counter;
	}

}
