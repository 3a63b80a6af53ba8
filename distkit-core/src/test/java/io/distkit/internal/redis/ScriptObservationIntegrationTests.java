package io.distkit.internal.redis;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.distkit.RedisBackend;
import io.distkit.counter.CounterOptions;
import io.distkit.counter.StrictCounter;
import io.distkit.test.RedisAdmin;
import io.distkit.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/** Script calls are observed (for timers and traces) with the key only as a high-cardinality value. */
class ScriptObservationIntegrationTests {

	@Test
	void everyScriptCallIsObserved() {
		List<Observation.Context> seen = new CopyOnWriteArrayList<>();
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

			@Override
			public void onStop(Observation.Context context) {
				seen.add(context);
			}

		});
		String prefix = TestRedis.uniquePrefix("observed");
		LettuceConnectionFactory factory = TestRedis.endpoint().connectionFactory();
		try (RedisAdmin admin = TestRedis.endpoint().admin()) {
			RedisBackend backend = RedisBackend.builder(factory).observationRegistry(registry).build();
			StrictCounter.create(backend, CounterOptions.builder().prefix(prefix).build()).inc("k", 1);
			assertThat(seen).hasSize(1);
			Observation.Context context = seen.get(0);
			assertThat(context.getName()).isEqualTo("distkit.redis.script");
			assertThat(context.getLowCardinalityKeyValue("script").getValue()).isEqualTo("strict_inc.lua");
			assertThat(context.getHighCardinalityKeyValue("key").getValue()).isEqualTo("{" + prefix + ":strict}");
			assertThat(context.getLowCardinalityKeyValues().stream().map((kv) -> kv.getKey())).containsOnly("script");
			admin.deleteKeysContaining(prefix);
		}
		finally {
			factory.destroy();
		}
	}

}
