package io.distkit.spring.boot.aop;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;

import io.distkit.NanoClock;
import io.distkit.ratelimit.BoundLimit;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.RateLimitExceededException;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.spring.boot.annotation.LimitResolver;

/**
 * What every {@code @RateLimited} call shares: the rate limiter, the optional {@link LimitResolver}, and the handling
 * of failed refunds (logged at most once a minute, metered).
 */
final class LimitDecisions {

	private static final Log logger = LogFactory.getLog(RateLimitedInterceptor.class);

	private final RateLimiter limiter;

	private final ObjectProvider<LimitResolver> resolver;

	private final Refunds refunds;

	private volatile @Nullable Optional<LimitResolver> resolved;

	LimitDecisions(RateLimiter limiter, ObjectProvider<LimitResolver> resolver, AnnotationMetrics metrics,
			NanoClock clock) {
		this.limiter = limiter;
		this.resolver = resolver;
		this.refunds = new Refunds(metrics, logger, clock);
	}

	RateLimiter limiter() {
		return this.limiter;
	}

	/**
	 * The limit of one call: the resolver's choice, else the annotation's own.
	 * @throws IllegalStateException if neither names a limit
	 */
	BoundLimit limitOf(RateLimitedOperation operation, Method method, String description, Object target,
			@Nullable Object[] arguments, String key) {
		LimitResolver resolver = resolver();
		if (resolver != null) {
			RateLimit chosen = resolver.resolve(new LimitResolver.Call(method, target,
					Arrays.asList(arguments), key, operation.declaredLimit(), this.limiter));
			if (chosen != null) {
				BoundLimit own = operation.limit();
				return (own != null && own.limit().equals(chosen)) ? own : this.limiter.limit(chosen);
			}
		}
		BoundLimit own = operation.limit();
		if (own == null) {
			throw new IllegalStateException("The LimitResolver chose no limit for " + description
					+ ", whose @RateLimited names none (key '" + key + "')");
		}
		return own;
	}

	private @Nullable LimitResolver resolver() {
		Optional<LimitResolver> resolved = this.resolved;
		if (resolved == null) {
			resolved = Optional.ofNullable(this.resolver.getIfUnique());
			this.resolved = resolved;
		}
		return resolved.orElse(null);
	}

	/** The exception of a decision that did not admit a call. */
	RateLimitExceededException rejection(BoundLimit limit, RateLimitDecision decision) {
		return RateLimitExceededException.of(limit.limit(), decision);
	}

	/**
	 * Gives back units a call took; a failure is logged and metered, never thrown.
	 * @return whether the units were given back
	 */
	boolean refund(BoundLimit limit, String key, long cost) {
		return this.refunds.refund(limit, key, cost, "after a later limit rejected the call");
	}

}
