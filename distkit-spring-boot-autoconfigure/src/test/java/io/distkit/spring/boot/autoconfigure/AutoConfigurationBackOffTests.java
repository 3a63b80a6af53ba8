package io.distkit.spring.boot.autoconfigure;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/** Every bean distkit auto-configures backs off when the application defines its own. */
class AutoConfigurationBackOffTests {

	@Test
	void everyBeanMethodIsConditionalOnMissingBean() {
		List<String> missing = new ArrayList<>();
		for (Class<?> type : autoConfigurations()) {
			for (Method method : type.getDeclaredMethods()) {
				if (method.isAnnotationPresent(Bean.class) && !method.isAnnotationPresent(ConditionalOnMissingBean.class)) {
					missing.add(type.getSimpleName() + "." + method.getName());
				}
			}
		}
		assertThat(missing).isEmpty();
	}

	private static List<Class<?>> autoConfigurations() {
		List<Class<?>> types = new ArrayList<>();
		Stream.of(DistkitRedisAutoConfiguration.class, DistkitCounterAutoConfiguration.class,
				DistkitRateLimitAutoConfiguration.class, DistkitAnnotationsAutoConfiguration.class,
				DistkitInstanceAwareAutoConfiguration.class, DistkitMetricsAutoConfiguration.class,
				DistkitHealthAutoConfiguration.class, DistkitEndpointAutoConfiguration.class,
				DistkitWebAutoConfiguration.class)
			.forEach((type) -> addWithNested(types, type));
		return types;
	}

	private static void addWithNested(List<Class<?>> types, Class<?> type) {
		types.add(type);
		for (Class<?> nested : type.getDeclaredClasses()) {
			addWithNested(types, nested);
		}
	}

}
