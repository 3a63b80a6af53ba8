package io.distkit.spring.boot.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.servlet.Filter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.reactive.config.EnableWebFlux;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;
import reactor.core.publisher.Mono;

import io.distkit.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * A URL limit keyed on {@code #principal}, with distkit's filter moved after Spring Security's
 * ({@code distkit.web.filter-order=-99}): each authenticated user has a quota of their own, in Spring MVC and WebFlux.
 */
class PrincipalUrlLimitIntegrationTests {

	private final String prefix = TestRedis.uniquePrefix("principal");

	private final String[] properties = { "distkit.rate-limit.window=1m", "distkit.rate-limit.limits.me.capacity=1",
			"distkit.web.filter-order=-99", "distkit.web.limits[0].paths=/me", "distkit.web.limits[0].limit=me",
			"distkit.web.limits[0].key=#principal?.name ?: 'anonymous'" };

	@AfterEach
	void clean() {
		WebContexts.clean(this.prefix);
	}

	@Test
	void eachUserShouldHaveAQuotaInSpringMvc() {
		WebContexts.servlet(this.prefix)
			.withPropertyValues(this.properties)
			.withUserConfiguration(MvcSecurity.class, Me.class)
			.run((context) -> {
				MockMvc mvc = MockMvcBuilders
					.webAppContextSetup((WebApplicationContext) context.getSourceApplicationContext())
					.addFilters(context.getBean("springSecurityFilterChain", Filter.class),
							context.getBean(RateLimitFilter.class))
					.build();
				assertThat(status(mvc, "alice")).isEqualTo(200);
				assertThat(status(mvc, "alice")).isEqualTo(429);
				assertThat(status(mvc, "bob")).isEqualTo(200);
			});
	}

	@Test
	void eachUserShouldHaveAQuotaInWebFlux() {
		WebContexts.reactive(this.prefix)
			.withPropertyValues(this.properties)
			.withUserConfiguration(FluxSecurity.class, FluxMe.class)
			.run((context) -> {
				WebTestClient client = WebContexts.webTestClient(context);
				assertThat(status(client, "alice")).isEqualTo(200);
				assertThat(status(client, "alice")).isEqualTo(429);
				assertThat(status(client, "bob")).isEqualTo(200);
			});
	}

	private static int status(MockMvc mvc, String user) throws Exception {
		return mvc.perform(get("/me").with((request) -> {
			request.addHeader("Authorization", basic(user));
			return request;
		})).andReturn().getResponse().getStatus();
	}

	private static int status(WebTestClient client, String user) {
		return client.get()
			.uri("/me")
			.header("Authorization", basic(user))
			.exchange()
			.expectBody(String.class)
			.returnResult()
			.getStatus()
			.value();
	}

	private static String basic(String user) {
		return "Basic " + Base64.getEncoder()
			.encodeToString((user + ":secret").getBytes(StandardCharsets.UTF_8));
	}

	private static UserDetails[] users() {
		return new UserDetails[] { User.withUsername("alice").password("{noop}secret").roles("USER").build(),
				User.withUsername("bob").password("{noop}secret").roles("USER").build() };
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebMvc
	@EnableWebSecurity
	static class MvcSecurity {

		@Bean
		SecurityFilterChain security(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.httpBasic(Customizer.withDefaults())
				.build();
		}

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(PrincipalUrlLimitIntegrationTests.users());
		}

	}

	@RestController
	static class Me {

		@GetMapping("/me")
		String me() {
			return "me";
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebFlux
	@EnableWebFluxSecurity
	static class FluxSecurity {

		@Bean
		SecurityWebFilterChain security(ServerHttpSecurity http) {
			return http.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated())
				.httpBasic(Customizer.withDefaults())
				.build();
		}

		@Bean
		MapReactiveUserDetailsService users() {
			return new MapReactiveUserDetailsService(PrincipalUrlLimitIntegrationTests.users());
		}

	}

	@RestController
	static class FluxMe {

		@GetMapping("/me")
		Mono<String> me() {
			return Mono.just("me");
		}

	}

}
