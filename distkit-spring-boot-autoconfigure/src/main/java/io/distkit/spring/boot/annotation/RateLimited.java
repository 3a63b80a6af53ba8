package io.distkit.spring.boot.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

import io.distkit.ratelimit.RateLimitExceededException;

/**
 * Rate-limits calls of a Spring bean's method: each call takes {@link #cost()} units of a limit for the caller's
 * {@link #key()}; a call the limit does not admit throws {@link RateLimitExceededException} (or calls
 * {@link #fallbackMethod()}) without running the method.
 *
 * <pre>{@code
 * @RateLimited(limit = "api", key = "#principal.name")          // distkit.rate-limit.limits.api
 * @RateLimited(capacity = 5, window = "1m", key = "#clientIp")    // an inline limit
 * public Order placeOrder(OrderRequest request) { ... }
 * }</pre>
 *
 * <p><b>Where it applies.</b> On a method, or on a class or interface for each of its public methods; a method's own
 * annotations replace its class's, and the most specific declaration wins (the implementation's method over the
 * interface's). Several annotations apply in declaration order; when a later one rejects, the units the earlier ones
 * took are refunded. Calls go through a Spring AOP proxy: self-invocation ({@code this.method()}), private, final
 * and static methods are not intercepted.
 *
 * <p><b>The limit.</b> Either {@link #limit()}, the name of a limit configured under
 * {@code distkit.rate-limit.limits.<name>}, or {@link #capacity()} and {@link #window()}, an inline limit named
 * {@code <SimpleClassName>.<methodName>} that takes the other settings from the defaults at
 * {@code distkit.rate-limit.*}. Without either, a {@link LimitResolver} bean must choose the limit of every call; with
 * either, a {@code LimitResolver} may still replace it per call.
 *
 * <p><b>Expressions.</b> {@link #key()}, {@link #cost()} and {@link #skipIf()} are SpEL expressions, parsed and checked
 * when the bean is created (a malformed expression, an unknown variable or an unknown bean fails start-up) and
 * evaluated on every call. They see the method's arguments by name ({@code #userId}, which needs classes compiled
 * with {@code -parameters}) and by position ({@code #p0}); {@code #request}, the current web request
 * ({@code HttpServletRequest}, or {@code ServerHttpRequest} in WebFlux); {@code #clientIp}, the client's address as
 * the web server reports it (behind a proxy, configure Spring's forwarded-header support,
 * {@code server.forward-headers-strategy}; distkit never reads {@code X-Forwarded-For} itself); {@code #principal},
 * the authenticated Spring Security {@code Authentication} ({@code null} when anonymous; only with Spring Security on
 * the class path); and beans as {@code @beanName}. An expression that fails during a call throws
 * {@link AnnotationExpressionException} naming the method and the expression.
 *
 * <p><b>Reactive and asynchronous methods.</b> For a method returning {@code Mono}, {@code Flux},
 * {@code CompletionStage} or {@code CompletableFuture}, the decision is made when the result is subscribed to (for
 * futures: when the method is called), on Reactor's {@code boundedElastic} scheduler, never on an event-loop thread;
 * a rejection is signalled as an error of the returned publisher or future.
 *
 * @since 0.1.0
 * @see Counted
 * @see LimitResolver
 */
@Target({ ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Repeatable(RateLimited.List.class)
public @interface RateLimited {

	/**
	 * Alias for {@link #limit()}: {@code @RateLimited("api")}.
	 * @return the name of a configured limit
	 */
	@AliasFor("limit")
	String value() default "";

	/**
	 * Name of a limit configured under {@code distkit.rate-limit.limits.<name>}. Mutually exclusive with
	 * {@link #capacity()} and {@link #window()}. An unknown name fails start-up.
	 * @return the limit's name
	 */
	@AliasFor("value")
	String limit() default "";

	/**
	 * Units admitted per {@link #window()} by an inline limit named {@code <SimpleClassName>.<methodName>}; at least 1.
	 * Overloads of one method share that name and must therefore declare the same inline limit.
	 * @return the capacity, or {@code -1} for none
	 */
	long capacity() default -1;

	/**
	 * Sliding window of the inline limit, as a duration such as {@code "1m"}, {@code "10s"} or {@code "PT1H"};
	 * required with {@link #capacity()}.
	 * @return the window
	 */
	String window() default "";

	/**
	 * Length of the buckets in which the inline limit counts, such as {@code "1s"}; the window must be a whole number
	 * of at most 10,000 buckets. Defaults to {@code distkit.rate-limit.bucket}.
	 * @return the bucket length, or empty for the default
	 */
	String bucket() default "";

	/**
	 * SpEL expression of the key the call is counted under, such as {@code "#userId"} or {@code "#clientIp"}; its
	 * value (any object, turned into a string) must not be {@code null} or empty. The Redis providers encode it, so
	 * any characters are allowed. Default: one key shared by every call of the method.
	 * @return the key expression
	 */
	String key() default "";

	/**
	 * SpEL expression of the units the call takes, an integer from 0 to 2<sup>53</sup> − 1; such as
	 * {@code "#items.size()"}.
	 * @return the cost expression
	 */
	String cost() default "1";

	/**
	 * SpEL expression that, when {@code true}, exempts the call from this limit (a {@code null} value counts as
	 * {@code false}); such as {@code "#principal?.name == 'admin'"}.
	 * @return the condition, or empty to never skip
	 */
	String skipIf() default "";

	/**
	 * Name of a method of the same class to call instead when this limit rejects the call: it takes the same
	 * parameters, optionally followed by a {@link RateLimitExceededException}, and returns the same type. Checked at
	 * start-up. Without it, a rejection throws the exception.
	 * @return the fallback method's name, or empty for none
	 */
	String fallbackMethod() default "";

	/**
	 * Container of repeated {@link RateLimited} annotations; not for direct use.
	 *
	 * @since 0.1.0
	 */
	@Target({ ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE })
	@Retention(RetentionPolicy.RUNTIME)
	@Documented
	@Inherited
	@interface List {

		/**
		 * The annotations, in the order they apply.
		 * @return the annotations
		 */
		RateLimited[] value();

	}

}
