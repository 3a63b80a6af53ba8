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

import io.distkit.benchmarks.impl.BenchmarkRedis;

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

	private String prefix;

	private BenchmarkRedis redis;

	private BasicCounter counter;

	@Setup(Level.Trial)
	public void setUp() {
		this.prefix = BenchmarkRedis.uniquePrefix();
		this.redis = BenchmarkRedis.fromEnvironment();
		try {
			this.counter = this.contestant.create(this.redis, this.prefix);
		}
		catch (RuntimeException ex) {
			// JMH skips the tear-down of a failed set-up, and Redisson's threads would keep the fork alive
			try {
				tearDown();
			}
			catch (RuntimeException cleanup) {
				ex.addSuppressed(cleanup);
			}
			throw ex;
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		try {
			if (this.counter != null) {
				this.counter.close();
			}
			this.redis.deleteKeys(this.prefix);
		}
		finally {
			this.redis.close();
		}
	}

	@Benchmark
	public long inc(KeyCursor cursor) {
		return this.counter.inc(cursor.next());
	}

}
