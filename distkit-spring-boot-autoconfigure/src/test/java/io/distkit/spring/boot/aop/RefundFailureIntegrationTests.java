package io.distkit.spring.boot.aop;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.distkit.ratelimit.RateLimitExceededException;
import io.distkit.spring.boot.annotation.RateLimited;
import io.distkit.test.RedisProcess;
import io.distkit.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** A refund that fails (Redis went away between the decisions of one call) is logged and metered, never thrown. */
@ExtendWith(OutputCaptureExtension.class)
class RefundFailureIntegrationTests {

	private static RedisProcess redis;

	@BeforeAll
	static void startRedis() {
		redis = RedisProcess.start();
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@Test
	void failedRefundShouldBeLoggedAndMeteredAndTheRejectionThrown(CapturedOutput output) {
		AnnotationContexts.runner(TestRedis.uniquePrefix("refund"))
			.withPropertyValues("spring.data.redis.url=" + redis.endpoint().url(), "spring.data.redis.timeout=500ms",
					"distkit.rate-limit.window=1m", "distkit.rate-limit.limits.remote.capacity=10",
					"distkit.rate-limit.limits.local.capacity=1", "distkit.rate-limit.limits.local.provider=local")
			.withUserConfiguration(Infrastructure.class, TwoLimits.class)
			.run((context) -> {
				TwoLimits service = context.getBean(TwoLimits.class);
				service.call();
				context.getBean(Outage.class).armed = true;
				try {
					assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(service::call)
						.satisfies((ex) -> assertThat(ex.getLimitName()).isEqualTo("local"));
				}
				finally {
					redis.restart();
				}
				assertThat(context.getBean(SimpleMeterRegistry.class)
					.get("distkit.ratelimit.refund.failures")
					.tag("limit", "remote")
					.counter()
					.count()).isEqualTo(1);
				assertThat(output).contains("Could not refund 1 unit(s) to rate limit 'remote' after a later limit "
						+ "rejected the call");
			});
	}

	/** Stops Redis when armed: between the first and the second decision of a call. */
	public static class Outage {

		volatile boolean armed;

		public String key() {
			if (this.armed) {
				redis.stop();
			}
			return "k";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Infrastructure {

		@Bean
		Outage outage() {
			return new Outage();
		}

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoLimits {

		@RateLimited(limit = "remote", key = "'k'")
		@RateLimited(limit = "local", key = "@outage.key()")
		public void call() {
		}

	}

}
