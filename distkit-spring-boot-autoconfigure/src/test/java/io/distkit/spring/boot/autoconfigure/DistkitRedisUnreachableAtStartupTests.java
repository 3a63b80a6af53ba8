package io.distkit.spring.boot.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.distkit.DistkitBackendException;
import io.distkit.RedisBackend;
import io.distkit.counter.LaxCounter;
import io.distkit.counter.StrictCounter;
import io.distkit.icounter.LaxInstanceAwareCounter;
import io.distkit.icounter.StrictInstanceAwareCounter;
import io.distkit.icounter.Totals;
import io.distkit.ratelimit.BoundLimit;
import io.distkit.ratelimit.RateLimitBackendUnavailableException;
import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.spring.boot.actuate.DistkitHealthIndicator;
import io.distkit.test.RedisProcess;
import io.distkit.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The application starts while its Redis is unreachable (DESIGN decision 7): the context starts, the failure policy
 * applies, health is DOWN only under {@code fail-closed} (otherwise UP with {@code redis: unavailable}), strict and
 * strict instance-aware calls throw, lax and lax instance-aware counters buffer, and everything works once a Redis
 * appears on the configured port — health UP with {@code redis: available}, the buffered increments in Redis.
 */
class DistkitRedisUnreachableAtStartupTests {

	private final int port = freePort();

	private final String prefix = TestRedis.uniquePrefix("unreachable");

	private RedisProcess redis;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, DistkitRedisAutoConfiguration.class,
				DistkitCounterAutoConfiguration.class, DistkitInstanceAwareAutoConfiguration.class,
				DistkitRateLimitAutoConfiguration.class, DistkitHealthAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.url=redis://127.0.0.1:" + this.port, "spring.data.redis.timeout=300ms",
				"distkit.prefix=" + this.prefix, "distkit.redis.circuit-breaker.failure-threshold=2",
				"distkit.redis.circuit-breaker.open-for=300ms", "distkit.rate-limit.window=60s",
				"distkit.rate-limit.bucket=1s", "distkit.rate-limit.limits.api.capacity=2",
				"distkit.rate-limit.limits.api.provider=redis", "distkit.rate-limit.limits.burst.capacity=2",
				"distkit.rate-limit.limits.burst.provider=hybrid");

	@AfterEach
	void stopRedis() {
		if (this.redis != null) {
			this.redis.close();
		}
	}

	@Test
	void failOpen_contextStartsDecisionsAreDegradedHealthIsUpAndEverythingWorksOnceRedisAppears() {
		this.runner.withPropertyValues("distkit.rate-limit.on-backend-failure=fail-open").run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(StrictCounter.class)
				.hasSingleBean(LaxCounter.class)
				.hasSingleBean(StrictInstanceAwareCounter.class)
				.hasSingleBean(LaxInstanceAwareCounter.class)
				.hasSingleBean(RateLimiter.class)
				.hasSingleBean(DistkitHealthIndicator.class);
			assertHealthWhileUnreachable(context, Status.UP, "fail-open");
			StrictCounter strict = context.getBean(StrictCounter.class);
			LaxCounter lax = context.getBean(LaxCounter.class);
			RateLimiter limiter = context.getBean(RateLimiter.class);
			assertThatExceptionOfType(DistkitBackendException.class).isThrownBy(() -> strict.inc("hits", 1));
			for (int i = 1; i <= 5; i++) {
				assertThat(lax.inc("views", 1)).as("buffered while Redis is unreachable").isEqualTo(i);
			}
			instanceAwareCountersWhileUnreachable(context);
			assertThat(limiter.limit("api").inc("user")).isSameAs(RateLimitDecision.Allowed.DEGRADED);
			assertThat(limiter.limit("burst").inc("user")).isSameAs(RateLimitDecision.Allowed.DEGRADED);

			this.redis = RedisProcess.builder().port(this.port).start();
			everythingWorks(context);
		});
	}

	@Test
	void failClosed_decisionsThrowAndHealthIsDownUntilRedisAppears() {
		this.runner.withPropertyValues("distkit.rate-limit.on-backend-failure=fail-closed").run((context) -> {
			assertThat(context).hasNotFailed();
			assertHealthWhileUnreachable(context, Status.DOWN, "fail-closed");
			RateLimiter limiter = context.getBean(RateLimiter.class);
			assertThatExceptionOfType(RateLimitBackendUnavailableException.class)
				.isThrownBy(() -> limiter.limit("api").inc("user"))
				.satisfies((ex) -> assertThat(ex.getRetryAfter()).isEqualTo(Duration.ofMillis(300)));
			assertThatExceptionOfType(RateLimitBackendUnavailableException.class)
				.isThrownBy(() -> limiter.limit("burst").inc("user"));
			instanceAwareCountersWhileUnreachable(context);

			this.redis = RedisProcess.builder().port(this.port).start();
			everythingWorks(context);
		});
	}

	@Test
	void localFallback_decidesLocallyAndHealthIsUpUntilRedisAppears() {
		this.runner.withPropertyValues("distkit.rate-limit.on-backend-failure=local-fallback").run((context) -> {
			assertThat(context).hasNotFailed();
			assertHealthWhileUnreachable(context, Status.UP, "local-fallback");
			BoundLimit api = context.getBean(RateLimiter.class).limit("api");
			assertThat(api.inc("user").isAdmitted()).isTrue();
			assertThat(api.inc("user").isAdmitted()).isTrue();
			assertThat(api.inc("user").isAdmitted()).as("the local fallback holds the same capacity").isFalse();
			instanceAwareCountersWhileUnreachable(context);

			this.redis = RedisProcess.builder().port(this.port).start();
			everythingWorks(context);
		});
	}

	/** Decision 7: DOWN for a Redis outage only under fail-closed, else UP with {@code redis: unavailable}. */
	private static void assertHealthWhileUnreachable(AssertableApplicationContext context, Status expected,
			String policy) {
		Health health = context.getBean(DistkitHealthIndicator.class).health(true);
		assertThat(health.getStatus()).as("health of %s while Redis is unreachable", policy).isEqualTo(expected);
		assertThat(health.getDetails()).containsEntry("redis", "unavailable").containsEntry("failurePolicy", policy);
	}

	/** Strict instance-aware calls throw; lax instance-aware increments are buffered (3 of them). */
	private static void instanceAwareCountersWhileUnreachable(AssertableApplicationContext context) {
		StrictInstanceAwareCounter strict = context.getBean(StrictInstanceAwareCounter.class);
		LaxInstanceAwareCounter lax = context.getBean(LaxInstanceAwareCounter.class);
		assertThatExceptionOfType(DistkitBackendException.class).isThrownBy(() -> strict.inc("connections", 1));
		for (int i = 1; i <= 3; i++) {
			assertThat(lax.inc("sessions", 1)).as("buffered while Redis is unreachable").isEqualTo(new Totals(i, i));
		}
	}

	private void everythingWorks(AssertableApplicationContext context) {
		DistkitHealthIndicator health = context.getBean(DistkitHealthIndicator.class);
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(health.health(true)).satisfies((now) -> {
				assertThat(now.getStatus()).isEqualTo(Status.UP);
				assertThat(now.getDetails()).containsEntry("redis", "available");
			}));
		StrictCounter strict = context.getBean(StrictCounter.class);
		AtomicInteger acknowledged = new AtomicInteger();
		await().atMost(Duration.ofSeconds(20)).ignoreExceptionsInstanceOf(DistkitBackendException.class).until(() -> {
			strict.inc("hits", 1);
			return acknowledged.incrementAndGet() > 0;
		});
		assertThat(strict.get("hits")).as("nothing sent while Redis was unreachable was applied").isEqualTo(1);
		LaxCounter lax = context.getBean(LaxCounter.class);
		long buffered = lax.inc("views", 0);
		await().atMost(Duration.ofSeconds(20)).until(() -> lax.pendingKeys() == 0);
		assertThat(lax.get("views")).as("lax increments buffered at start reached Redis").isEqualTo(buffered);
		instanceAwareCountersWork(context);
		RateLimiter limiter = context.getBean(RateLimiter.class);
		for (String name : new String[] { "api", "burst" }) {
			BoundLimit limit = limiter.limit(name);
			await().atMost(Duration.ofSeconds(20))
				.until(() -> limit.inc("after") == RateLimitDecision.Allowed.ADMITTED);
			assertThat(limit.inc("after")).as(name).isSameAs(RateLimitDecision.Allowed.ADMITTED);
			assertThat(limit.inc("after").isAdmitted()).as(name + " holds its capacity again").isFalse();
		}
		assertThat(context.getBean(RedisBackend.class).circuitOpenings())
			.as("the breaker opened while Redis was unreachable")
			.isPositive();
		strict.clear();
		lax.clear();
		context.getBean(StrictInstanceAwareCounter.class).clear();
		context.getBean(LaxInstanceAwareCounter.class).clear();
	}

	/**
	 * The instance-aware beans, created while Redis was unreachable, register and count once it appears: the strict
	 * one applies nothing it was refused, the lax one delivers what it buffered as its slice.
	 */
	private static void instanceAwareCountersWork(AssertableApplicationContext context) {
		StrictInstanceAwareCounter strict = context.getBean(StrictInstanceAwareCounter.class);
		await().atMost(Duration.ofSeconds(20))
			.ignoreExceptionsInstanceOf(DistkitBackendException.class)
			.untilAsserted(() -> assertThat(strict.inc("connections", 1)).isEqualTo(new Totals(1, 1)));
		assertThat(strict.get("connections")).as("nothing refused while Redis was unreachable was applied")
			.isEqualTo(new Totals(1, 1));
		assertThat(strict.liveInstances()).isEqualTo(1);
		LaxInstanceAwareCounter lax = context.getBean(LaxInstanceAwareCounter.class);
		await().atMost(Duration.ofSeconds(20)).until(() -> lax.pendingKeys() == 0);
		assertThat(lax.get("sessions")).as("lax instance-aware increments buffered at start reached Redis")
			.isEqualTo(new Totals(3, 3));
		assertThat(lax.liveInstances()).isEqualTo(1);
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
