package io.distkit.benchmarks;

/**
 * Which keys a benchmark's threads touch: every call on one hot key, or calls spread over 10,000 keys that each
 * thread walks in order from its own starting point.
 */
public enum KeyDistribution {

	/** Every call increments the same key: the most contended case. */
	HOT_KEY(1),

	/** Calls are spread over 10,000 keys. */
	KEYS_10000(10_000);

	private final int size;

	KeyDistribution(int size) {
		this.size = size;
	}

	/** How many distinct keys this distribution touches. */
	public int size() {
		return this.size;
	}

	/** The keys {@code k0} … {@code k<size - 1>}, made once per trial. */
	CounterKey[] create() {
		CounterKey[] keys = new CounterKey[this.size];
		for (int i = 0; i < this.size; i++) {
			keys[i] = CounterKey.of("k" + i);
		}
		return keys;
	}

}
