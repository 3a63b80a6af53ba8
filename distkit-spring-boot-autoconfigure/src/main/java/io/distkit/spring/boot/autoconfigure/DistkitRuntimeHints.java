package io.distkit.spring.boot.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

import io.distkit.spring.boot.annotation.Counted;
import io.distkit.spring.boot.annotation.RateLimited;
import io.distkit.spring.boot.aop.CountedInterceptor;
import io.distkit.spring.boot.aop.RateLimitedInterceptor;

/**
 * AOT hints for distkit: its Lua scripts are class-path resources read at run time, its annotations' attributes are
 * read reflectively, and its interceptors are invoked through the advisors Spring AOP builds.
 *
 * @since 0.1.0
 */
class DistkitRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.resources().registerPattern("io/distkit/**/*.lua");
		for (Class<?> annotation : new Class<?>[] { RateLimited.class, RateLimited.List.class, Counted.class,
				Counted.List.class }) {
			hints.reflection().registerType(annotation, MemberCategory.INVOKE_DECLARED_METHODS);
		}
		for (Class<?> interceptor : new Class<?>[] { RateLimitedInterceptor.class, CountedInterceptor.class }) {
			hints.reflection().registerType(interceptor, MemberCategory.INVOKE_PUBLIC_METHODS);
		}
	}

}
