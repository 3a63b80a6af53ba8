package io.distkit.spring.boot.web;

import java.util.List;
import java.util.Map;

import jakarta.servlet.Filter;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import io.distkit.spring.boot.autoconfigure.DistkitAnnotationsAutoConfiguration;
import io.distkit.spring.boot.autoconfigure.DistkitRateLimitAutoConfiguration;
import io.distkit.spring.boot.autoconfigure.DistkitRedisAutoConfiguration;
import io.distkit.spring.boot.autoconfigure.DistkitWebAutoConfiguration;
import io.distkit.test.RedisAdmin;
import io.distkit.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/** Web application contexts with distkit's HTTP support on the shared test Redis, and clients for them. */
final class WebContexts {

	static final AutoConfigurations DISTKIT = AutoConfigurations.of(DataRedisAutoConfiguration.class,
			DistkitRedisAutoConfiguration.class, DistkitRateLimitAutoConfiguration.class,
			DistkitAnnotationsAutoConfiguration.class, DistkitWebAutoConfiguration.class);

	private WebContexts() {
	}

	/** A servlet runner on the test Redis with the prefix {@code prefix}. */
	static WebApplicationContextRunner servlet(String prefix) {
		return new WebApplicationContextRunner().withConfiguration(DISTKIT)
			.withPropertyValues("spring.data.redis.url=" + TestRedis.endpoint().url(), "spring.data.redis.timeout=2s",
					"distkit.prefix=" + prefix);
	}

	/** A reactive runner on the test Redis with the prefix {@code prefix}. */
	static ReactiveWebApplicationContextRunner reactive(String prefix) {
		return new ReactiveWebApplicationContextRunner().withConfiguration(DISTKIT)
			.withPropertyValues("spring.data.redis.url=" + TestRedis.endpoint().url(), "spring.data.redis.timeout=2s",
					"distkit.prefix=" + prefix);
	}

	/** MockMvc over a servlet context, with its {@code Filter} beans in their order, as a server would run them. */
	static MockMvc mockMvc(AssertableWebApplicationContext context) {
		List<Filter> filters = context.getBeanProvider(Filter.class).orderedStream().toList();
		return MockMvcBuilders.webAppContextSetup((WebApplicationContext) context.getSourceApplicationContext())
			.addFilters(filters.toArray(Filter[]::new))
			.build();
	}

	/** A client bound to a WebFlux context: its {@code WebFilter}s and {@code WebExceptionHandler}s included. */
	static WebTestClient webTestClient(ApplicationContext context) {
		return WebTestClient.bindToApplicationContext(context).build();
	}

	/** Deletes what a test wrote under {@code prefix}. */
	static void clean(String prefix) {
		try (RedisAdmin admin = TestRedis.endpoint().admin()) {
			admin.deleteKeysContaining(prefix);
		}
	}

	/** The members of a {@code RateLimit-Policy} or {@code RateLimit} field, parsed as a structured-field list. */
	static Map<String, Map<String, Object>> members(String field) {
		assertThat(field).as("header field").isNotNull();
		return StructuredFields.byName(field);
	}

}
