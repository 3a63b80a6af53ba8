package io.distkit.icounter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.springframework.data.redis.core.RedisCallback;

import io.distkit.RedisIntegrationSupport;
import io.distkit.RedisKey;

import static org.awaitility.Awaitility.await;

/**
 * Base of the instance-aware tests: counters on the test's prefix, closed after the test, and waits on Redis time.
 * "Instances" are separate counter objects sharing one prefix; "drop" stops one as a crash would (no heartbeat, no
 * removal).
 */
abstract class InstanceAwareTestSupport extends RedisIntegrationSupport {

	/** A heartbeat long enough that an idle instance is dead for any of the short thresholds used here. */
	static final Duration LONG_HEARTBEAT = Duration.ofMinutes(10);

	private final List<InstanceAwareCounter> opened = new ArrayList<>();

	@AfterEach
	void closeCounters() {
		this.opened.forEach(InstanceAwareCounter::close);
	}

	InstanceAwareOptions.Builder options() {
		return InstanceAwareOptions.builder().prefix(this.prefix);
	}

	/** Options with a short dead-instance threshold and a heartbeat that never fires during a test. */
	InstanceAwareOptions.Builder shortThreshold(Duration threshold) {
		return options().deadInstanceThreshold(threshold).heartbeat(LONG_HEARTBEAT).allowShortThreshold(true);
	}

	<T extends InstanceAwareCounter> T opened(T counter) {
		this.opened.add(counter);
		return counter;
	}

	/** Milliseconds of Redis time ({@code TIME}). */
	static long redisMillis() {
		List<?> time = admin.template().execute((RedisCallback<List<?>>) (connection) -> {
			Long millis = connection.serverCommands().time();
			return List.of(millis);
		});
		return (Long) time.get(0);
	}

	/** Waits until Redis time has moved {@code duration} past now. */
	static void awaitRedisTime(Duration duration) {
		long until = redisMillis() + duration.toMillis();
		await().atMost(duration.plusSeconds(10))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> redisMillis() >= until);
	}

	static RedisKey key(String name) {
		return RedisKey.of(name);
	}

	static Totals totals(long cumulative, long slice) {
		return new Totals(cumulative, slice);
	}

	static TotalsUpdate update(long newCumulative, long newSlice, long oldCumulative, long oldSlice) {
		return new TotalsUpdate(new Totals(newCumulative, newSlice), new Totals(oldCumulative, oldSlice));
	}

	static KeyTotalsUpdate row(String key, long newCumulative, long newSlice, long oldCumulative, long oldSlice) {
		return new KeyTotalsUpdate(key(key), new Totals(newCumulative, newSlice),
				new Totals(oldCumulative, oldSlice));
	}

	/** The raw cumulative of {@code key} in Redis, read without a script (no heartbeat, no reaping). */
	long storedCumulative(String tagSuffix, String key) {
		Object value = admin.template().opsForHash().get("{" + this.prefix + ":" + tagSuffix + "}:cumulative", key);
		return (value != null) ? Long.parseLong((String) value) : 0;
	}

}
