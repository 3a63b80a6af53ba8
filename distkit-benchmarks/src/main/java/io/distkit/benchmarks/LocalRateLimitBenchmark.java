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

/**
 * Throughput of an in-process rate-limit decision: distkit's local provider (absolute and suppressed) against
 * Bucket4j's local bucket and Resilience4j's rate limiter, each finding its key in a map. {@code load} chooses limits
 * that admit everything or almost nothing; {@code keys} one hot key or 10,000 keys.
 *
 * <p>Run (threads from the command line; the documented runs use 1 and 8):
 * <pre>
 * java -jar distkit-benchmarks/target/benchmarks.jar LocalRateLimitBenchmark -t 8
 * java -jar distkit-benchmarks/target/benchmarks.jar LocalRateLimitBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LocalRateLimitBenchmark {

	@Param
	LocalLimiterType contestant;

	@Param
	LimiterLoad load;

	private BasicLimiter limiter;

	@Setup(Level.Trial)
	public void setUp(BenchmarkKeys keys) {
		this.limiter = this.contestant.create(this.load);
		for (CounterKey key : keys.all()) {
			this.limiter.tryAcquire(key); // warm every key: the measurement sees existing state
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.limiter.close();
	}

	@Benchmark
	public boolean decide(KeyCursor cursor) {
		return this.limiter.tryAcquire(cursor.next());
	}

}
