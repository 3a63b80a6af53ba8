package io.distkit.spring.boot.autoconfigure;

import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.autoproxy.InfrastructureAdvisorAutoProxyCreator;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.annotation.EnableTransactionManagement;

import io.distkit.ratelimit.RateLimitExceededException;
import io.distkit.spring.boot.aop.AnnotationMetrics;
import io.distkit.spring.boot.aop.CallerVariables;
import io.distkit.spring.boot.aop.CountedInterceptor;
import io.distkit.spring.boot.aop.DistkitAnnotationPostProcessor;
import io.distkit.spring.boot.aop.DistkitExchangeContextFilter;
import io.distkit.spring.boot.aop.MicrometerAnnotationMetrics;
import io.distkit.spring.boot.aop.RateLimitedInterceptor;
import io.distkit.spring.boot.aop.ReactiveCallerVariables;
import io.distkit.spring.boot.aop.ReturnTypeAdapters;
import io.distkit.spring.boot.annotation.InvalidAnnotationException;
import io.distkit.spring.boot.annotation.RateLimited;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Wiring of {@code @RateLimited} / {@code @Counted}: which beans each optional library brings, and that the
 * annotations work without Reactor, Spring Security, Spring Web, Micrometer or the AspectJ weaver. Uses the local
 * provider, so no Redis is involved.
 */
class DistkitAnnotationsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DistkitRedisAutoConfiguration.class,
				DistkitRateLimitAutoConfiguration.class, DistkitAnnotationsAutoConfiguration.class))
		.withPropertyValues("distkit.rate-limit.provider=local", "distkit.rate-limit.limits.one.capacity=1")
		.withUserConfiguration(LimitedService.class);

	@Test
	void defaultsShouldRegisterThePostProcessorInterceptorsAndEveryIntegration() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(DistkitAnnotationPostProcessor.class)
				.hasSingleBean(RateLimitedInterceptor.class)
				.hasSingleBean(CountedInterceptor.class)
				.hasSingleBean(MicrometerAnnotationMetrics.class)
				.hasBean("distkitServletRequestVariables")
				.hasBean("distkitPrincipalVariables")
				.hasBean("distkitExchangeVariables")
				.hasBean("distkitReactivePrincipalVariables")
				.doesNotHaveBean(DistkitExchangeContextFilter.class);
			assertThat(context.getBean(ReturnTypeAdapters.class).isReactive()).isTrue();
			assertThat(context.getBean(RateLimitedInterceptor.class).getOrder())
				.isEqualTo(RateLimitedInterceptor.DEFAULT_ORDER);
			assertThat(context.getBean(CountedInterceptor.class).getOrder()).isEqualTo(CountedInterceptor.DEFAULT_ORDER);
			assertLimited(context.getBean(LimitedService.class));
		});
	}

	@Test
	void withoutReactorFuturesShouldBeDecidedOnTheCallingThread() {
		this.runner.withClassLoader(new FilteredClassLoader("reactor.")).run((context) -> {
			assertThat(context).hasSingleBean(ReturnTypeAdapters.class)
				.doesNotHaveBean(ReactiveCallerVariables.class)
				.doesNotHaveBean(DistkitExchangeContextFilter.class);
			assertThat(context.getBean(ReturnTypeAdapters.class).isReactive()).isFalse();
			LimitedService service = context.getBean(LimitedService.class);
			assertThat(service.future().get()).isEqualTo("done");
			assertThat(service.futureThreads()).containsExactly(Thread.currentThread());
			assertLimited(service);
		});
	}

	@Test
	void withoutSpringSecurityThereShouldBeNoPrincipal() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.security")).run((context) -> {
			assertThat(context).doesNotHaveBean("distkitPrincipalVariables")
				.doesNotHaveBean("distkitReactivePrincipalVariables")
				.hasBean("distkitServletRequestVariables");
			assertLimited(context.getBean(LimitedService.class));
		});
	}

	@Test
	void withoutSpringWebThereShouldBeNoRequestVariablesNorFilter() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.web")).run((context) -> {
			assertThat(context).doesNotHaveBean("distkitServletRequestVariables")
				.doesNotHaveBean("distkitExchangeVariables")
				.doesNotHaveBean(DistkitExchangeContextFilter.class)
				.hasBean("distkitPrincipalVariables");
			assertLimited(context.getBean(LimitedService.class));
		});
	}

	@Test
	void withoutMicrometerFailuresShouldNotBeMetered() {
		this.runner.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.run((context) -> assertThat(context).doesNotHaveBean(AnnotationMetrics.class));
	}

	@Test
	void withoutAspectJWeaverAdvisorsShouldStillApply() {
		this.runner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.aspectj"))
			.withUserConfiguration(TransactionalConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(InfrastructureAdvisorAutoProxyCreator.class);
				LimitedService service = context.getBean(LimitedService.class);
				assertThat(AopUtils.isAopProxy(service)).isTrue();
				assertLimited(service);
			});
	}

	@Test
	void reactiveWebApplicationShouldGetTheExchangeFilter() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DistkitAnnotationsAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(DistkitExchangeContextFilter.class));
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DistkitAnnotationsAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(DistkitExchangeContextFilter.class));
	}

	@Test
	void ordersShouldFollowTheProperties() {
		this.runner.withPropertyValues("distkit.rate-limited.order=10", "distkit.counted.order=20").run((context) -> {
			assertThat(context.getBean(RateLimitedInterceptor.class).getOrder()).isEqualTo(10);
			assertThat(context.getBean(CountedInterceptor.class).getOrder()).isEqualTo(20);
		});
	}

	@Test
	void whenDisabledAnnotationsShouldBeIgnored() {
		this.runner.withPropertyValues("distkit.rate-limited.enabled=false", "distkit.counted.enabled=false")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(RateLimitedInterceptor.class)
					.doesNotHaveBean(CountedInterceptor.class);
				LimitedService service = context.getBean(LimitedService.class);
				assertThat(AopUtils.isAopProxy(service)).isFalse();
				service.call();
				service.call();
			});
	}

	@Test
	void userBeansShouldWin() {
		this.runner.withBean("myMetrics", AnnotationMetrics.class, AnnotationMetrics::none)
			.withBean("myReturnTypes", ReturnTypeAdapters.class, ReturnTypeAdapters::blocking)
			.withBean("distkitPrincipalVariables", CallerVariables.class, CallerVariables::securityPrincipal)
			.run((context) -> {
				assertThat(context).getBean(AnnotationMetrics.class).isSameAs(context.getBean("myMetrics"));
				assertThat(context.getBean(ReturnTypeAdapters.class).isReactive()).isFalse();
			});
	}

	@Test
	void newPropertiesShouldBeInTheGeneratedMetadata() throws Exception {
		try (InputStream metadata = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			DocumentContext json = JsonPath.parse(metadata);
			List<String> names = json.read("$.properties[*].name");
			assertThat(names).contains("distkit.rate-limited.enabled", "distkit.rate-limited.order",
					"distkit.counted.enabled", "distkit.counted.order", "distkit.counted.propagate-failures");
			List<Integer> rateLimitedOrder = json
				.read("$.properties[?(@.name == 'distkit.rate-limited.order')].defaultValue");
			List<Integer> countedOrder = json.read("$.properties[?(@.name == 'distkit.counted.order')].defaultValue");
			assertThat(rateLimitedOrder).containsExactly(RateLimitedInterceptor.DEFAULT_ORDER);
			assertThat(countedOrder).containsExactly(CountedInterceptor.DEFAULT_ORDER);
		}
	}

	@Test
	void failureAnalysisNamesTheMethodAndTheRule() {
		FailureAnalysis analysis = new DistkitAnnotationFailureAnalyzer().analyze(new IllegalStateException("wrapper",
				new InvalidAnnotationException("RateLimited", "OrderService.place(String)",
						"limit 'apii' is not configured (configured: api)")));
		assertThat(analysis.getDescription()).isEqualTo("Invalid distkit annotation on OrderService.place(String): "
				+ "limit 'apii' is not configured (configured: api).");
		assertThat(analysis.getAction()).startsWith("Fix the annotation on OrderService.place(String)");
	}

	private static void assertLimited(LimitedService service) {
		service.call();
		assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(service::call);
	}

	@Configuration(proxyBeanMethods = false)
	static class LimitedService {

		private final List<Thread> futureThreads = new CopyOnWriteArrayList<>();

		public List<Thread> futureThreads() {
			return this.futureThreads;
		}

		@RateLimited("one")
		public void call() {
		}

		@RateLimited(limit = "one", key = "'future'")
		public CompletableFuture<String> future() {
			this.futureThreads.add(Thread.currentThread());
			return CompletableFuture.completedFuture("done");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableTransactionManagement
	static class TransactionalConfiguration {

	}

}
