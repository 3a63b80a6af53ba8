package io.distkit.spring.boot.aop;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import io.distkit.ratelimit.RateLimitExceededException;
import io.distkit.spring.boot.annotation.Counted;
import io.distkit.spring.boot.annotation.InvalidAnnotationException;
import io.distkit.spring.boot.annotation.RateLimited;
import io.distkit.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/** Every broken rule of an annotation stops start-up with a message naming the method, the attribute and the value. */
class AnnotationStartupFailureTests {

	private final ApplicationContextRunner runner = AnnotationContexts.runner(TestRedis.uniquePrefix("startup"))
		.withPropertyValues("distkit.rate-limit.limits.api.capacity=5", "distkit.rate-limit.limits.login.capacity=5");

	@Test
	void unknownLimitNameShouldFailStartup() {
		assertFailure(UnknownLimit.class, "Invalid @RateLimited on UnknownLimit.call(): limit 'apii' is not configured "
				+ "(configured: api, login); define distkit.rate-limit.limits.apii.capacity or fix the name");
	}

	@Test
	void malformedExpressionShouldFailStartup() {
		assertFailureStartingWith(MalformedKey.class,
				"Invalid @RateLimited on MalformedKey.call(String): key '#id +' is not a valid SpEL expression: ");
		assertFailureStartingWith(MalformedCost.class,
				"Invalid @RateLimited on MalformedCost.call(int): cost '#n *' is not a valid SpEL expression: ");
		assertFailureStartingWith(MalformedSkipIf.class,
				"Invalid @RateLimited on MalformedSkipIf.call(): skipIf ')' is not a valid SpEL expression: ");
	}

	@Test
	void unknownVariableShouldFailStartupListingTheKnownOnes() {
		assertFailureStartingWith(UnknownVariable.class, "Invalid @RateLimited on UnknownVariable.call(String): key "
				+ "'#userid' uses the unknown variable #userid (known: #clientIp, #p0, #principal, #request, #userId)");
	}

	@Test
	void unknownBeanShouldFailStartup() {
		assertFailure(UnknownBean.class, "Invalid @RateLimited on UnknownBean.call(String): key '@nope.key(#id)' "
				+ "refers to the bean 'nope', which does not exist");
	}

	@Test
	void overloadsWithDifferentInlineLimitsShouldFailStartup() {
		assertFailureStartingWith(Overloads.class, "Invalid @RateLimited on Overloads.call(String): its inline limit "
				+ "'Overloads.call' (10 per PT1M, bucket PT0.1S) differs from the one of the same name on "
				+ "Overloads.call() (5 per PT1M, bucket PT0.1S)");
	}

	@Test
	void overloadsWithTheSameInlineLimitShouldStart() {
		this.runner.withUserConfiguration(SameOverloads.class).run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void limitAndInlineLimitTogetherShouldFailStartup() {
		assertFailure(BothLimits.class, "Invalid @RateLimited on BothLimits.call(): sets both limit 'api' and an inline "
				+ "limit (capacity, window, bucket); choose one");
	}

	@Test
	void noLimitWithoutLimitResolverShouldFailStartup() {
		assertFailure(NoLimit.class, "Invalid @RateLimited on NoLimit.call(): names no limit: set limit (a configured "
				+ "limit), or capacity and window (an inline limit), or define a LimitResolver bean");
	}

	@Test
	void incompleteOrInvalidInlineLimitShouldFailStartup() {
		assertFailure(CapacityOnly.class, "Invalid @RateLimited on CapacityOnly.call(): an inline limit needs both "
				+ "capacity and window (capacity=5, window='')");
		assertFailure(BadWindow.class, "Invalid @RateLimited on BadWindow.call(): window must be a duration such as "
				+ "\"1m\", \"10s\", \"500ms\" or \"PT1M\" (value='a minute')");
		assertFailure(ZeroCapacity.class,
				"Invalid @RateLimited on ZeroCapacity.call(): capacity must be at least 1 (value=0)");
		assertFailure(TooManyBuckets.class, "Invalid @RateLimited on TooManyBuckets.call(): window must hold at most "
				+ "10000 buckets (bucket PT0.1S); choose a larger bucket (value=PT1H)");
	}

	@Test
	void missingOrUnfitFallbackMethodShouldFailStartup() {
		assertFailure(MissingFallback.class, "Invalid @RateLimited on MissingFallback.call(String): fallbackMethod "
				+ "'onLimit' does not exist: declare onLimit(String[,RateLimitExceededException]) in "
				+ MissingFallback.class.getName());
		assertFailure(UnfitFallback.class, "Invalid @RateLimited on UnfitFallback.call(String): fallbackMethod "
				+ "'onLimit' returns Integer, which is not assignable to String");
	}

	@Test
	void constantCostOutOfRangeShouldFailStartup() {
		assertFailure(NegativeCost.class,
				"Invalid @RateLimited on NegativeCost.call(): cost '-1' must be an integer between 0 and 9007199254740991");
	}

	@Test
	void principalWithoutSpringSecurityShouldFailStartup() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.withUserConfiguration(PrincipalKey.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidAnnotationException.class)
				.hasMessage("Invalid @RateLimited on PrincipalKey.call(): key '#principal.name' uses #principal, which "
						+ "needs Spring Security on the class path"));
	}

	@Test
	void requestWithoutSpringWebShouldFailStartup() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.web"))
			.withUserConfiguration(ClientIpKey.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidAnnotationException.class)
				.hasMessage("Invalid @RateLimited on ClientIpKey.call(): key '#clientIp' uses #clientIp, which needs "
						+ "Spring Web (a servlet or WebFlux application)"));
	}

	@Test
	void countedNameWithSeparatorShouldFailStartup() {
		assertFailure(PipeName.class,
				"Invalid @Counted on PipeName.call(): name must not contain '|', which separates the name from the key "
						+ "(value='a|b')");
		assertFailure(ColonName.class, "Invalid @Counted on ColonName.call(): name must not contain ':' (value='a:b')");
	}

	@Test
	void countedWithoutCounterBeanShouldFailStartup() {
		this.runner.withPropertyValues("distkit.counter.enabled=false")
			.withUserConfiguration(StrictCount.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("Invalid @Counted on StrictCount.call(): type STRICT needs one StrictCounter bean, and "
						+ "there is none (is Redis configured, and distkit.counter.enabled true?); set "
						+ "distkit.counted.enabled=false to ignore @Counted"));
	}

	@Test
	void rateLimitedWithoutRateLimiterShouldFailStartupUnlessIgnored() {
		this.runner.withPropertyValues("distkit.rate-limit.enabled=false")
			.withUserConfiguration(UnknownLimit.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("Invalid @RateLimited on UnknownLimit.call(): there is no RateLimiter bean (is "
						+ "distkit.rate-limit.enabled false?); set distkit.rate-limited.enabled=false to ignore "
						+ "@RateLimited"));
		this.runner.withPropertyValues("distkit.rate-limit.enabled=false", "distkit.rate-limited.enabled=false")
			.withUserConfiguration(UnknownLimit.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				context.getBean(UnknownLimit.class).call();
			});
	}

	private void assertFailure(Class<?> configuration, String message) {
		this.runner.withUserConfiguration(configuration).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(invalidAnnotation(context.getStartupFailure())).hasMessage(message);
		});
	}

	private void assertFailureStartingWith(Class<?> configuration, String message) {
		this.runner.withUserConfiguration(configuration).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(invalidAnnotation(context.getStartupFailure())).hasMessageStartingWith(message);
		});
	}

	/** The annotation failure in a start-up failure's causes (it may itself have a cause, such as a parse error). */
	private static InvalidAnnotationException invalidAnnotation(Throwable failure) {
		Throwable cause = failure;
		while (cause != null && !(cause instanceof InvalidAnnotationException)) {
			cause = cause.getCause();
		}
		assertThat(cause).as("InvalidAnnotationException among the causes of %s", failure).isNotNull();
		return (InvalidAnnotationException) cause;
	}

	@Configuration(proxyBeanMethods = false)
	static class UnknownLimit {

		@RateLimited("apii")
		public void call() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MalformedKey {

		@RateLimited(limit = "api", key = "#id +")
		public void call(String id) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MalformedCost {

		@RateLimited(limit = "api", cost = "#n *")
		public void call(int n) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MalformedSkipIf {

		@RateLimited(limit = "api", skipIf = ")")
		public void call() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UnknownVariable {

		@RateLimited(limit = "api", key = "#userid")
		public void call(String userId) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UnknownBean {

		@RateLimited(limit = "api", key = "@nope.key(#id)")
		public void call(String id) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Overloads {

		@RateLimited(capacity = 5, window = "1m")
		public void call() {
		}

		@RateLimited(capacity = 10, window = "1m")
		public void call(String id) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SameOverloads {

		@RateLimited(capacity = 5, window = "1m")
		public void call() {
		}

		@RateLimited(capacity = 5, window = "60s")
		public void call(String id) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BothLimits {

		@RateLimited(limit = "api", capacity = 5, window = "1m")
		public void call() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NoLimit {

		@RateLimited
		public void call() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CapacityOnly {

		@RateLimited(capacity = 5)
		public void call() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BadWindow {

		@RateLimited(capacity = 5, window = "a minute")
		public void call() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ZeroCapacity {

		@RateLimited(capacity = 0, window = "1m")
		public void call() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TooManyBuckets {

		@RateLimited(capacity = 5, window = "1h")
		public void call() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MissingFallback {

		@RateLimited(limit = "api", fallbackMethod = "onLimit")
		public String call(String id) {
			return id;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UnfitFallback {

		@RateLimited(limit = "api", fallbackMethod = "onLimit")
		public String call(String id) {
			return id;
		}

		Integer onLimit(String id, RateLimitExceededException ex) {
			return 0;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NegativeCost {

		@RateLimited(limit = "api", cost = "-1")
		public void call() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PrincipalKey {

		@RateLimited(limit = "api", key = "#principal.name")
		public void call() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ClientIpKey {

		@RateLimited(limit = "api", key = "#clientIp")
		public void call() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PipeName {

		@Counted("a|b")
		public void call() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ColonName {

		@Counted("a:b")
		public void call() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class StrictCount {

		@Counted(name = "calls", type = Counted.Type.STRICT)
		public void call() {
		}

	}

}
