package io.distkit.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.distkit.counter.LaxCounter;
import io.distkit.icounter.LaxInstanceAwareCounter;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.spring.boot.actuate.DistkitEndpoint;
import io.distkit.spring.boot.actuate.DistkitHealthIndicator;
import io.distkit.spring.boot.metrics.DistkitMetrics;
import io.distkit.test.RedisAdmin;
import io.distkit.test.RedisProcess;
import io.distkit.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Endpoint, health, meters, failure analysis and AOT hints: the conditions and the behaviour on real Redis. */
class DistkitOperationsAutoConfigurationTests {

	private static RedisProcess redis;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, DistkitRedisAutoConfiguration.class,
				DistkitCounterAutoConfiguration.class, DistkitInstanceAwareAutoConfiguration.class,
				DistkitRateLimitAutoConfiguration.class,
				DistkitHealthAutoConfiguration.class, DistkitEndpointAutoConfiguration.class,
				DistkitMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.url=" + TestRedis.endpoint().url(), "spring.data.redis.timeout=1s",
				"distkit.rate-limit.limits.api.capacity=2");

	@BeforeAll
	static void startRedis() {
		redis = RedisProcess.start();
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@Test
	void everyOperationsBeanIsPresent() {
		this.runner.withPropertyValues("management.endpoints.jmx.exposure.include=distkit", "spring.jmx.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(DistkitEndpoint.class)
			.hasSingleBean(DistkitHealthIndicator.class)
			.hasSingleBean(DistkitMetrics.class));
	}

	@Test
	void withoutActuatorThereIsNoEndpointAndNoHealth() {
		this.runner.withClassLoader(new FilteredClassLoader(Endpoint.class, HealthIndicator.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(DistkitEndpoint.class)
				.doesNotHaveBean(DistkitHealthIndicator.class)
				.hasSingleBean(RateLimiter.class));
	}

	@Test
	void withoutMicrometerThereAreNoMeters() {
		this.runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(DistkitMetrics.class)
				.hasSingleBean(RateLimiter.class));
	}

	@Test
	void withObservationsScriptCallsAreObserved() {
		this.runner
			.withConfiguration(AutoConfigurations
				.of(org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration.class))
			.withUserConfiguration(ObservationRecorder.class)
			.run((context) -> {
				context.getBean(io.distkit.counter.StrictCounter.class).get("observed");
				assertThat(context.getBean(ObservationRecorder.class).names).contains("distkit.redis.script");
			});
	}

	@Test
	void withoutObservationsOrTracingScriptsStillRun() {
		this.runner.run((context) -> {
			assertThat(context).doesNotHaveBean(io.micrometer.observation.ObservationRegistry.class);
			assertThat(context.getBean(io.distkit.counter.StrictCounter.class).get("unobserved")).isZero();
		});
	}

	@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
	static class ObservationRecorder {

		final List<String> names = new java.util.concurrent.CopyOnWriteArrayList<>();

		@org.springframework.context.annotation.Bean
		io.micrometer.observation.ObservationHandler<io.micrometer.observation.Observation.Context> recordingHandler() {
			return new io.micrometer.observation.ObservationHandler<>() {

				@Override
				public boolean supportsContext(io.micrometer.observation.Observation.Context context) {
					return true;
				}

				@Override
				public void onStop(io.micrometer.observation.Observation.Context context) {
					ObservationRecorder.this.names.add(context.getName());
				}

			};
		}

	}

	@Test
	void endpointCanBeDisabled() {
		this.runner
			.withPropertyValues("management.endpoints.jmx.exposure.include=distkit", "spring.jmx.enabled=true",
					"management.endpoint.distkit.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(DistkitEndpoint.class));
	}

	@Test
	void metersAfterRealDecisionsAndFlushes_withoutKeysInTags() {
		String prefix = TestRedis.uniquePrefix("meters");
		this.runner.withPropertyValues("distkit.prefix=" + prefix).run((context) -> {
			RateLimiter limiter = context.getBean(RateLimiter.class);
			LaxCounter lax = context.getBean(LaxCounter.class);
			for (int i = 0; i < 3; i++) {
				limiter.limit("api").inc("user-4711");
			}
			limiter.local().absolute().inc("203.0.113.9", 1.0, 1);
			lax.inc("page-secret", 5);
			lax.flush();
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("distkit.ratelimit.decisions").tag("limit", "api").tag("outcome", "allowed").counter()
				.count()).isEqualTo(2);
			assertThat(registry.get("distkit.ratelimit.decisions").tag("limit", "api").tag("outcome", "rejected")
				.counter()
				.count()).isEqualTo(1);
			assertThat(registry.get("distkit.ratelimit.decisions").tag("limit", "programmatic").tag("outcome", "allowed")
				.counter()
				.count())
				.isEqualTo(1);
			assertThat(registry.get("distkit.counter.lax.flushed.keys").tag("counter", "laxCounter").functionCounter()
				.count()).isEqualTo(1);
			assertThat(registry.get("distkit.counter.lax.flushes").tag("counter", "laxCounter").functionTimer().count())
				.isEqualTo(1);
			assertThat(registry.get("distkit.counter.lax.pending.keys").tag("counter", "laxCounter").gauge().value())
				.isZero();
			LaxInstanceAwareCounter sessions = context.getBean(LaxInstanceAwareCounter.class);
			sessions.inc("sessions", 2);
			assertThat(registry.get("distkit.counter.lax.pending.keys")
				.tag("counter", "laxInstanceAwareCounter")
				.gauge()
				.value()).as("a lax instance-aware counter's buffer is metered too").isEqualTo(1);
			sessions.flush();
			assertThat(registry.get("distkit.counter.lax.flushed.keys")
				.tag("counter", "laxInstanceAwareCounter")
				.functionCounter()
				.count()).isEqualTo(1);
			assertThat(registry.get("distkit.redis.circuit.state").gauge().value()).isZero();
			assertThat(registry.get("distkit.ratelimit.hybrid.commit.queue").gauge().value()).isZero();
			context.getBean(io.distkit.icounter.StrictInstanceAwareCounter.class).inc("connections", 1);
			assertThat(registry.get("distkit.instance.aware.live.instances")
				.tag("counter", "strictInstanceAwareCounter")
				.gauge()
				.value()).isEqualTo(1);
			List<String> tagValues = registry.getMeters()
				.stream()
				.map(Meter::getId)
				.flatMap((id) -> id.getTags().stream())
				.map(Tag::getValue)
				.toList();
			assertThat(tagValues).noneMatch((value) -> value.contains("user-4711") || value.contains("203.0.113.9")
					|| value.contains("page-secret") || value.contains(prefix));
			lax.del("page-secret");
		});
		try (RedisAdmin admin = TestRedis.endpoint().admin()) {
			admin.deleteKeysContaining(prefix);
		}
	}

	@Test
	void healthFollowsRedisAndTheFailurePolicy() {
		ApplicationContextRunner own = this.runner.withPropertyValues("spring.data.redis.url=" + redis.endpoint().url(),
				"spring.data.redis.timeout=300ms");
		own.run((context) -> {
			Health health = context.getBean(DistkitHealthIndicator.class).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("redis", "available").containsEntry("failurePolicy", "fail-open");
		});
		redis.stop();
		try {
			own.run((context) -> {
				Health health = context.getBean(DistkitHealthIndicator.class).health(true);
				assertThat(health.getStatus()).as("fail-open keeps the instance in service").isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("redis", "unavailable");
			});
			own.withPropertyValues("distkit.rate-limit.on-backend-failure=fail-closed").run((context) -> {
				Health health = context.getBean(DistkitHealthIndicator.class).health(true);
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).containsEntry("redis", "unavailable");
			});
		}
		finally {
			redis.restart();
		}
		own.withPropertyValues("distkit.rate-limit.on-backend-failure=fail-closed").run((context) -> {
			DistkitHealthIndicator indicator = context.getBean(DistkitHealthIndicator.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> indicator.health(true).getStatus().equals(Status.UP));
		});
	}

	@Test
	void failureAnalysisNamesThePropertyAndTheFix() {
		FailureAnalysis analysis = new DistkitFailureAnalyzer().analyze(new IllegalStateException("wrapper",
				new InvalidDistkitPropertyException("distkit.chunk-size", 0, "must be between 1 and 4096")));
		assertThat(analysis.getDescription()).isEqualTo("Invalid distkit configuration: property 'distkit.chunk-size' "
				+ "has the value '0', but it must be between 1 and 4096.");
		assertThat(analysis.getAction()).startsWith("Update 'distkit.chunk-size' in your application's configuration")
			.contains("so that it must be between 1 and 4096");
	}

	@Test
	void runtimeHintsCoverTheLuaScriptsAnnotationsAndInterceptors() {
		RuntimeHints hints = new RuntimeHints();
		new DistkitRuntimeHints().registerHints(hints, getClass().getClassLoader());
		for (String script : List.of("io/distkit/counter/strict_inc.lua", "io/distkit/counter/lax_flush.lua",
				"io/distkit/counter/counter_prelude.lua", "io/distkit/ratelimit/redis/rl_absolute.lua",
				"io/distkit/ratelimit/redis/window_prelude.lua", "io/distkit/icounter/ia_inc.lua")) {
			assertThat(RuntimeHintsPredicates.resource().forResource(script)).as(script).accepts(hints);
		}
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(io.distkit.spring.boot.annotation.RateLimited.class)
			.withMemberCategory(org.springframework.aot.hint.MemberCategory.INVOKE_DECLARED_METHODS)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(io.distkit.spring.boot.annotation.Counted.class)
			.withMemberCategory(org.springframework.aot.hint.MemberCategory.INVOKE_DECLARED_METHODS)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(io.distkit.spring.boot.aop.RateLimitedInterceptor.class))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(io.distkit.spring.boot.aop.CountedInterceptor.class))
			.accepts(hints);
	}

}
