package io.distkit.counter;

/**
 * The outcome of a conditional write: the value after the operation and the value before it. When the condition did
 * not match, nothing changed and both are the current value.
 *
 * @param newValue the value after the operation
 * @param oldValue the value before the operation
 * @since 0.1.0
 */
public record CounterUpdate(long newValue, long oldValue) {

	/** Whether the value changed (a matching write of the same value reports {@code false}). */
	public boolean changed() {
		return this.newValue != this.oldValue;
	}

}
