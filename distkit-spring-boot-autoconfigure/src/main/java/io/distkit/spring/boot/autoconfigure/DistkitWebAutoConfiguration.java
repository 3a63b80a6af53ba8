package io.distkit.spring.boot.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.servlet.HandlerExceptionResolver;

import io.distkit.ratelimit.RateLimiter;
import io.distkit.spring.boot.aop.AnnotationMetrics;
import io.distkit.spring.boot.aop.CallerVariables;
import io.distkit.spring.boot.aop.ExpressionSupport;
import io.distkit.spring.boot.aop.ReactiveCallerVariables;
import io.distkit.spring.boot.aop.ReturnTypeAdapters;
import io.distkit.spring.boot.web.DefaultRateLimitProblemFactory;
import io.distkit.spring.boot.web.RateLimitExceptionHandler;
import io.distkit.spring.boot.web.RateLimitFilter;
import io.distkit.spring.boot.web.RateLimitProblemFactory;
import io.distkit.spring.boot.web.RateLimitWebExceptionHandler;
import io.distkit.spring.boot.web.RateLimitWebFilter;
import io.distkit.spring.boot.web.UrlLimits;

/**
 * Auto-configuration of distkit's HTTP support ({@code distkit.web.*}) in servlet (Spring MVC) and WebFlux
 * applications: rate-limit failures answered with {@code 429} or {@code 503} and an RFC 9457 problem body, the
 * {@code RateLimit-Policy} and {@code RateLimit} header fields, and URL limits applied by a filter that runs before
 * Spring Security by default. Each web stack's part is present only with that stack; Spring Security and Micrometer are
 * optional.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { DistkitRateLimitAutoConfiguration.class, DistkitAnnotationsAutoConfiguration.class })
@ConditionalOnClass({ RateLimiter.class, ProblemDetail.class })
@ConditionalOnWebApplication
@ConditionalOnBooleanProperty(name = "distkit.web.enabled", matchIfMissing = true)
@ConditionalOnBean(RateLimiter.class)
@EnableConfigurationProperties(DistkitProperties.class)
public final class DistkitWebAutoConfiguration {

	/** The property that moves Spring Security's servlet filter (Spring Boot's default: -100). */
	static final String SECURITY_FILTER_ORDER = "spring.security.filter.order";

	@Bean
	@ConditionalOnMissingBean
	RateLimitProblemFactory distkitRateLimitProblemFactory() {
		return new DefaultRateLimitProblemFactory();
	}

	private static UrlLimits urlLimits(DistkitProperties properties, RateLimiter rateLimiter,
			ListableBeanFactory beanFactory, ObjectProvider<CallerVariables> callerVariables,
			ReturnTypeAdapters returnTypes, ObjectProvider<AnnotationMetrics> metrics, int securityFilterOrder) {
		ExpressionSupport expressions = new ExpressionSupport(beanFactory, callerVariables.orderedStream().toList(),
				returnTypes);
		return new WebPropertiesMapper(properties.getWeb()).urlLimits(rateLimiter, expressions,
				metrics.getIfAvailable(AnnotationMetrics::none), securityFilterOrder);
	}

	/** The servlet filter and the {@code @ControllerAdvice} of Spring MVC applications. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass(name = { "jakarta.servlet.Filter", "org.springframework.web.servlet.DispatcherServlet" })
	static class ServletConfiguration {

		@Bean
		@ConditionalOnMissingBean
		UrlLimits distkitUrlLimits(DistkitProperties properties, RateLimiter rateLimiter,
				ListableBeanFactory beanFactory, ObjectProvider<CallerVariables> callerVariables,
				ObjectProvider<ReturnTypeAdapters> returnTypes, ObjectProvider<AnnotationMetrics> metrics,
				Environment environment) {
			return urlLimits(properties, rateLimiter, beanFactory, callerVariables,
					returnTypes.getIfAvailable(ReturnTypeAdapters::blocking), metrics,
					environment.getProperty(SECURITY_FILTER_ORDER, Integer.class, UrlLimits.SECURITY_FILTER_ORDER));
		}

		@Bean
		@ConditionalOnMissingBean
		RateLimitFilter distkitRateLimitFilter(UrlLimits urlLimits, DistkitProperties properties,
				ListableBeanFactory beanFactory, ObjectProvider<CallerVariables> callerVariables,
				ObjectProvider<ReturnTypeAdapters> returnTypes, RateLimitProblemFactory problems) {
			DistkitProperties.Web web = properties.getWeb();
			ExpressionSupport expressions = new ExpressionSupport(beanFactory,
					callerVariables.orderedStream().toList(), returnTypes.getIfAvailable(ReturnTypeAdapters::blocking));
			return new RateLimitFilter(urlLimits, web.getHeaders(), web.getFilterOrder(), expressions,
					() -> exceptionResolver(beanFactory), problems);
		}

		@Bean
		@ConditionalOnMissingBean
		RateLimitExceptionHandler distkitRateLimitExceptionHandler(RateLimitProblemFactory problems,
				DistkitProperties properties) {
			return new RateLimitExceptionHandler(problems, properties.getWeb().getHeaders());
		}

		/** Spring MVC's composite resolver: it runs the {@code @ExceptionHandler}s of the application and distkit. */
		private static @Nullable HandlerExceptionResolver exceptionResolver(ListableBeanFactory beanFactory) {
			return beanFactory.containsBean("handlerExceptionResolver")
					? beanFactory.getBean("handlerExceptionResolver", HandlerExceptionResolver.class) : null;
		}

	}

	/** The {@code WebFilter} and the {@code WebExceptionHandler} of WebFlux applications. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@ConditionalOnClass(name = "reactor.core.publisher.Mono")
	static class ReactiveConfiguration {

		@Bean
		@ConditionalOnMissingBean
		UrlLimits distkitUrlLimits(DistkitProperties properties, RateLimiter rateLimiter,
				ListableBeanFactory beanFactory, ObjectProvider<CallerVariables> callerVariables,
				ObjectProvider<ReactiveCallerVariables> reactiveVariables, ObjectProvider<AnnotationMetrics> metrics) {
			return urlLimits(properties, rateLimiter, beanFactory, callerVariables,
					ReturnTypeAdapters.reactor(reactiveVariables.orderedStream().toList()), metrics,
					UrlLimits.SECURITY_FILTER_ORDER);
		}

		@Bean
		@ConditionalOnMissingBean
		RateLimitWebFilter distkitRateLimitWebFilter(UrlLimits urlLimits, DistkitProperties properties,
				ObjectProvider<ReactiveCallerVariables> variables) {
			DistkitProperties.Web web = properties.getWeb();
			return new RateLimitWebFilter(urlLimits, web.getHeaders(), web.getFilterOrder(),
					variables.orderedStream().toList());
		}

		@Bean
		@ConditionalOnMissingBean
		RateLimitWebExceptionHandler distkitRateLimitWebExceptionHandler(RateLimitProblemFactory problems,
				DistkitProperties properties, ObjectProvider<ServerCodecConfigurer> codecs) {
			ServerCodecConfigurer configurer = codecs.getIfAvailable(ServerCodecConfigurer::create);
			return new RateLimitWebExceptionHandler(problems, properties.getWeb().getHeaders(),
					configurer.getWriters());
		}

	}

}
