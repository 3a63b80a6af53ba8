package io.distkit.spring.boot.aop;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import io.distkit.ratelimit.RateLimitExceededException;
import io.distkit.spring.boot.annotation.InvalidAnnotationException;

/**
 * The method a rejected call runs instead: declared by the target's class (or a superclass), with the annotated
 * method's parameters, optionally followed by the {@link RateLimitExceededException} (or one of its supertypes), and
 * a return type assignable to the annotated method's. Called on the target itself, not through the proxy.
 */
final class FallbackMethod {

	private final Method method;

	private final boolean takesException;

	private FallbackMethod(Method method, boolean takesException) {
		this.method = method;
		this.takesException = takesException;
	}

	/**
	 * Finds the fallback method {@code name} of {@code annotated}.
	 * @throws InvalidAnnotationException if there is none, or its return type does not fit
	 */
	static FallbackMethod resolve(Method annotated, Class<?> targetClass, String name, String description) {
		Class<?>[] parameters = annotated.getParameterTypes();
		Method found = null;
		boolean takesException = false;
		for (Method candidate : ReflectionUtils.getUniqueDeclaredMethods(targetClass)) {
			if (!candidate.getName().equals(name) || candidate.equals(annotated)) {
				continue;
			}
			Class<?>[] types = candidate.getParameterTypes();
			if (types.length == parameters.length + 1 && Arrays.equals(types, 0, parameters.length, parameters, 0,
					parameters.length) && types[parameters.length].isAssignableFrom(RateLimitExceededException.class)) {
				found = candidate;
				takesException = true;
				break;
			}
			if (Arrays.equals(types, parameters)) {
				found = candidate;
			}
		}
		String signature = name + Arrays.stream(parameters)
			.map(Class::getSimpleName)
			.reduce((a, b) -> a + "," + b)
			.map((list) -> "(" + list + "[,RateLimitExceededException])")
			.orElse("([RateLimitExceededException])");
		if (found == null) {
			throw new InvalidAnnotationException("RateLimited", description, "fallbackMethod '" + name
					+ "' does not exist: declare " + signature + " in " + ClassUtils.getUserClass(targetClass).getName());
		}
		if (!fits(annotated.getReturnType(), found.getReturnType())) {
			throw new InvalidAnnotationException("RateLimited", description, "fallbackMethod '" + name + "' returns "
					+ found.getReturnType().getSimpleName() + ", which is not assignable to "
					+ annotated.getReturnType().getSimpleName());
		}
		ReflectionUtils.makeAccessible(found);
		return new FallbackMethod(found, takesException);
	}

	/**
	 * Calls the fallback.
	 * @param target the target object
	 * @param arguments the rejected call's arguments
	 * @param rejection why the call was rejected
	 * @return what the fallback returned
	 * @throws Throwable what the fallback threw
	 */
	@Nullable Object invoke(Object target, @Nullable Object[] arguments, RateLimitExceededException rejection)
			throws Throwable {
		Object[] actual = arguments;
		if (this.takesException) {
			actual = Arrays.copyOf(arguments, arguments.length + 1);
			actual[arguments.length] = rejection;
		}
		try {
			return this.method.invoke(Modifier.isStatic(this.method.getModifiers()) ? null : target, actual);
		}
		catch (InvocationTargetException ex) {
			throw ex.getTargetException();
		}
	}

	private static boolean fits(Class<?> expected, Class<?> actual) {
		if (expected == void.class || actual == void.class || expected.isPrimitive() || actual.isPrimitive()) {
			return expected == actual;
		}
		return expected.isAssignableFrom(actual);
	}

}
