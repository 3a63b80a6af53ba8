package io.distkit.ratelimit;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.ClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.distkit.CircuitBreakerOptions;
import io.distkit.DistkitBackendException;
import io.distkit.RedisBackend;
import io.distkit.RedisKey;
import io.distkit.ratelimit.RateLimitDecision.Allowed;
import io.distkit.ratelimit.hybrid.HybridLimitEngine;
import io.distkit.ratelimit.redis.RedisLimitEngine;
import io.distkit.test.RedisProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** The hybrid provider's commits when Redis stops answering for a while (a Redis of the test's own, frozen). */
class HybridLimitEngineFaultIntegrationTests {

	private static final Duration DEADLINE = Duration.ofMillis(300);

	private RedisProcess redis;

	private LettuceConnectionFactory connectionFactory;

	private RedisBackend backend;

	@BeforeEach
	void start() {
		this.redis = RedisProcess.start();
		this.connectionFactory = this.redis.endpoint()
			.connectionFactory(DEADLINE,
					ClientOptions.builder().disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
		this.backend = RedisBackend.builder(this.connectionFactory)
			.circuitBreaker(new CircuitBreakerOptions(1, Duration.ofMillis(200)))
			.build();
	}

	@AfterEach
	void stop() {
		this.connectionFactory.destroy();
		this.redis.close();
	}

	private static RateLimit limit(RateLimit.Provider provider) {
		return RateLimit.builder("api")
			.capacity(1000)
			.window(Duration.ofSeconds(60))
			.bucket(Duration.ofSeconds(1))
			.provider(provider)
			.build();
	}

	/**
	 * Regression: each tick's pipeline of commits borrowed a dedicated connection from Spring, which without a pool is
	 * a new TCP connection per tick (about 100 a second). The commits now go out on the shared connection.
	 */
	@Test
	void commitsOfManyTicksOpenNoConnection() {
		try (RateLimiter limiter = RateLimiter.builder()
			.redis(this.backend, RedisKey.prefix("hybridconnections"))
			.syncInterval(Duration.ofMillis(10))
			.build()) {
			BoundLimit hybrid = limiter.limit(limit(RateLimit.Provider.HYBRID));
			BoundLimit redisView = limiter.limit(limit(RateLimit.Provider.REDIS));
			for (int i = 0; i < 20; i++) {
				assertThat(hybrid.inc("k" + i)).isSameAs(Allowed.ADMITTED); // synchronises: the shared connection opens
			}
			long before = connectionsReceived();
			for (int round = 2; round <= 30; round++) {
				for (int i = 0; i < 20; i++) {
					assertThat(hybrid.inc("k" + i)).isSameAs(Allowed.ADMITTED);
				}
				int expected = round;
				await().atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> assertThat(redisView.get("k19").total()).isEqualTo(expected));
			}
			for (int i = 0; i < 20; i++) {
				assertThat(redisView.get("k" + i).total()).isEqualTo(30);
			}
			assertThat(connectionsReceived() - before).as("connections opened by 29 ticks of commits, besides the one "
					+ "that asks").isEqualTo(1);
		}
	}

	private long connectionsReceived() {
		String stats = (String) this.redis.query("INFO", "stats");
		return stats.lines()
			.filter((line) -> line.startsWith("total_connections_received:"))
			.mapToLong((line) -> Long.parseLong(line.substring(line.indexOf(':') + 1).trim()))
			.findFirst()
			.orElseThrow();
	}

	/**
	 * Regression: a commit that failed is sent again as it was; units admitted meanwhile stayed pending and, once the
	 * resent commit succeeded, were committed only at the key's next decision — or never, at close.
	 */
	@Test
	void commitSentAgainAfterAFailure_unitsAdmittedMeanwhileAreCommittedToo() {
		try (RateLimiter limiter = RateLimiter.builder()
			.redis(this.backend, RedisKey.prefix("hybridfaults"))
			.syncInterval(Duration.ofMillis(200)) // the local view stays usable for 2 s
			.build()) {
			BoundLimit hybrid = limiter.limit(limit(RateLimit.Provider.HYBRID));
			BoundLimit redisView = limiter.limit(limit(RateLimit.Provider.REDIS));
			assertThat(hybrid.inc("k", 5)).isSameAs(Allowed.ADMITTED); // synchronises, then 5 units wait for the tick
			this.redis.pause();
			await().atMost(Duration.ofSeconds(5)).until(() -> this.backend.circuitOpenings() > 0); // the commit failed
			assertThat(hybrid.inc("k", 3)).as("decided locally").isSameAs(Allowed.ADMITTED);
			this.redis.resume();
			HybridLimitEngine engine = (HybridLimitEngine) limiter.engine(RateLimit.Provider.HYBRID);
			await().atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(DistkitBackendException.class)
				.untilAsserted(() -> {
					assertThat(engine.commitQueueLength()).isZero();
					assertThat(redisView.get("k").total()).isEqualTo(8);
				});
		}
	}

	/** Regression: a pipeline that timed out as a whole came back as an empty list of replies. */
	@Test
	void pipelineTimingOut_failsAsAWhole() {
		List<String> args = List.of("absolute", "1000", "60", "1000", "1000", "100", "writer", "1", "1", "0", "0");
		this.redis.pause();
		assertThatExceptionOfType(DistkitBackendException.class)
			.isThrownBy(() -> this.backend.scriptRunner()
				.runPipelined(RedisLimitEngine.syncScript(),
						List.of(RedisLimitEngine.entityKeys("p", limit(RateLimit.Provider.HYBRID), "a"),
								RedisLimitEngine.entityKeys("p", limit(RateLimit.Provider.HYBRID), "b")),
						List.of(args, args)))
			.withMessageContaining("Redis unavailable while running rl_sync.lua");
		this.redis.resume();
	}

}
