package io.distkit.spring.boot.aop;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.reflect.Method;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.util.ReflectionUtils;

import io.distkit.spring.boot.annotation.RateLimited;

import static org.assertj.core.api.Assertions.assertThat;

class AnnotatedMethodsTests {

	@Test
	void find_methodAnnotationsReplaceTheClasses() {
		assertThat(limits(Service.class, "own")).containsExactly("method-1", "method-2");
		assertThat(limits(Service.class, "inherited")).containsExactly("class");
	}

	@Test
	void find_implementationReplacesTheInterfaceMethod() {
		assertThat(limits(Service.class, "declaredTwice")).containsExactly("implementation");
		assertThat(limits(Service.class, "declaredOnInterface")).containsExactly("interface-method");
	}

	@Test
	void find_interfaceClassAnnotationAppliesWhenTheClassHasNone() {
		assertThat(limits(PlainImplementation.class, "declaredTwice")).containsExactly("interface-method-twice");
		assertThat(limits(PlainImplementation.class, "other")).containsExactly("interface");
	}

	@Test
	void find_composedAnnotationsCount() {
		assertThat(limits(Service.class, "composed")).containsExactly("composed");
	}

	@Test
	void find_nonPublicMethodsGetNoClassAnnotation() {
		assertThat(limits(Service.class, "packagePrivate")).isEmpty();
		assertThat(limits(Service.class, "toString")).isEmpty();
	}

	private static List<String> limits(Class<?> type, String name) {
		Method method = ReflectionUtils.findMethod(type, name);
		List<MergedAnnotation<RateLimited>> found = AnnotatedMethods.find(method, type, RateLimited.class);
		return found.stream().map((annotation) -> annotation.getString("limit")).toList();
	}

	@Retention(RetentionPolicy.RUNTIME)
	@RateLimited("composed")
	@interface ComposedLimit {

	}

	@RateLimited("interface")
	interface Api {

		@RateLimited("interface-method-twice")
		void declaredTwice();

		@RateLimited("interface-method")
		void declaredOnInterface();

		void other();

	}

	@RateLimited("class")
	static class Service implements Api {

		@RateLimited("method-1")
		@RateLimited("method-2")
		public void own() {
		}

		public void inherited() {
		}

		@Override
		@RateLimited("implementation")
		public void declaredTwice() {
		}

		@Override
		public void declaredOnInterface() {
		}

		@Override
		public void other() {
		}

		@ComposedLimit
		public void composed() {
		}

		void packagePrivate() {
		}

		@Override
		public String toString() {
			return "service";
		}

	}

	static class PlainImplementation implements Api {

		@Override
		public void declaredTwice() {
		}

		@Override
		public void declaredOnInterface() {
		}

		@Override
		public void other() {
		}

	}

}
