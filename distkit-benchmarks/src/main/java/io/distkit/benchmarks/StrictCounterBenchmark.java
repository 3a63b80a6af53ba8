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
 * Throughput of an exact increment by one that waits for Redis's answer: distkit's
 * {@link io.distkit.counter.StrictCounter#inc} against raw Lettuce {@code EVALSHA} of a one-line {@code HINCRBY}
 * script on a hash through one shared connection (the floor: one round trip and nothing else) and Redisson's
 * {@code RAtomicLong.incrementAndGet()} (one per key in a {@code ConcurrentHashMap}). The numbers are bounded by the
 * round trip time and by how many commands one connection keeps in flight, so they depend on the Redis and the
 * network more than on the JVM.
 *
 * <p>Parameters: {@code contestant} ({@link StrictCounterType}) and {@code keys} ({@link KeyDistribution}: one hot
 * key, or 10,000 keys that each thread walks from its own starting point). Each trial uses a namespace of its own on
 * the Redis named by {@code REDIS_URL} (default {@code redis://127.0.0.1:6379}) and deletes its keys afterwards.
 *
 * <p>Run (threads come from the command line; the documented runs use 1, 8 and 64):
 * <pre>
 * java -jar distkit-benchmarks/target/benchmarks.jar StrictCounterBenchmark -t 64
 * distkit-benchmarks/run.sh StrictCounterBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StrictCounterBenchmark {

	@Param
	StrictCounterType contestant;

	private RedisTrial<BasicCounter> trial;

	private BasicCounter counter;

	@Setup(Level.Trial)
	public void setUp() {
		this.trial = RedisTrial.open((redis, prefix) -> this.contestant.create(redis, prefix));
		this.counter = this.trial.contestant();
	}

	@TearDown(Level.Trial)
	public void tearDown() throws Exception {
		this.trial.close();
	}

	@Benchmark
	public long inc(KeyCursor cursor) {
		return this.counter.inc(cursor.next());
	}

}
