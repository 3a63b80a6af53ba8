package io.distkit.spring.boot.aop;

import java.lang.reflect.Method;

import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.core.Ordered;

/** What {@link DistkitAnnotationPostProcessor} needs of an interceptor to add it to beans. */
interface AnnotationInterceptor extends MethodInterceptor, Ordered {

	/**
	 * Whether this interceptor goes outside the advisors of the same order (else inside them).
	 */
	boolean outsideOfEqualOrder();

	/**
	 * Resolves and checks every annotated method of {@code targetClass}.
	 * @return whether any method of the class is annotated
	 * @throws io.distkit.spring.boot.annotation.InvalidAnnotationException if an annotation breaks a rule
	 */
	boolean validate(Class<?> targetClass);

	/** Whether calls of {@code method} on an instance of {@code targetClass} pass through this interceptor. */
	boolean matches(Method method, Class<?> targetClass);

}
