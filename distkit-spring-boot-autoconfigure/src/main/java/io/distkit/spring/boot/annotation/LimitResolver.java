package io.distkit.spring.boot.annotation;

import java.lang.reflect.Method;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimiter;

/**
 * Chooses the limit of each {@link RateLimited} call, for limits that depend on the caller: per plan, per tenant.
 * Define one bean; it is asked for every {@code @RateLimited} call (after {@code skipIf} and the key are evaluated)
 * and may return {@code null} to keep the annotation's own limit.
 *
 * <pre>{@code
 * @Bean
 * LimitResolver planLimits(Plans plans) {
 *     return (call) -> call.limiter().limits().get("plan-" + plans.planOf(call.key()));   // distkit.rate-limit.limits.plan-*
 * }
 * }</pre>
 *
 * <p>The returned limit is used with the provider it names; its name is part of its Redis keys and meter tags, so
 * give different limits different names. Called on the calling thread for blocking methods and on Reactor's
 * {@code boundedElastic} scheduler for reactive ones; must be thread-safe. An exception it throws propagates to the
 * caller.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface LimitResolver {

	/**
	 * Chooses the limit of one call.
	 * @param call the call
	 * @return the limit to apply, or {@code null} for the annotation's own limit
	 */
	@Nullable RateLimit resolve(Call call);

	/**
	 * One {@link RateLimited} call being decided.
	 *
	 * @param method the annotated method, as declared by the target's class
	 * @param target the bean whose method is called
	 * @param arguments the call's arguments (not a copy: do not modify)
	 * @param key the evaluated key
	 * @param limit the annotation's own limit ({@link RateLimited#limit()} or the inline one); {@code null} when the
	 * annotation names none
	 * @param limiter the rate limiter the call is decided by
	 * @since 0.1.0
	 */
	record Call(Method method, Object target, List<@Nullable Object> arguments, String key, @Nullable RateLimit limit,
			RateLimiter limiter) {
	}

}
