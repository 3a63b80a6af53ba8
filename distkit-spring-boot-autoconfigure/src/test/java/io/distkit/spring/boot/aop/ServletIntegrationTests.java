package io.distkit.spring.boot.aop;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.filter.ForwardedHeaderFilter;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

import io.distkit.spring.boot.annotation.RateLimited;
import io.distkit.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A servlet application: {@code #request} and {@code #clientIp} from the current request (forwarded headers only
 * through Spring's {@code ForwardedHeaderFilter}), {@code #principal} from Spring Security's context.
 */
class ServletIntegrationTests {

	private final String prefix = TestRedis.uniquePrefix("servlet");

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AnnotationContexts.DISTKIT)
		.withPropertyValues("spring.data.redis.url=" + TestRedis.endpoint().url(), "spring.data.redis.timeout=2s",
				"distkit.prefix=" + this.prefix, "distkit.rate-limit.window=1m",
				"distkit.rate-limit.limits.api.capacity=100")
		.withUserConfiguration(WebConfiguration.class, KeysController.class);

	@AfterEach
	void clean() {
		SecurityContextHolder.clearContext();
		AnnotationContexts.clean(this.prefix);
	}

	@Test
	void clientIpShouldBeTheRemoteAddress() {
		this.runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup((WebApplicationContext) context.getSourceApplicationContext())
				.build();
			mvc.perform(from("10.1.2.3", get("/ip").header("X-Forwarded-For", "203.0.113.9")))
				.andExpect(status().isOk());
			assertThat(context.getBean(Threads.class).values()).containsExactly("10.1.2.3");
		});
	}

	@Test
	void clientIpShouldFollowSpringsForwardedHeaderFilter() {
		this.runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup((WebApplicationContext) context.getSourceApplicationContext())
				.addFilters(new ForwardedHeaderFilter())
				.build();
			mvc.perform(from("10.1.2.3", get("/ip").header("X-Forwarded-For", "203.0.113.9")))
				.andExpect(status().isOk());
			assertThat(context.getBean(Threads.class).values()).containsExactly("203.0.113.9");
		});
	}

	@Test
	void requestShouldBeTheServletRequest() {
		this.runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup((WebApplicationContext) context.getSourceApplicationContext())
				.build();
			mvc.perform(get("/header").header("X-Api-Key", "key-1")).andExpect(status().isOk());
			assertThat(context.getBean(Threads.class).values()).containsExactly("key-1");
		});
	}

	@Test
	void principalShouldBeTheAuthenticatedUserAndNullWhenAnonymous() {
		this.runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup((WebApplicationContext) context.getSourceApplicationContext())
				.build();
			SecurityContextHolder.getContext()
				.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("alice", null, List.of()));
			mvc.perform(get("/user")).andExpect(status().isOk());
			SecurityContextHolder.getContext()
				.setAuthentication(new AnonymousAuthenticationToken("key", "anonymousUser",
						AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")));
			mvc.perform(get("/user")).andExpect(status().isOk());
			SecurityContextHolder.clearContext();
			context.getBean(KeysController.class).user();
			assertThat(context.getBean(Threads.class).values()).containsExactly("alice", "nobody", "nobody");
		});
	}

	private static MockHttpServletRequestBuilder from(String address, MockHttpServletRequestBuilder request) {
		return request.with((servletRequest) -> {
			servletRequest.setRemoteAddr(address);
			return servletRequest;
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebMvc
	static class WebConfiguration {

		@Bean
		Threads threads() {
			return new Threads();
		}

	}

	@RestController
	static class KeysController {

		@GetMapping("/ip")
		@RateLimited(limit = "api", key = "@threads.record(#clientIp)")
		public String ip() {
			return "ok";
		}

		@GetMapping("/header")
		@RateLimited(limit = "api", key = "@threads.record(#request.getHeader('X-Api-Key'))")
		public String header() {
			return "ok";
		}

		@GetMapping("/user")
		@RateLimited(limit = "api", key = "@threads.record(#principal?.name ?: 'nobody')")
		public String user() {
			return "ok";
		}

	}

}
