package io.distkit.spring.boot.aop;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;

import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimitExceededException;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.spring.boot.annotation.AnnotationExpressionException;
import io.distkit.spring.boot.annotation.LimitResolver;
import io.distkit.spring.boot.annotation.RateLimited;
import io.distkit.test.RedisAdmin;
import io.distkit.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** {@code @RateLimited} on real Redis: keys, cost, skipIf, fallbacks, where annotations apply, several limits. */
class RateLimitedIntegrationTests {

	private final String prefix = TestRedis.uniquePrefix("ratelimited");

	private final ApplicationContextRunner runner = AnnotationContexts.runner(this.prefix)
		.withPropertyValues("distkit.rate-limit.window=1m", "distkit.rate-limit.limits.api.capacity=2",
				"distkit.rate-limit.limits.small.capacity=1", "distkit.rate-limit.limits.big.capacity=3",
				"distkit.rate-limit.limits.budget.capacity=10", "distkit.rate-limit.limits.per-user.capacity=5",
				"distkit.rate-limit.limits.global.capacity=1", "distkit.rate-limit.limits.free.capacity=1",
				"distkit.rate-limit.limits.pro.capacity=3");

	@AfterEach
	void clean() {
		AnnotationContexts.clean(this.prefix);
	}

	@Test
	void keyExpressionShouldIsolateCallersByArgumentName() {
		run(KeyedService.class, (context) -> {
			KeyedService service = context.getBean(KeyedService.class);
			assertThat(service.byName("alice")).isEqualTo("alice");
			service.byName("alice");
			assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> service.byName("alice"))
				.satisfies((ex) -> assertThat(ex.getLimitName()).isEqualTo("api"))
				.satisfies((ex) -> assertThat(ex.getRetryAfter()).isPositive());
			assertThat(service.byName("bob")).isEqualTo("bob");
		});
	}

	@Test
	void keyExpressionShouldSeeArgumentsByPosition() {
		run(KeyedService.class, (context) -> {
			KeyedService service = context.getBean(KeyedService.class);
			service.byPosition("carol", 1);
			service.byPosition("carol", 2);
			assertThatExceptionOfType(RateLimitExceededException.class)
				.isThrownBy(() -> service.byPosition("carol", 3));
			service.byPosition("dave", 4);
		});
	}

	@Test
	void keyValuesShouldBeEncodedByTheProviderNotTwice() {
		run(KeyedService.class, (context) -> {
			KeyedService service = context.getBean(KeyedService.class);
			service.byName("user:1 {x}");
			try (RedisAdmin admin = TestRedis.endpoint().admin()) {
				assertThat(admin.keysContaining(this.prefix)).isNotEmpty()
					.allSatisfy((key) -> assertThat(key).contains("{api:user%3A1%20%7Bx%7D}"));
				admin.deleteKeysContaining(this.prefix);
				service.byName("u".repeat(300));
				assertThat(admin.keysContaining(this.prefix)).isNotEmpty()
					.allSatisfy((key) -> assertThat(key).contains("{api:h_").doesNotContain("uuuu"));
			}
		});
	}

	@Test
	void withoutKeyEveryCallOfAMethodShouldShareOneKeyAndMethodsShouldNotShare() {
		run(KeyedService.class, (context) -> {
			KeyedService service = context.getBean(KeyedService.class);
			service.shared("a");
			service.shared("b");
			assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> service.shared("c"));
			service.alsoShared();
			service.alsoShared();
			try (RedisAdmin admin = TestRedis.endpoint().admin()) {
				assertThat(admin.keysContaining(this.prefix)).anySatisfy(
						(key) -> assertThat(key).contains("{api:" + KeyedService.class.getName() + ".shared(String)}"));
			}
		});
	}

	@Test
	void inlineLimitShouldBeNamedAfterClassAndMethod() {
		run(InlineService.class, (context) -> {
			InlineService service = context.getBean(InlineService.class);
			service.ping();
			assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(service::ping)
				.satisfies((ex) -> assertThat(ex.getLimitName()).isEqualTo("InlineService.ping"))
				.satisfies((ex) -> assertThat(ex.getLimit().window()).hasSeconds(60))
				.satisfies((ex) -> assertThat(ex.getLimit().bucket()).hasSeconds(1));
		});
	}

	@Test
	void costShouldTakeThatManyUnits() {
		run(CostService.class, (context) -> {
			CostService service = context.getBean(CostService.class);
			service.take(7);
			assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> service.take(4));
			service.take(3);
			assertThat(context.getBean(RateLimiter.class).limit("budget").get("units").total()).isEqualTo(10);
		});
	}

	@Test
	void skipIfShouldExemptCallsWithoutTakingUnits() {
		run(CostService.class, (context) -> {
			CostService service = context.getBean(CostService.class);
			for (int i = 0; i < 5; i++) {
				service.unlessInternal(true);
			}
			service.unlessInternal(false);
			assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> service.unlessInternal(false));
			service.unlessInternal(true);
		});
	}

	@Test
	void fallbackMethodShouldReplaceTheRejection() {
		run(FallbackService.class, (context) -> {
			FallbackService service = context.getBean(FallbackService.class);
			assertThat(service.withException("x")).isEqualTo("ok x");
			assertThat(service.withException("x")).isEqualTo("fallback x after small");
			assertThat(service.withoutException("y")).isEqualTo("ok y");
			assertThat(service.withoutException("y")).isEqualTo("plain fallback y");
		});
	}

	@Test
	void methodAnnotationsShouldReplaceTheClassAnnotation() {
		run(ClassLevelService.class, (context) -> {
			ClassLevelService service = context.getBean(ClassLevelService.class);
			service.inherits();
			assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(service::inherits)
				.satisfies((ex) -> assertThat(ex.getLimitName()).isEqualTo("small"));
			service.overrides();
			service.overrides();
			service.overrides();
			assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(service::overrides)
				.satisfies((ex) -> assertThat(ex.getLimitName()).isEqualTo("big"));
		});
	}

	@Test
	void annotationsOnInterfacesShouldApplyToImplementations() {
		run(InterfaceConfiguration.class, (context) -> {
			Greeter greeter = context.getBean(Greeter.class);
			greeter.hello("ann");
			assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> greeter.hello("ann"))
				.satisfies((ex) -> assertThat(ex.getLimitName()).isEqualTo("small"));
			greeter.bye();
			greeter.bye();
			assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(greeter::bye)
				.satisfies((ex) -> assertThat(ex.getLimitName()).isEqualTo("api"));
		});
	}

	@Test
	void annotationsOnInterfacesShouldApplyThroughInterfaceProxies() {
		this.runner.withPropertyValues("spring.aop.proxy-target-class=false")
			.withUserConfiguration(InterfaceConfiguration.class)
			.run((context) -> {
				Greeter greeter = context.getBean(Greeter.class);
				assertThat(greeter).isNotInstanceOf(PoliteGreeter.class);
				greeter.hello("ann");
				assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> greeter.hello("ann"));
			});
	}

	@Test
	void laterRejectionShouldRefundTheEarlierLimits() {
		run(RepeatedService.class, (context) -> {
			RepeatedService service = context.getBean(RepeatedService.class);
			RateLimiter limiter = context.getBean(RateLimiter.class);
			service.call("erin");
			assertThat(limiter.limit("per-user").get("erin").total()).isEqualTo(1);
			assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> service.call("erin"))
				.satisfies((ex) -> assertThat(ex.getLimitName()).isEqualTo("global"));
			assertThat(limiter.limit("per-user").get("erin").total()).isEqualTo(1);
			assertThat(limiter.limit("global").get("all").total()).isEqualTo(1);
		});
	}

	@Test
	void limitResolverShouldChooseTheLimitPerCall() {
		run(ResolverConfiguration.class, (context) -> {
			PlanService service = context.getBean(PlanService.class);
			service.call("free-tenant");
			assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> service.call("free-tenant"))
				.satisfies((ex) -> assertThat(ex.getLimitName()).isEqualTo("free"));
			for (int i = 0; i < 3; i++) {
				service.call("pro-tenant");
			}
			assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> service.call("pro-tenant"))
				.satisfies((ex) -> assertThat(ex.getLimitName()).isEqualTo("pro"));
			assertThat(service.resolverOnly("pro-x")).isEqualTo("pro-x");
			RecordingResolver resolver = context.getBean(RecordingResolver.class);
			assertThat(resolver.last.method().getName()).isEqualTo("resolverOnly");
			assertThat(resolver.last.limit()).isNull();
			assertThat(resolver.last.arguments()).containsExactly("pro-x");
		});
	}

	@Test
	void expressionFailingAtCallTimeShouldNameMethodAndExpression() {
		run(KeyedService.class, (context) -> {
			KeyedService service = context.getBean(KeyedService.class);
			assertThatExceptionOfType(AnnotationExpressionException.class).isThrownBy(() -> service.byUser(null))
				.satisfies((ex) -> assertThat(ex.getMethod()).isEqualTo("KeyedService.byUser(User)"))
				.satisfies((ex) -> assertThat(ex.getExpression()).isEqualTo("#user.name"))
				.withMessageStartingWith("@RateLimited key '#user.name' of KeyedService.byUser(User) failed: ");
			assertThatExceptionOfType(AnnotationExpressionException.class).isThrownBy(() -> service.byName(""))
				.withMessage("@RateLimited key '#name' of KeyedService.byName(String) gave an empty string; a key must "
						+ "not be null or empty (use '?:' to choose a default)");
		});
	}

	@Test
	void keyExpressionShouldCallBeans() {
		run(KeyedService.class, (context) -> {
			KeyedService service = context.getBean(KeyedService.class);
			service.byBean("Frank");
			service.byBean("FRANK");
			assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> service.byBean("frank"));
		});
	}

	private void run(Class<?> configuration, ContextConsumer<AssertableApplicationContext> test) {
		this.runner.withUserConfiguration(configuration).run((context) -> {
			assertThat(context).hasNotFailed();
			test.accept(context);
		});
	}

	record User(String name) {
	}

	@Component("keys")
	static class Keys {

		public String normalize(String name) {
			return name.toLowerCase();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class KeyedService {

		@Bean
		Keys keys() {
			return new Keys();
		}

		@RateLimited(limit = "api", key = "#name")
		public String byName(String name) {
			return name;
		}

		@RateLimited(value = "api", key = "#p0")
		public int byPosition(String name, int call) {
			return call;
		}

		@RateLimited(limit = "api", key = "#user.name")
		public String byUser(@Nullable User user) {
			return "ok";
		}

		@RateLimited(limit = "api", key = "@keys.normalize(#name)")
		public String byBean(String name) {
			return name;
		}

		@RateLimited("api")
		public String shared(String anything) {
			return anything;
		}

		@RateLimited("api")
		public void alsoShared() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class InlineService {

		@RateLimited(capacity = 1, window = "1m", bucket = "1s")
		public void ping() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CostService {

		@RateLimited(limit = "budget", key = "'units'", cost = "#units")
		public void take(int units) {
		}

		@RateLimited(limit = "small", skipIf = "#internal")
		public void unlessInternal(boolean internal) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FallbackService {

		@RateLimited(limit = "small", key = "'a'", fallbackMethod = "fallback")
		public String withException(String name) {
			return "ok " + name;
		}

		@RateLimited(limit = "small", key = "'b'", fallbackMethod = "plainFallback")
		public String withoutException(String name) {
			return "ok " + name;
		}

		private String fallback(String name, RateLimitExceededException ex) {
			return "fallback " + name + " after " + ex.getLimitName();
		}

		String plainFallback(String name) {
			return "plain fallback " + name;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@RateLimited("small")
	static class ClassLevelService {

		public void inherits() {
		}

		@RateLimited("big")
		public void overrides() {
		}

	}

	@RateLimited("api")
	interface Greeter {

		@RateLimited(limit = "small", key = "#name")
		String hello(String name);

		void bye();

	}

	static class PoliteGreeter implements Greeter {

		@Override
		public String hello(String name) {
			return "hello " + name;
		}

		@Override
		public void bye() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class InterfaceConfiguration {

		@Bean
		Greeter greeter() {
			return new PoliteGreeter();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RepeatedService {

		@RateLimited(limit = "per-user", key = "#user")
		@RateLimited(limit = "global", key = "'all'")
		public void call(String user) {
		}

	}

	static class PlanService {

		@RateLimited(limit = "free", key = "#tenant")
		public void call(String tenant) {
		}

		@RateLimited(key = "#tenant")
		public String resolverOnly(String tenant) {
			return tenant;
		}

	}

	static class RecordingResolver implements LimitResolver {

		volatile LimitResolver.Call last;

		@Override
		public @Nullable RateLimit resolve(Call call) {
			this.last = call;
			return call.key().startsWith("pro") ? call.limiter().limits().get("pro") : null;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ResolverConfiguration {

		@Bean
		PlanService planService() {
			return new PlanService();
		}

		@Bean
		RecordingResolver resolver() {
			return new RecordingResolver();
		}

	}

}
