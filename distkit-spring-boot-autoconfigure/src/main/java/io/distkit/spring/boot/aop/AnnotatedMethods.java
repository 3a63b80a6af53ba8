package io.distkit.spring.boot.aop;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.util.ReflectionUtils;

/**
 * Finds the annotations of one type that apply to a method: those declared on the method itself, else on the
 * closest method it overrides or implements (superclass or interface), else on its class, the class's superclasses
 * or interfaces. Only the closest declaration counts (a method's annotations replace its class's; an implementation's
 * replace its interface's); several annotations of that declaration, repeated or composed, come in declaration order.
 */
final class AnnotatedMethods {

	private AnnotatedMethods() {
	}

	/**
	 * The annotations of {@code type} that apply to {@code method} called on an instance of {@code targetClass}.
	 * @param method the method, as declared by the target class (see {@code AopUtils.getMostSpecificMethod})
	 * @param targetClass the target class
	 * @param type the annotation type
	 * @return the annotations, empty when none applies
	 */
	static <A extends Annotation> List<MergedAnnotation<A>> find(Method method, Class<?> targetClass, Class<A> type) {
		if (!isInterceptable(method)) {
			return List.of();
		}
		List<MergedAnnotation<A>> declared = closest(MergedAnnotations.from(method, SearchStrategy.TYPE_HIERARCHY), type);
		if (!declared.isEmpty()) {
			return declared;
		}
		if (!Modifier.isPublic(method.getModifiers()) || isObjectMethod(method)) {
			return List.of();
		}
		return closest(MergedAnnotations.from(targetClass, SearchStrategy.TYPE_HIERARCHY), type);
	}

	/** Whether {@code targetClass} may carry annotations of {@code type} on itself or on a method. */
	static boolean hasAny(Class<?> targetClass, Class<? extends Annotation> type, Class<? extends Annotation> container) {
		if (!AnnotationUtils.isCandidateClass(targetClass, List.of(type, container))) {
			return false;
		}
		if (MergedAnnotations.from(targetClass, SearchStrategy.TYPE_HIERARCHY).isPresent(type)) {
			return true;
		}
		for (Method method : ReflectionUtils.getUniqueDeclaredMethods(targetClass, ReflectionUtils.USER_DECLARED_METHODS)) {
			if (MergedAnnotations.from(method, SearchStrategy.TYPE_HIERARCHY).isPresent(type)) {
				return true;
			}
		}
		return false;
	}

	/** The methods of {@code targetClass} an annotation could apply to: its and its superclasses' user methods. */
	static List<Method> candidateMethods(Class<?> targetClass) {
		List<Method> methods = new ArrayList<>();
		for (Method method : ReflectionUtils.getUniqueDeclaredMethods(targetClass, ReflectionUtils.USER_DECLARED_METHODS)) {
			if (!isObjectMethod(method)) {
				methods.add(method);
			}
		}
		return methods;
	}

	/** Whether a proxy can intercept calls of {@code method}: not private, final or static. */
	static boolean isInterceptable(Method method) {
		int modifiers = method.getModifiers();
		return !Modifier.isPrivate(modifiers) && !Modifier.isFinal(modifiers) && !Modifier.isStatic(modifiers);
	}

	/** Whether {@code method} carries an annotation of {@code type} that a proxy cannot honour. */
	static boolean isAnnotatedButNotInterceptable(Method method, Class<? extends Annotation> type) {
		return !isInterceptable(method) && MergedAnnotations.from(method, SearchStrategy.TYPE_HIERARCHY).isPresent(type);
	}

	private static boolean isObjectMethod(Method method) {
		return ReflectionUtils.isObjectMethod(method) || ReflectionUtils.isEqualsMethod(method)
				|| ReflectionUtils.isHashCodeMethod(method) || ReflectionUtils.isToStringMethod(method);
	}

	private static <A extends Annotation> List<MergedAnnotation<A>> closest(MergedAnnotations annotations,
			Class<A> type) {
		List<MergedAnnotation<A>> found = new ArrayList<>();
		int closest = Integer.MAX_VALUE;
		for (MergedAnnotation<A> annotation : (Iterable<MergedAnnotation<A>>) annotations.stream(type)::iterator) {
			int index = annotation.getAggregateIndex();
			if (index < closest) {
				found.clear();
				closest = index;
			}
			if (index == closest) {
				found.add(annotation);
			}
		}
		return found;
	}

}
