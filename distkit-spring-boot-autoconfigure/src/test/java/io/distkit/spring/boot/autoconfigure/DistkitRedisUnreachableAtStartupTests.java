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
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.distkit.DistkitBackendException;
import io.distkit.RedisBackend;
import io.distkit.counter.LaxCounter;
import io.distkit.counter.StrictCounter;
import io.distkit.ratelimit.BoundLimit;
import io.distkit.ratelimit.RateLimitBackendUnavailableException;
import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.test.RedisProcess;
import io.distkit.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The application starts while its Redis is unreachable (DESIGN decision 7): the context starts, the failure policy
 * applies, lax counters buffer, and everything works once a Redis appears on the configured port.
 */
class DistkitRedisUnreachableAtStartupTests {

	private final int port = freePort();

	private final String prefix = TestRedis.uniquePrefix("unreachable");

	private RedisProcess redis;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, DistkitRedisAutoConfiguration.class,
				DistkitCounterAutoConfiguration.class, DistkitRateLimitAutoConfiguration.class))
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
	void failOpen_contextStartsDecisionsAreDegradedAndEverythingWorksOnceRedisAppears() {
		this.runner.withPropertyValues("distkit.rate-limit.on-backend-failure=fail-open").run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(StrictCounter.class)
				.hasSingleBean(LaxCounter.class)
				.hasSingleBean(RateLimiter.class);
			StrictCounter strict = context.getBean(StrictCounter.class);
			LaxCounter lax = context.getBean(LaxCounter.class);
			RateLimiter limiter = context.getBean(RateLimiter.class);
			assertThatExceptionOfType(DistkitBackendException.class).isThrownBy(() -> strict.inc("hits", 1));
			for (int i = 1; i <= 5; i++) {
				assertThat(lax.inc("views", 1)).as("buffered while Redis is unreachable").isEqualTo(i);
			}
			assertThat(limiter.limit("api").inc("user")).isSameAs(RateLimitDecision.Allowed.DEGRADED);
			assertThat(limiter.limit("burst").inc("user")).isSameAs(RateLimitDecision.Allowed.DEGRADED);

			this.redis = RedisProcess.builder().port(this.port).start();
			everythingWorks(context.getBean(RedisBackend.class), strict, lax, limiter);
		});
	}

	@Test
	void failClosed_decisionsThrowUntilRedisAppears() {
		this.runner.withPropertyValues("distkit.rate-limit.on-backend-failure=fail-closed").run((context) -> {
			assertThat(context).hasNotFailed();
			RateLimiter limiter = context.getBean(RateLimiter.class);
			assertThatExceptionOfType(RateLimitBackendUnavailableException.class)
				.isThrownBy(() -> limiter.limit("api").inc("user"))
				.satisfies((ex) -> assertThat(ex.getRetryAfter()).isEqualTo(Duration.ofMillis(300)));
			assertThatExceptionOfType(RateLimitBackendUnavailableException.class)
				.isThrownBy(() -> limiter.limit("burst").inc("user"));

			this.redis = RedisProcess.builder().port(this.port).start();
			everythingWorks(context.getBean(RedisBackend.class), context.getBean(StrictCounter.class),
					context.getBean(LaxCounter.class), limiter);
		});
	}

	@Test
	void localFallback_decidesLocallyUntilRedisAppears() {
		this.runner.withPropertyValues("distkit.rate-limit.on-backend-failure=local-fallback").run((context) -> {
			assertThat(context).hasNotFailed();
			BoundLimit api = context.getBean(RateLimiter.class).limit("api");
			assertThat(api.inc("user").isAdmitted()).isTrue();
			assertThat(api.inc("user").isAdmitted()).isTrue();
			assertThat(api.inc("user").isAdmitted()).as("the local fallback holds the same capacity").isFalse();

			this.redis = RedisProcess.builder().port(this.port).start();
			everythingWorks(context.getBean(RedisBackend.class), context.getBean(StrictCounter.class),
					context.getBean(LaxCounter.class), context.getBean(RateLimiter.class));
		});
	}

	private void everythingWorks(RedisBackend backend, StrictCounter strict, LaxCounter lax, RateLimiter limiter) {
		AtomicInteger acknowledged = new AtomicInteger();
		await().atMost(Duration.ofSeconds(20)).ignoreExceptionsInstanceOf(DistkitBackendException.class).until(() -> {
			strict.inc("hits", 1);
			return acknowledged.incrementAndGet() > 0;
		});
		assertThat(strict.get("hits")).as("nothing sent while Redis was unreachable was applied").isEqualTo(1);
		long buffered = lax.inc("views", 0);
		await().atMost(Duration.ofSeconds(20)).until(() -> lax.pendingKeys() == 0);
		assertThat(lax.get("views")).as("lax increments buffered at start reached Redis").isEqualTo(buffered);
		for (String name : new String[] { "api", "burst" }) {
			BoundLimit limit = limiter.limit(name);
			await().atMost(Duration.ofSeconds(20))
				.until(() -> limit.inc("after") == RateLimitDecision.Allowed.ADMITTED);
			assertThat(limit.inc("after")).as(name).isSameAs(RateLimitDecision.Allowed.ADMITTED);
			assertThat(limit.inc("after").isAdmitted()).as(name + " holds its capacity again").isFalse();
		}
		assertThat(backend.circuitOpenings()).as("the breaker opened while Redis was unreachable").isPositive();
		strict.clear();
		lax.clear();
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
