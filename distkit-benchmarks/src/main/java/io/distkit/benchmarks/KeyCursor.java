package io.distkit.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * One thread's position in the trial's {@link BenchmarkKeys}: threads start evenly spaced and each walks the keys in
 * order, wrapping around, so the benchmark loop neither allocates nor shares a counter between threads.
 */
@State(Scope.Thread)
public class KeyCursor {

	private CounterKey[] keys;

	private int index;

	@Setup(Level.Trial)
	public void setUp(BenchmarkKeys shared, ThreadParams thread) {
		this.keys = shared.all();
		int stride = Math.max(1, this.keys.length / thread.getThreadCount());
		this.index = (int) (((long) thread.getThreadIndex() * stride) % this.keys.length);
	}

	/** The next key of this thread. */
	CounterKey next() {
		int next = this.index + 1;
		if (next == this.keys.length) {
			next = 0;
		}
		this.index = next;
		return this.keys[next];
	}

}
