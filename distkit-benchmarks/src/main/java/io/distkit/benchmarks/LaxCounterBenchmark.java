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

import io.distkit.benchmarks.impl.JitQuiescence;
import io.distkit.benchmarks.impl.RedisTrial;

/**
 * Throughput of a buffered increment by one, the hot path of page-view and analytics counters: distkit's
 * {@link io.distkit.counter.LaxCounter#inc} against a {@code ConcurrentHashMap<String, LongAdder>} (the in-process
 * floor) and Redisson's {@code RLongAdder} (one per key in a {@code ConcurrentHashMap}). None of them does I/O on the
 * caller's thread; distkit flushes to Redis every 20 ms in the background, inside the measurement.
 *
 * <p>Parameters: {@code contestant} ({@link LaxCounterType}) and {@code keys} ({@link KeyDistribution}: one hot key,
 * or 10,000 keys that each thread walks from its own starting point). Every key is touched once during set-up, so the
 * measurement sees warm keys. Each trial uses a namespace of its own on the Redis named by {@code REDIS_URL} (default
 * {@code redis://127.0.0.1:6379}) and deletes its keys afterwards.
 *
 * <p>Run (threads come from the command line; the documented runs use 1 and 8):
 * <pre>
 * java -jar distkit-benchmarks/target/benchmarks.jar LaxCounterBenchmark -t 8
 * distkit-benchmarks/run.sh LaxCounterBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LaxCounterBenchmark {

	@Param
	LaxCounterType contestant;

	private RedisTrial<BasicCounter> trial;

	private BasicCounter counter;

	@Setup(Level.Trial)
	public void setUp(BenchmarkKeys keys) {
		this.trial = RedisTrial.open((redis, prefix) -> this.contestant.create(redis, prefix));
		this.counter = this.trial.contestant();
		for (CounterKey key : keys.all()) {
			this.counter.inc(key); // warm every key: the measurement sees existing state
		}
		JitQuiescence.await();
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
