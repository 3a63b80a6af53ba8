package io.distkit.spring.boot.aop;

import java.lang.reflect.Method;
import java.util.StringJoiner;

import org.springframework.util.ClassUtils;

/** How messages and inline limits name a method. */
final class MethodNames {

	private MethodNames() {
	}

	/** {@code SimpleClassName.method(ParameterSimpleNames)}, the class being the user class of {@code targetClass}. */
	static String describe(Method method, Class<?> targetClass) {
		StringJoiner parameters = new StringJoiner(",", "(", ")");
		for (Class<?> type : method.getParameterTypes()) {
			parameters.add(type.getSimpleName());
		}
		return simpleName(targetClass) + "." + method.getName() + parameters;
	}

	/** {@code SimpleClassName.method}: the name of a method's inline limit or default count. */
	static String shortName(Method method, Class<?> targetClass) {
		return simpleName(targetClass) + "." + method.getName();
	}

	/** The key every call of a method shares when its annotation has none: the qualified class and the signature. */
	static String defaultKey(Method method, Class<?> targetClass) {
		StringJoiner parameters = new StringJoiner(",", "(", ")");
		for (Class<?> type : method.getParameterTypes()) {
			parameters.add(type.getSimpleName());
		}
		return ClassUtils.getUserClass(targetClass).getName() + "." + method.getName() + parameters;
	}

	private static String simpleName(Class<?> targetClass) {
		Class<?> type = ClassUtils.getUserClass(targetClass);
		String simple = type.getSimpleName();
		return simple.isEmpty() ? ClassUtils.getShortName(type) : simple;
	}

}
