package io.distkit.spring.boot.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Counts calls of a Spring bean's method in a distkit counter in Redis, shared by every instance of the application:
 * each call adds {@link #increment()} to the field {@code <name>|<key>} of the {@link Type#STRICT strict} or
 * {@link Type#LAX lax} counter, when the call ends as {@link #when()} asks.
 *
 * <pre>{@code
 * @Counted(name = "orders", key = "#product")                        // field "orders|<product>"
 * @Counted(name = "order-items", increment = "#quantity", when = Counted.When.SUCCESS, type = Counted.Type.STRICT)
 * public Order placeOrder(String product, int quantity) { ... }
 *
 * long booksOrdered = laxCounter.get("orders|book");
 * }</pre>
 *
 * <p><b>Not Micrometer's {@code @Counted}.</b> Micrometer's {@code io.micrometer.core.annotation.Counted} increments
 * a meter in this process's {@code MeterRegistry} (through its AspectJ {@code CountedAspect}): a per-instance count
 * that restarts from zero with the process and is read through a metrics backend. This annotation increments a
 * distributed counter in Redis: one total across every instance, kept across restarts, keyed per call by a SpEL
 * expression and read with {@code StrictCounter.get} / {@code LaxCounter.get}. Both may annotate the same method; spell
 * one of them with its package.
 *
 * <p><b>Field.</b> The field is {@link #name()} alone when there is no {@link #key()}; otherwise the name, {@code |},
 * and the key's value with {@code %}, {@code :}, {@code {}, {@code }}, {@code |}, whitespace and control characters
 * written as {@code %XX}. When the field would exceed 255 bytes, the key part becomes {@code h_} + base64url(SHA-256
 * of the key).
 *
 * <p><b>Failures.</b> Counting never changes the method's outcome: when Redis fails while counting, the failure is
 * logged (at most once a minute) and counted by the {@code distkit.counted.failures} meter (with Micrometer and a
 * {@code MeterRegistry}), and the call returns as it would have, unless
 * {@code distkit.counted.propagate-failures=true}. An expression that fails throws
 * {@link AnnotationExpressionException} before the method runs.
 *
 * <p><b>Where it applies</b> (method, class, interface; the method's annotations replace its class's), which
 * expressions it understands, and how reactive methods are handled is as for {@link RateLimited}: here
 * {@code Mono}, {@code Flux} and futures are counted when they complete, a strict count running on Reactor's
 * {@code boundedElastic} scheduler. Counting runs inside every other interceptor (inside {@code @Transactional} and
 * {@code @Retryable}: each attempt counts). Self-invocation, private, final and static methods are not intercepted.
 *
 * @since 0.1.0
 * @see RateLimited
 */
@Target({ ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Repeatable(Counted.List.class)
public @interface Counted {

	/**
	 * Alias for {@link #name()}: {@code @Counted("orders")}.
	 * @return the counter name
	 */
	@AliasFor("name")
	String value() default "";

	/**
	 * Name of the count: the first part of the counter field. At most 200 bytes of UTF-8, without {@code :} and
	 * {@code |}. Default: {@code <SimpleClassName>.<methodName>}.
	 * @return the name
	 */
	@AliasFor("value")
	String name() default "";

	/**
	 * SpEL expression of the key that splits the count, such as {@code "#product"}; its value must not be
	 * {@code null} or empty. Default: no key, one count for the name.
	 * @return the key expression
	 */
	String key() default "";

	/**
	 * Counter that holds the count.
	 * @return the counter type
	 */
	Type type() default Type.LAX;

	/**
	 * SpEL expression of the amount to add, an integer within ±(2<sup>53</sup> − 1); such as {@code "#quantity"}.
	 * @return the increment expression
	 */
	String increment() default "1";

	/**
	 * Which calls count.
	 * @return the outcome that counts
	 */
	When when() default When.ALWAYS;

	/**
	 * Which distkit counter holds a count.
	 *
	 * @since 0.1.0
	 */
	enum Type {

		/**
		 * The {@code StrictCounter} bean: one Redis round trip per count, at once visible everywhere.
		 */
		STRICT,

		/**
		 * The {@code LaxCounter} bean: counted in memory and flushed to Redis in the background (every 20 ms by
		 * default); adds no Redis round trip to the call.
		 */
		LAX

	}

	/**
	 * Which calls a {@link Counted} counts.
	 *
	 * @since 0.1.0
	 */
	enum When {

		/**
		 * Every call that ran the method, whether it returned or threw.
		 */
		ALWAYS,

		/**
		 * Calls that returned normally (for reactive and asynchronous results: completed without an error).
		 */
		SUCCESS,

		/**
		 * Calls that threw (for reactive and asynchronous results: completed with an error).
		 */
		FAILURE

	}

	/**
	 * Container of repeated {@link Counted} annotations; not for direct use.
	 *
	 * @since 0.1.0
	 */
	@Target({ ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE })
	@Retention(RetentionPolicy.RUNTIME)
	@Documented
	@Inherited
	@interface List {

		/**
		 * The annotations.
		 * @return the annotations
		 */
		Counted[] value();

	}

}
