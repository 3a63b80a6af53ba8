package io.distkit.spring.boot.aop;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;

import io.distkit.spring.boot.autoconfigure.DistkitAnnotationsAutoConfiguration;
import io.distkit.spring.boot.autoconfigure.DistkitCounterAutoConfiguration;
import io.distkit.spring.boot.autoconfigure.DistkitRateLimitAutoConfiguration;
import io.distkit.spring.boot.autoconfigure.DistkitRedisAutoConfiguration;
import io.distkit.test.RedisAdmin;
import io.distkit.test.TestRedis;

/** Application contexts with distkit's auto-configurations on the shared test Redis, each under its own prefix. */
final class AnnotationContexts {

	static final AutoConfigurations DISTKIT = AutoConfigurations.of(DataRedisAutoConfiguration.class,
			DistkitRedisAutoConfiguration.class, DistkitRateLimitAutoConfiguration.class,
			DistkitCounterAutoConfiguration.class, DistkitAnnotationsAutoConfiguration.class);

	private AnnotationContexts() {
	}

	/** A runner on the test Redis with the prefix {@code prefix}. */
	static ApplicationContextRunner runner(String prefix) {
		return new ApplicationContextRunner().withConfiguration(DISTKIT)
			.withPropertyValues("spring.data.redis.url=" + TestRedis.endpoint().url(), "spring.data.redis.timeout=2s",
					"distkit.prefix=" + prefix);
	}

	/** A reactive web runner on the test Redis with the prefix {@code prefix}. */
	static ReactiveWebApplicationContextRunner reactiveRunner(String prefix) {
		return new ReactiveWebApplicationContextRunner().withConfiguration(DISTKIT)
			.withPropertyValues("spring.data.redis.url=" + TestRedis.endpoint().url(), "spring.data.redis.timeout=2s",
					"distkit.prefix=" + prefix);
	}

	/** Deletes what a test wrote under {@code prefix}. */
	static void clean(String prefix) {
		try (RedisAdmin admin = TestRedis.endpoint().admin()) {
			admin.deleteKeysContaining(prefix);
		}
	}

}
