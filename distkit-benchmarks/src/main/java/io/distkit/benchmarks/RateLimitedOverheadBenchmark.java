package io.distkit.benchmarks;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.distkit.spring.boot.annotation.RateLimited;
import io.distkit.spring.boot.autoconfigure.DistkitAnnotationsAutoConfiguration;
import io.distkit.spring.boot.autoconfigure.DistkitRateLimitAutoConfiguration;

/**
 * What {@code @RateLimited} costs per call: a method of a Spring bean limited by a local limit that admits everything
 * (default key), called through its Spring AOP proxy ({@code DISTKIT_ANNOTATED}), against the same work called
 * directly on the unproxied object ({@code DIRECT}). The difference of the two average times is the annotation's
 * overhead (target: at most 1 µs per call).
 *
 * <p>Run: {@code java -jar distkit-benchmarks/target/benchmarks.jar RateLimitedOverheadBenchmark}
 */
@State(Scope.Benchmark)
@Fork(1)
@Threads(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RateLimitedOverheadBenchmark {

	/** How the method is called. */
	public enum Call {

		/** Through the Spring proxy: the {@code @RateLimited} interceptor decides first. */
		DISTKIT_ANNOTATED,

		/** On the plain object: the baseline. */
		DIRECT

	}

	@Param
	Call contestant;

	private ConfigurableApplicationContext context;

	private Quotes quotes;

	@Setup(Level.Trial)
	public void setUp() {
		this.context = new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
			.properties("distkit.rate-limit.limits.bench.capacity=1000000000", "distkit.rate-limit.limits.bench.provider=local",
					"spring.main.banner-mode=off", "logging.level.root=warn")
			.run();
		this.quotes = (this.contestant == Call.DISTKIT_ANNOTATED) ? this.context.getBean(Quotes.class) : new Quotes();
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.context.close();
	}

	@Benchmark
	public long call() {
		return this.quotes.quote(42L);
	}

	/** The limited bean; its method does a little work so that the call cannot be optimised away. */
	public static class Quotes {

		@RateLimited(limit = "bench")
		public long quote(long seed) {
			return seed * 31 + 7;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DistkitRateLimitAutoConfiguration.class, DistkitAnnotationsAutoConfiguration.class })
	static class Application {

		@Bean
		Quotes quotes() {
			return new Quotes();
		}

	}

}
