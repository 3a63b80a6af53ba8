package io.distkit.spring.boot.aop;

import java.lang.reflect.Method;

import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;

import io.distkit.NanoClock;
import io.distkit.counter.LaxCounter;
import io.distkit.counter.StrictCounter;
import io.distkit.spring.boot.annotation.Counted;

/**
 * Intercepts calls of methods annotated with {@link Counted}: evaluates each count's field and increment before the
 * method runs, and counts when the call ends as the annotation's {@code when} asks. A failed count is logged (at most
 * once a minute) and metered, and thrown only when failures propagate. Reactive and asynchronous return types are
 * counted at completion ({@link ReturnTypeAdapters}). Thread-safe.
 *
 * @since 0.1.0
 */
public final class CountedInterceptor implements AnnotationInterceptor {

	/**
	 * The default order: the lowest precedence, and inside every advisor of the same order, so counting is innermost
	 * (inside {@code @Transactional} and {@code @Retryable}: each attempt counts).
	 */
	public static final int DEFAULT_ORDER = Ordered.LOWEST_PRECEDENCE;

	private static final Log logger = LogFactory.getLog(CountedInterceptor.class);

	private final CountedAttributeSource source;

	private final int order;

	/**
	 * Creates the interceptor of one application context.
	 * @param strictCounter the strict counter (looked up when the first annotated bean is created)
	 * @param laxCounter the lax counter (likewise)
	 * @param expressions the expression support
	 * @param returnTypes the return-type strategies
	 * @param metrics where failed counts are metered
	 * @param propagateFailures whether a failed count is thrown to the caller
	 * @param order the order among a bean's advisors
	 */
	public CountedInterceptor(ObjectProvider<StrictCounter> strictCounter, ObjectProvider<LaxCounter> laxCounter,
			ExpressionSupport expressions, ReturnTypeAdapters returnTypes, AnnotationMetrics metrics,
			boolean propagateFailures, int order) {
		this(strictCounter, laxCounter, expressions, returnTypes, metrics, propagateFailures, order,
				NanoClock.system());
	}

	CountedInterceptor(ObjectProvider<StrictCounter> strictCounter, ObjectProvider<LaxCounter> laxCounter,
			ExpressionSupport expressions, ReturnTypeAdapters returnTypes, AnnotationMetrics metrics,
			boolean propagateFailures, int order, NanoClock clock) {
		this.order = order;
		this.source = new CountedAttributeSource(strictCounter, laxCounter, expressions, returnTypes,
				new CountFailures(metrics, propagateFailures, clock));
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Object target = invocation.getThis();
		CountedMethod method = this.source.get(invocation.getMethod(),
				(target != null) ? AopUtils.getTargetClass(target) : null);
		if (method == null) {
			return invocation.proceed();
		}
		return method.adapter().count(invocation, method);
	}

	@Override
	public int getOrder() {
		return this.order;
	}

	@Override
	public boolean outsideOfEqualOrder() {
		return false;
	}

	@Override
	public boolean validate(Class<?> targetClass) {
		boolean any = false;
		for (Method method : AnnotatedMethods.candidateMethods(targetClass)) {
			if (AnnotatedMethods.isAnnotatedButNotInterceptable(method, Counted.class)) {
				logger.warn("@Counted on " + MethodNames.describe(method, targetClass) + " has no effect: "
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

}
