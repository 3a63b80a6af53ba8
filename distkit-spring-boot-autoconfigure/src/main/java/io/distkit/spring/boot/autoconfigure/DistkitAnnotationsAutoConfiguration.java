package io.distkit.spring.boot.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.distkit.counter.LaxCounter;
import io.distkit.counter.StrictCounter;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.spring.boot.aop.AnnotationMetrics;
import io.distkit.spring.boot.aop.CallerVariables;
import io.distkit.spring.boot.aop.CountedInterceptor;
import io.distkit.spring.boot.aop.DistkitAnnotationPostProcessor;
import io.distkit.spring.boot.aop.DistkitExchangeContextFilter;
import io.distkit.spring.boot.aop.ExpressionSupport;
import io.distkit.spring.boot.aop.MicrometerAnnotationMetrics;
import io.distkit.spring.boot.aop.RateLimitedInterceptor;
import io.distkit.spring.boot.aop.ReactiveCallerVariables;
import io.distkit.spring.boot.aop.ReturnTypeAdapters;
import io.distkit.spring.boot.annotation.Counted;
import io.distkit.spring.boot.annotation.LimitResolver;
import io.distkit.spring.boot.annotation.RateLimited;

/**
 * Auto-configuration of {@link RateLimited @RateLimited} and {@link Counted @Counted}: a post-processor that adds
 * Spring AOP advisors (no AspectJ weaver) to beans with annotated methods, the two interceptors
 * ({@code distkit.rate-limited.*}, {@code distkit.counted.*}), and the optional integrations, each present only with
 * its library: {@code Mono}/{@code Flux} strategies (Reactor), {@code #request}/{@code #clientIp} (Spring Web, and a
 * {@code WebFilter} in WebFlux applications), {@code #principal} (Spring Security), failure meters (Micrometer).
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { DistkitRateLimitAutoConfiguration.class, DistkitCounterAutoConfiguration.class })
@ConditionalOnClass(ProxyFactory.class)
@EnableConfigurationProperties(DistkitProperties.class)
public final class DistkitAnnotationsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	static DistkitAnnotationPostProcessor distkitAnnotationPostProcessor(
			ObjectProvider<RateLimitedInterceptor> rateLimited, ObjectProvider<CountedInterceptor> counted,
			Environment environment) {
		return new DistkitAnnotationPostProcessor(rateLimited, counted,
				environment.getProperty("spring.aop.proxy-target-class", Boolean.class, true));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "distkit.rate-limited.enabled", matchIfMissing = true)
	RateLimitedInterceptor distkitRateLimitedInterceptor(ObjectProvider<RateLimiter> rateLimiter,
			ObjectProvider<LimitResolver> limitResolver, ListableBeanFactory beanFactory, DistkitProperties properties,
			ObjectProvider<CallerVariables> callerVariables, ReturnTypeAdapters returnTypes,
			ObjectProvider<AnnotationMetrics> metrics) {
		RateLimitPropertiesMapper limits = new RateLimitPropertiesMapper(properties.getRateLimit());
		return new RateLimitedInterceptor(rateLimiter, limitResolver, beanFactory, limits::inlineLimit,
				expressions(beanFactory, callerVariables, returnTypes), returnTypes,
				metrics.getIfAvailable(AnnotationMetrics::none), properties.getRateLimited().getOrder());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "distkit.counted.enabled", matchIfMissing = true)
	CountedInterceptor distkitCountedInterceptor(ObjectProvider<StrictCounter> strictCounter,
			ObjectProvider<LaxCounter> laxCounter, ListableBeanFactory beanFactory, DistkitProperties properties,
			ObjectProvider<CallerVariables> callerVariables, ReturnTypeAdapters returnTypes,
			ObjectProvider<AnnotationMetrics> metrics) {
		DistkitProperties.Counted counted = properties.getCounted();
		return new CountedInterceptor(strictCounter, laxCounter, expressions(beanFactory, callerVariables, returnTypes),
				returnTypes, metrics.getIfAvailable(AnnotationMetrics::none), counted.isPropagateFailures(),
				counted.getOrder());
	}

	@Bean
	@ConditionalOnMissingBean
	ReturnTypeAdapters distkitReturnTypeAdapters() {
		return ReturnTypeAdapters.blocking();
	}

	private static ExpressionSupport expressions(ListableBeanFactory beanFactory,
			ObjectProvider<CallerVariables> callerVariables, ReturnTypeAdapters returnTypes) {
		return new ExpressionSupport(beanFactory, callerVariables.orderedStream().toList(), returnTypes);
	}

	/** {@code Mono} and {@code Flux} methods, and futures decided on Reactor's {@code boundedElastic}. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "reactor.core.publisher.Mono")
	static class ReactorConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ReturnTypeAdapters distkitReactorReturnTypeAdapters(ObjectProvider<ReactiveCallerVariables> variables) {
			return ReturnTypeAdapters.reactor(variables.orderedStream().toList());
		}

	}

	/** {@code #request} and {@code #clientIp} in servlet applications. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "jakarta.servlet.http.HttpServletRequest",
			"org.springframework.web.context.request.RequestContextHolder" })
	static class ServletRequestConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "distkitServletRequestVariables")
		CallerVariables distkitServletRequestVariables() {
			return CallerVariables.servletRequest();
		}

	}

	/** {@code #request} and {@code #clientIp} in WebFlux applications. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.web.server.ServerWebExchange", "reactor.core.publisher.Mono" })
	static class ReactiveWebConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "distkitExchangeVariables")
		ReactiveCallerVariables distkitExchangeVariables() {
			return ReactiveCallerVariables.serverWebExchange();
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
		DistkitExchangeContextFilter distkitExchangeContextFilter() {
			return new DistkitExchangeContextFilter();
		}

	}

	/** {@code #principal} with Spring Security. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.security.core.context.SecurityContextHolder")
	static class SecurityConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "distkitPrincipalVariables")
		CallerVariables distkitPrincipalVariables() {
			return CallerVariables.securityPrincipal();
		}

		/** {@code #principal} of reactive calls. */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(name = { "reactor.core.publisher.Mono",
				"org.springframework.security.core.context.ReactiveSecurityContextHolder" })
		static class ReactiveSecurityConfiguration {

			@Bean
			@ConditionalOnMissingBean(name = "distkitReactivePrincipalVariables")
			ReactiveCallerVariables distkitReactivePrincipalVariables() {
				return ReactiveCallerVariables.reactiveSecurityPrincipal();
			}

		}

	}

	/** Meters of absorbed failures, when the application has a {@code MeterRegistry}. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
	static class MicrometerConfiguration {

		@Bean
		@ConditionalOnMissingBean
		AnnotationMetrics distkitAnnotationMetrics(ObjectProvider<MeterRegistry> registry) {
			return new MicrometerAnnotationMetrics(registry);
		}

	}

}
