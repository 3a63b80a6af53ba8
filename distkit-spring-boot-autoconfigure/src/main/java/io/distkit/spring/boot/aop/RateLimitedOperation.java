package io.distkit.spring.boot.aop;

import org.jspecify.annotations.Nullable;

import io.distkit.ratelimit.BoundLimit;
import io.distkit.ratelimit.RateLimit;

/**
 * One {@code @RateLimited} annotation of a method, resolved at start-up: its limit (named or inline; {@code null}
 * when only the {@code LimitResolver} chooses), its checked expressions and its fallback method.
 *
 * @param limit the annotation's own limit, bound to its provider
 * @param key the key expression; {@code null} for the method's shared key
 * @param cost the cost expression
 * @param skipIf the exemption condition, or {@code null}
 * @param fallback the fallback method, or {@code null}
 */
record RateLimitedOperation(@Nullable BoundLimit limit, @Nullable CheckedExpression key, CheckedExpression cost,
		@Nullable CheckedExpression skipIf, @Nullable FallbackMethod fallback) {

	/** The annotation's own limit, or {@code null}. */
	@Nullable RateLimit declaredLimit() {
		return (this.limit != null) ? this.limit.limit() : null;
	}

}
