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
import org.openjdk.jmh.annotations.Warmup;

import io.distkit.benchmarks.impl.RedisTrial;

/**
 * The hybrid provider against the local and the Redis provider, same limit, same keys: what the local fast path of the
 * hybrid costs over pure memory, and what it saves over a round trip per decision.
 *
 * <p>Run (the documented runs use 1 and 8 threads; the hybrid is not Redis-bound, so not 64):
 * <pre>
 * java -jar distkit-benchmarks/target/benchmarks.jar HybridRateLimitBenchmark -t 1
 * </pre>
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HybridRateLimitBenchmark {

	@Param
	ProviderLimiterType contestant;

	@Param({ "ADMITTED" })
	LimiterLoad load;

	private RedisTrial<BasicLimiter> trial;

	private BasicLimiter limiter;

	@Setup(Level.Trial)
	public void setUp() {
		this.trial = RedisTrial.open((redis, prefix) -> this.contestant.create(redis, prefix, this.load));
		this.limiter = this.trial.contestant();
	}

	@TearDown(Level.Trial)
	public void tearDown() throws Exception {
		this.trial.close();
	}

	@Benchmark
	public boolean decide(KeyCursor cursor) {
		return this.limiter.tryAcquire(cursor.next());
	}

}
