package io.distkit.spring.boot.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.distkit.ratelimit.BackendFailurePolicy;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.test.RedisAdmin;
import io.distkit.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

class DistkitRateLimitAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, DistkitRedisAutoConfiguration.class,
				DistkitRateLimitAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.url=" + TestRedis.endpoint().url(), "spring.data.redis.timeout=2s");

	@Test
	void withRedisShouldCreateRateLimiterWithEveryProvider() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(RateLimiter.class);
			RateLimiter limiter = context.getBean(RateLimiter.class);
			assertThat(limiter.engine(RateLimit.Provider.REDIS)).isNotNull();
			assertThat(limiter.engine(RateLimit.Provider.HYBRID)).isNotNull();
			assertThat(limiter.backendFailurePolicy()).isEqualTo(BackendFailurePolicy.FAIL_OPEN);
		});
	}

	@Test
	void namedLimitsShouldBeBoundOverTheDefaults() {
		String prefix = TestRedis.uniquePrefix("limits");
		this.runner
			.withPropertyValues("distkit.prefix=" + prefix, "distkit.rate-limit.window=1m",
					"distkit.rate-limit.limits.api.capacity=2", "distkit.rate-limit.limits.search.capacity=100",
					"distkit.rate-limit.limits.search.window=10s", "distkit.rate-limit.limits.search.bucket=1s",
					"distkit.rate-limit.limits.search.provider=hybrid",
					"distkit.rate-limit.limits.search.strategy=suppressed",
					"distkit.rate-limit.limits.search.hard-limit-factor=1.5",
					"distkit.rate-limit.limits.login.capacity=5", "distkit.rate-limit.limits.login.provider=local")
			.run((context) -> {
				RateLimiter limiter = context.getBean(RateLimiter.class);
				RateLimit api = limiter.limit("api").limit();
				assertThat(api.capacity()).isEqualTo(2);
				assertThat(api.window()).isEqualTo(Duration.ofMinutes(1));
				assertThat(api.bucket()).isEqualTo(Duration.ofMillis(100));
				assertThat(api.provider()).isEqualTo(RateLimit.Provider.REDIS);
				RateLimit search = limiter.limit("search").limit();
				assertThat(search.provider()).isEqualTo(RateLimit.Provider.HYBRID);
				assertThat(search.strategy()).isEqualTo(RateLimit.Strategy.SUPPRESSED);
				assertThat(search.hardCapacity()).isEqualTo(150);
				assertThat(search.bucket()).isEqualTo(Duration.ofSeconds(1));
				assertThat(limiter.limit("login").limit().provider()).isEqualTo(RateLimit.Provider.LOCAL);
				try {
					assertThat(limiter.limit("api").inc("user").isAdmitted()).isTrue();
					assertThat(limiter.limit("api").inc("user").isAdmitted()).isTrue();
					assertThat(limiter.limit("api").inc("user")).isInstanceOf(RateLimitDecision.Rejected.class);
				}
				finally {
					try (RedisAdmin admin = TestRedis.endpoint().admin()) {
						admin.deleteKeysContaining(prefix);
					}
				}
			});
	}

	@Test
	void withoutRedisTheLocalProviderShouldWork() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DistkitRedisAutoConfiguration.class, DistkitRateLimitAutoConfiguration.class))
			.withPropertyValues("distkit.rate-limit.provider=local", "distkit.rate-limit.limits.api.capacity=1")
			.run((context) -> {
				RateLimiter limiter = context.getBean(RateLimiter.class);
				assertThat(limiter.engine(RateLimit.Provider.REDIS)).isNull();
				assertThat(limiter.limit("api").inc("k").isAdmitted()).isTrue();
				assertThat(limiter.limit("api").inc("k").isAdmitted()).isFalse();
			});
	}

	@Test
	void withoutRedisARedisLimitShouldFailStartup() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DistkitRedisAutoConfiguration.class, DistkitRateLimitAutoConfiguration.class))
			.withPropertyValues("distkit.rate-limit.limits.api.capacity=1")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageStartingWith("Invalid property 'distkit.rate-limit.limits.api.provider': needs Redis"));
	}

	@Test
	void failurePolicyShouldBeMapped() {
		this.runner.withPropertyValues("distkit.rate-limit.on-backend-failure=fail-closed")
			.run((context) -> assertThat(context.getBean(RateLimiter.class).backendFailurePolicy())
				.isEqualTo(BackendFailurePolicy.FAIL_CLOSED));
	}

	@Test
	void degenerateLimitsShouldFailStartupNamingTheProperty() {
		this.runner.withPropertyValues("distkit.rate-limit.limits.api.capacity=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("Invalid property 'distkit.rate-limit.limits.api.capacity': must be at least 1 (value=0)"));
		this.runner.withPropertyValues("distkit.rate-limit.limits.api.capacity=5",
				"distkit.rate-limit.limits.api.window=50ms")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("Invalid property 'distkit.rate-limit.limits.api.window': must not be shorter than the "
						+ "bucket (PT0.1S) (value=PT0.05S)"));
		this.runner.withPropertyValues("distkit.rate-limit.limits.api.capacity=5",
				"distkit.rate-limit.limits.api.hard-limit-factor=0.5")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("Invalid property 'distkit.rate-limit.limits.api.hard-limit-factor': must be finite and at "
						+ "least 1 (value=0.5)"));
		this.runner.withPropertyValues("distkit.rate-limit.limits.api.window=1s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("Invalid property 'distkit.rate-limit.limits.api.capacity': is required (value=null)"));
		this.runner.withPropertyValues("distkit.rate-limit.bucket=0ms")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageStartingWith("Invalid property 'distkit.rate-limit.bucket': must be a whole number of"));
	}

	@Test
	void whenDisabledShouldNotCreateRateLimiter() {
		this.runner.withPropertyValues("distkit.rate-limit.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RateLimiter.class));
	}

	@Test
	void userRateLimiterShouldWin() {
		this.runner.withUserConfiguration(UserRateLimiter.class)
			.run((context) -> assertThat(context.getBean(RateLimiter.class).limits()).containsOnlyKeys("mine"));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserRateLimiter {

		@Bean
		RateLimiter myRateLimiter() {
			return RateLimiter.builder()
				.limit(RateLimit.builder("mine").capacity(1).provider(RateLimit.Provider.LOCAL).build())
				.build();
		}

	}

}
