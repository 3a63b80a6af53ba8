package io.distkit.ratelimit;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** A random generator that returns given values in turn and records how often it was asked. */
final class ScriptedRandom implements RandomGenerator {

	private final double[] values;

	private final List<Double> drawn = new ArrayList<>();

	ScriptedRandom(double... values) {
		this.values = values;
	}

	@Override
	public synchronized double nextDouble() {
		double value = this.values[this.drawn.size() % this.values.length];
		this.drawn.add(value);
		return value;
	}

	@Override
	public long nextLong() {
		throw new UnsupportedOperationException("only nextDouble() is used");
	}

	synchronized int draws() {
		return this.drawn.size();
	}

}
