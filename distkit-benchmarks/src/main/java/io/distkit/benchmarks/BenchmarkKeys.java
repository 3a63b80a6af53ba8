package io.distkit.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The keys of one trial, shared by all threads and chosen by the {@code keys} parameter. Each thread walks them with
 * its own {@link KeyCursor}. Public and not final because JMH generates subclasses of its states.
 */
@State(Scope.Benchmark)
public class BenchmarkKeys {

	@Param
	KeyDistribution keys;

	private CounterKey[] all;

	@Setup(Level.Trial)
	public void setUp() {
		this.all = this.keys.create();
	}

	/** Every key of this trial. */
	CounterKey[] all() {
		return this.all;
	}

}
