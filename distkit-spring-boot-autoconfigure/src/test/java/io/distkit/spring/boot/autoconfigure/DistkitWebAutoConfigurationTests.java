package io.distkit.spring.boot.autoconfigure;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import io.distkit.spring.boot.web.DefaultRateLimitProblemFactory;
import io.distkit.spring.boot.web.RateLimitExceptionHandler;
import io.distkit.spring.boot.web.RateLimitFilter;
import io.distkit.spring.boot.web.RateLimitProblemFactory;
import io.distkit.spring.boot.web.RateLimitWebExceptionHandler;
import io.distkit.spring.boot.web.RateLimitWebFilter;
import io.distkit.spring.boot.web.UrlLimit;
import io.distkit.spring.boot.web.UrlLimits;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wiring of distkit's HTTP support: which beans each web stack gets, that Spring MVC, WebFlux, Spring Security and
 * Micrometer stay optional, and that every {@code distkit.web.*} mistake stops start-up naming the property. Uses the
 * local provider, so no Redis is involved.
 */
class DistkitWebAutoConfigurationTests {

	private static final AutoConfigurations DISTKIT = AutoConfigurations.of(DistkitRedisAutoConfiguration.class,
			DistkitRateLimitAutoConfiguration.class, DistkitAnnotationsAutoConfiguration.class,
			DistkitWebAutoConfiguration.class);

	private static final String[] LIMITS = { "distkit.rate-limit.provider=local",
			"distkit.rate-limit.limits.login.capacity=5", "distkit.rate-limit.limits.api.capacity=100" };

	private final WebApplicationContextRunner servlet = new WebApplicationContextRunner().withConfiguration(DISTKIT)
		.withPropertyValues(LIMITS);

	private final ReactiveWebApplicationContextRunner reactive = new ReactiveWebApplicationContextRunner()
		.withConfiguration(DISTKIT)
		.withPropertyValues(LIMITS);

	@Test
	void servletApplicationShouldGetTheFilterAndTheControllerAdvice() {
		this.servlet.run((context) -> {
			assertThat(context).hasSingleBean(RateLimitFilter.class)
				.hasSingleBean(RateLimitExceptionHandler.class)
				.hasSingleBean(UrlLimits.class)
				.hasSingleBean(DefaultRateLimitProblemFactory.class)
				.doesNotHaveBean(RateLimitWebFilter.class)
				.doesNotHaveBean(RateLimitWebExceptionHandler.class);
			assertThat(context.getBean(RateLimitFilter.class).getOrder()).isEqualTo(UrlLimits.DEFAULT_FILTER_ORDER)
				.isLessThan(UrlLimits.SECURITY_FILTER_ORDER);
			assertThat(context.getBean(UrlLimits.class).limits()).isEmpty();
		});
	}

	@Test
	void reactiveApplicationShouldGetTheWebFilterAndTheExceptionHandler() {
		this.reactive.run((context) -> {
			assertThat(context).hasSingleBean(RateLimitWebFilter.class)
				.hasSingleBean(RateLimitWebExceptionHandler.class)
				.hasSingleBean(UrlLimits.class)
				.hasSingleBean(RateLimitProblemFactory.class)
				.doesNotHaveBean(RateLimitFilter.class)
				.doesNotHaveBean(RateLimitExceptionHandler.class);
			assertThat(context.getBean(RateLimitWebFilter.class).getOrder()).isEqualTo(UrlLimits.DEFAULT_FILTER_ORDER);
			assertThat(context.getBean(RateLimitWebExceptionHandler.class).getOrder()).isEqualTo(-2);
		});
	}

	@Test
	void nonWebApplicationShouldGetNothing() {
		new ApplicationContextRunner().withConfiguration(DISTKIT)
			.withPropertyValues(LIMITS)
			.run((context) -> assertThat(context).doesNotHaveBean(RateLimitProblemFactory.class)
				.doesNotHaveBean(UrlLimits.class)
				.doesNotHaveBean(RateLimitFilter.class)
				.doesNotHaveBean(RateLimitWebFilter.class));
	}

	@Test
	void withoutSpringMvcTheServletPartShouldBackOff() {
		this.servlet.withClassLoader(new FilteredClassLoader("org.springframework.web.servlet"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(RateLimitFilter.class)
				.doesNotHaveBean(RateLimitExceptionHandler.class));
	}

	@Test
	void withoutWebFluxServletApplicationsShouldKeepTheirPart() {
		this.servlet.withClassLoader(new FilteredClassLoader("org.springframework.web.reactive"))
			.run((context) -> assertThat(context).hasSingleBean(RateLimitFilter.class)
				.hasSingleBean(RateLimitExceptionHandler.class)
				.doesNotHaveBean(RateLimitWebFilter.class));
	}

	@Test
	void withoutTheServletApiReactiveApplicationsShouldKeepTheirPart() {
		this.reactive.withClassLoader(new FilteredClassLoader("jakarta.servlet", "org.springframework.web.servlet"))
			.withPropertyValues("distkit.web.limits[0].paths=/login", "distkit.web.limits[0].limit=login")
			.run((context) -> {
				assertThat(context).hasSingleBean(RateLimitWebFilter.class)
					.hasSingleBean(RateLimitWebExceptionHandler.class)
					.doesNotHaveBean(RateLimitFilter.class);
				assertThat(context.getBean(UrlLimits.class).limits()).hasSize(1);
			});
	}

	@Test
	void withoutReactorTheReactivePartShouldBackOff() {
		this.reactive.withClassLoader(new FilteredClassLoader("reactor.core"))
			.run((context) -> assertThat(context).doesNotHaveBean(RateLimitWebFilter.class)
				.doesNotHaveBean(RateLimitWebExceptionHandler.class));
	}

	@Test
	void withoutProblemDetailNothingShouldBeConfigured() {
		this.servlet.withClassLoader(new FilteredClassLoader("org.springframework.http.ProblemDetail"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(RateLimitProblemFactory.class)
				.doesNotHaveBean(RateLimitFilter.class));
	}

	@Test
	void whenDisabledNothingShouldBeConfigured() {
		this.servlet.withPropertyValues("distkit.web.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RateLimitFilter.class)
				.doesNotHaveBean(RateLimitExceptionHandler.class)
				.doesNotHaveBean(RateLimitProblemFactory.class));
	}

	@Test
	void withoutARateLimiterNothingShouldBeConfigured() {
		this.servlet.withPropertyValues("distkit.rate-limit.enabled=false", "distkit.rate-limited.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(RateLimitFilter.class)
				.doesNotHaveBean(RateLimitProblemFactory.class));
	}

	@Test
	void withoutMicrometerUrlLimitsShouldStillWork() {
		this.servlet.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.withPropertyValues("distkit.web.limits[0].paths=/login", "distkit.web.limits[0].limit=login")
			.run((context) -> assertThat(context.getBean(UrlLimits.class).limits()).hasSize(1));
	}

	@Test
	void withoutSpringSecurityPrincipalShouldBeAnUnknownVariable() {
		this.servlet.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.withPropertyValues("distkit.web.limits[0].paths=/login", "distkit.web.limits[0].limit=login",
					"distkit.web.filter-order=0", "distkit.web.limits[0].key=#principal.name")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidDistkitPropertyException.class)
				.hasMessage("Invalid property 'distkit.web.limits[0].key': key '#principal.name' uses #principal, "
						+ "which needs Spring Security on the class path (value=#principal.name)"));
		this.servlet.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.withPropertyValues("distkit.web.limits[0].paths=/login", "distkit.web.limits[0].limit=login")
			.run((context) -> assertThat(context.getBean(UrlLimits.class).limits()).hasSize(1));
	}

	@Test
	void userBeansShouldReplaceDistkits() {
		RateLimitProblemFactory own = new DefaultRateLimitProblemFactory();
		this.servlet.withBean("ownProblems", RateLimitProblemFactory.class, () -> own)
			.run((context) -> assertThat(context).getBean(RateLimitProblemFactory.class).isSameAs(own));
	}

	@Test
	void filterOrderShouldFollowTheProperty() {
		this.servlet.withPropertyValues("distkit.web.filter-order=7")
			.run((context) -> assertThat(context.getBean(RateLimitFilter.class).getOrder()).isEqualTo(7));
		this.reactive.withPropertyValues("distkit.web.filter-order=-300")
			.run((context) -> assertThat(context.getBean(RateLimitWebFilter.class).getOrder()).isEqualTo(-300));
	}

	@Test
	void urlLimitsShouldBeMappedInOrder() {
		this.servlet
			.withPropertyValues("distkit.web.limits[0].paths=/login,/signin/**", "distkit.web.limits[0].methods=post",
					"distkit.web.limits[0].limit=login", "distkit.web.limits[1].paths=/api/**",
					"distkit.web.limits[1].limit=api", "distkit.web.limits[1].key=#request.getHeader('X-Api-Key')")
			.run((context) -> {
				List<UrlLimit> limits = context.getBean(UrlLimits.class).limits();
				assertThat(limits).extracting(UrlLimit::source)
					.containsExactly("distkit.web.limits[0]", "distkit.web.limits[1]");
				assertThat(limits.get(0).limit().limit().name()).isEqualTo("login");
				assertThat(limits.get(0).methods()).containsExactly("POST");
				assertThat(limits.get(0).paths()).extracting(Object::toString).containsExactly("/login", "/signin/**");
				assertThat(limits.get(0).key().callerVariables()).containsExactly("clientIp");
				assertThat(limits.get(1).methods()).isEmpty();
				assertThat(limits.get(1).key().callerVariables()).containsExactly("request");
			});
	}

	@Test
	void missingOrUnknownLimitShouldFailStartup() {
		assertFailure(this.servlet.withPropertyValues("distkit.web.limits[0].paths=/login"),
				"Invalid property 'distkit.web.limits[0].limit': is required: the name of a limit under "
						+ "distkit.rate-limit.limits (value=null)");
		assertFailure(
				this.servlet.withPropertyValues("distkit.web.limits[0].paths=/login",
						"distkit.web.limits[0].limit=logni"),
				"Invalid property 'distkit.web.limits[0].limit': is not a configured rate limit (configured: login, "
						+ "api); define distkit.rate-limit.limits.logni.capacity or fix the name (value=logni)");
	}

	@Test
	void missingOrMalformedPathShouldFailStartup() {
		assertFailure(this.servlet.withPropertyValues("distkit.web.limits[0].limit=login"),
				"Invalid property 'distkit.web.limits[0].paths': must name at least one path pattern, such as /login or "
						+ "/api/** (value=[])");
		assertFailure(
				this.servlet.withPropertyValues("distkit.web.limits[0].limit=login",
						"distkit.web.limits[0].paths=/login,login"),
				"Invalid property 'distkit.web.limits[0].paths[1]': must be a path pattern starting with '/' "
						+ "(value=login)");
		this.servlet.withPropertyValues("distkit.web.limits[0].limit=login", "distkit.web.limits[0].paths=/a/**/b")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidDistkitPropertyException.class)
				.hasMessageStartingWith("Invalid property 'distkit.web.limits[0].paths[0]': is not a valid path "
						+ "pattern: ")
				.hasMessageEndingWith("(value=/a/**/b)"));
	}

	@Test
	void unknownMethodShouldFailStartup() {
		assertFailure(
				this.servlet.withPropertyValues("distkit.web.limits[0].limit=login",
						"distkit.web.limits[0].paths=/login", "distkit.web.limits[0].methods=POST,FETCH"),
				"Invalid property 'distkit.web.limits[0].methods[1]': must be an HTTP method: GET, HEAD, POST, PUT, "
						+ "PATCH, DELETE, OPTIONS or TRACE (value=FETCH)");
	}

	@Test
	void invalidKeyShouldFailStartup() {
		WebApplicationContextRunner limited = this.servlet.withPropertyValues("distkit.web.limits[0].limit=login",
				"distkit.web.limits[0].paths=/login");
		assertFailure(limited.withPropertyValues("distkit.web.limits[0].key=#user"),
				"Invalid property 'distkit.web.limits[0].key': key '#user' uses the unknown variable #user (known: "
						+ "#clientIp, #principal, #request) (value=#user)");
		assertFailure(limited.withPropertyValues("distkit.web.limits[0].key=@tenants.of(#request)"),
				"Invalid property 'distkit.web.limits[0].key': key '@tenants.of(#request)' refers to the bean "
						+ "'tenants', which does not exist (value=@tenants.of(#request))");
		assertFailure(limited.withPropertyValues("distkit.web.limits[0].key= "),
				"Invalid property 'distkit.web.limits[0].key': must not be empty; the default, #clientIp, counts per "
						+ "client address (value=)");
		limited.withPropertyValues("distkit.web.limits[0].key=#clientIp +")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidDistkitPropertyException.class)
				.hasMessageStartingWith("Invalid property 'distkit.web.limits[0].key': key '#clientIp +' is not a valid "
						+ "SpEL expression"));
	}

	@Test
	void principalShouldNeedTheFilterAfterSpringSecurity() {
		WebApplicationContextRunner limited = this.servlet.withPropertyValues("distkit.web.limits[0].limit=api",
				"distkit.web.limits[0].paths=/api/**", "distkit.web.limits[0].key=#principal?.name ?: #clientIp");
		assertFailure(limited,
				"Invalid property 'distkit.web.limits[0].key': uses #principal, which Spring Security sets only in its "
						+ "filter (order -100), but distkit's filter runs before it (distkit.web.filter-order=-110); set "
						+ "distkit.web.filter-order above -100, or key the limit on #clientIp or #request "
						+ "(value=#principal?.name ?: #clientIp)");
		limited.withPropertyValues("distkit.web.filter-order=-99")
			.run((context) -> assertThat(context.getBean(UrlLimits.class).limits()).hasSize(1));
		limited.withPropertyValues("spring.security.filter.order=-200")
			.run((context) -> assertThat(context.getBean(UrlLimits.class).limits()).hasSize(1));
		assertFailure(
				this.reactive.withPropertyValues("distkit.web.limits[0].limit=api",
						"distkit.web.limits[0].paths=/api/**", "distkit.web.limits[0].key=#principal.name"),
				"Invalid property 'distkit.web.limits[0].key': uses #principal, which Spring Security sets only in its "
						+ "filter (order -100), but distkit's filter runs before it (distkit.web.filter-order=-110); set "
						+ "distkit.web.filter-order above -100, or key the limit on #clientIp or #request "
						+ "(value=#principal.name)");
	}

	@Test
	void unknownHeaderStyleShouldFailStartup() {
		this.servlet.withPropertyValues("distkit.web.headers=rfc")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasRootCauseInstanceOf(IllegalArgumentException.class)
				.isInstanceOfSatisfying(Exception.class,
						(ex) -> assertThat(ex).hasStackTraceContaining(BindException.class.getSimpleName())
							.hasStackTraceContaining("distkit.web.headers")));
	}

	private static void assertFailure(WebApplicationContextRunner runner, String message) {
		runner.run((context) -> assertThat(context).hasFailed()
			.getFailure()
			.rootCause()
			.isInstanceOf(InvalidDistkitPropertyException.class)
			.hasMessage(message));
	}

	private static void assertFailure(ReactiveWebApplicationContextRunner runner, String message) {
		runner.run((context) -> assertThat(context).hasFailed()
			.getFailure()
			.rootCause()
			.isInstanceOf(InvalidDistkitPropertyException.class)
			.hasMessage(message));
	}

}
