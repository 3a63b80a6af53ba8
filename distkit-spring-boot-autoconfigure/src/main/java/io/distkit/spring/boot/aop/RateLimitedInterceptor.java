package io.distkit.spring.boot.aop;

import java.lang.reflect.Method;
import java.util.function.Function;

import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;

import io.distkit.NanoClock;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.spring.boot.annotation.LimitResolver;
import io.distkit.spring.boot.annotation.RateLimited;

/**
 * Intercepts calls of methods annotated with {@link RateLimited}: decides each call against the method's limits in
 * order (refunding earlier limits when a later one rejects) and runs the method, its fallback, or throws
 * {@link io.distkit.ratelimit.RateLimitExceededException}. Reactive and asynchronous return types are decided at
 * subscription, off the event loop ({@link ReturnTypeAdapters}). Thread-safe.
 *
 * @since 0.1.0
 */
public final class RateLimitedInterceptor implements AnnotationInterceptor {

	/**
	 * The default order: before (outside) {@code @Transactional} and {@code @Retryable}, whose advisors have the lowest
	 * precedence, so a rejected call starts no transaction and a retried call is decided once.
	 */
	public static final int DEFAULT_ORDER = Ordered.LOWEST_PRECEDENCE - 1000;

	private static final Log logger = LogFactory.getLog(RateLimitedInterceptor.class);

	private final ObjectProvider<RateLimiter> rateLimiter;

	private final ObjectProvider<LimitResolver> limitResolver;

	private final AnnotationMetrics metrics;

	private final NanoClock clock;

	private final RateLimitedAttributeSource source;

	private final int order;

	private volatile @Nullable LimitDecisions decisions;

	/**
	 * Creates the interceptor of one application context.
	 * @param rateLimiter the rate limiter (looked up when the first annotated bean is created)
	 * @param limitResolver the limit resolver, if the application defines one (looked up at the first call)
	 * @param beanFactory the bean factory
	 * @param inlineDefaults a builder of an inline limit of the given name with the configured defaults
	 * @param expressions the expression support
	 * @param returnTypes the return-type strategies
	 * @param metrics where failed refunds are metered
	 * @param order the order among a bean's advisors
	 */
	public RateLimitedInterceptor(ObjectProvider<RateLimiter> rateLimiter, ObjectProvider<LimitResolver> limitResolver,
			ListableBeanFactory beanFactory, Function<String, RateLimit.Builder> inlineDefaults,
			ExpressionSupport expressions, ReturnTypeAdapters returnTypes, AnnotationMetrics metrics, int order) {
		this(rateLimiter, limitResolver, beanFactory, inlineDefaults, expressions, returnTypes, metrics, order,
				NanoClock.system());
	}

	RateLimitedInterceptor(ObjectProvider<RateLimiter> rateLimiter, ObjectProvider<LimitResolver> limitResolver,
			ListableBeanFactory beanFactory, Function<String, RateLimit.Builder> inlineDefaults,
			ExpressionSupport expressions, ReturnTypeAdapters returnTypes, AnnotationMetrics metrics, int order,
			NanoClock clock) {
		this.rateLimiter = rateLimiter;
		this.limitResolver = limitResolver;
		this.metrics = metrics;
		this.clock = clock;
		this.order = order;
		this.source = new RateLimitedAttributeSource(this::decisions, beanFactory, inlineDefaults, expressions,
				returnTypes);
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Object target = invocation.getThis();
		RateLimitedMethod method = this.source.get(invocation.getMethod(),
				(target != null) ? AopUtils.getTargetClass(target) : null);
		if (method == null || target == null) {
			return invocation.proceed();
		}
		return method.adapter().limit(invocation, method);
	}

	@Override
	public int getOrder() {
		return this.order;
	}

	@Override
	public boolean outsideOfEqualOrder() {
		return true;
	}

	@Override
	public boolean validate(Class<?> targetClass) {
		boolean any = false;
		for (Method method : AnnotatedMethods.candidateMethods(targetClass)) {
			if (AnnotatedMethods.isAnnotatedButNotInterceptable(method, RateLimited.class)) {
				logger.warn("@RateLimited on " + MethodNames.describe(method, targetClass) + " has no effect: "
						+ "private, final and static methods are not intercepted");
			}
			any |= this.source.get(method, targetClass) != null;
		}
		return any;
	}

	@Override
	public boolean matches(Method method, Class<?> targetClass) {
		return this.source.get(method, targetClass) != null;
	}

	RateLimitedAttributeSource source() {
		return this.source;
	}

	private @Nullable LimitDecisions decisions() {
		LimitDecisions decisions = this.decisions;
		if (decisions == null) {
			RateLimiter limiter = this.rateLimiter.getIfUnique();
			if (limiter == null) {
				return null;
			}
			decisions = new LimitDecisions(limiter, this.limitResolver, this.metrics, this.clock);
			this.decisions = decisions;
		}
		return decisions;
	}

}
