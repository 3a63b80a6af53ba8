package io.distkit.benchmarks;

/**
 * How much the limits admit: everything (the common case of a limit far from full), or almost nothing (a key under
 * attack).
 */
public enum LimiterLoad {

	/** Limits so high that every call is admitted. */
	ADMITTED(1_000_000_000L),

	/** 10 units per 10 s window: after the first few calls every call is rejected. */
	MOSTLY_REJECTED(10);

	private final long capacityPerWindow;

	LimiterLoad(long capacityPerWindow) {
		this.capacityPerWindow = capacityPerWindow;
	}

	/** Units admitted per 10 s window. */
	public long capacityPerWindow() {
		return this.capacityPerWindow;
	}

}
