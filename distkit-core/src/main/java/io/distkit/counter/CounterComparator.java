package io.distkit.counter;

import io.distkit.CounterOverflowException;

/**
 * A condition on a counter's current value, used by every conditional ({@code *If}) operation. The current value is
 * on the left: {@code lt(5).matches(4)} is {@code true}. {@link #nil()} always matches; every unconditional write is
 * the conditional write with {@code nil()}, which also lets a batch mix guarded and unguarded items.
 *
 * <p>Operands must lie within ±(2<sup>53</sup> − 1); factories throw {@link CounterOverflowException} otherwise.
 * Instances are immutable values.
 *
 * @since 0.1.0
 */
public sealed interface CounterComparator {

	/** Matches when the current value equals {@code operand}. */
	static CounterComparator eq(long operand) {
		return new Eq(checked(operand));
	}

	/** Matches when the current value is less than {@code operand}. */
	static CounterComparator lt(long operand) {
		return new Lt(checked(operand));
	}

	/** Matches when the current value is greater than {@code operand}. */
	static CounterComparator gt(long operand) {
		return new Gt(checked(operand));
	}

	/** Matches when the current value differs from {@code operand}. */
	static CounterComparator ne(long operand) {
		return new Ne(checked(operand));
	}

	/** Always matches. */
	static CounterComparator nil() {
		return Nil.INSTANCE;
	}

	/**
	 * Whether the condition holds for {@code current}.
	 * @param current the counter's current value
	 * @return {@code true} if it holds
	 */
	boolean matches(long current);

	/** The name scripts receive: {@code eq}, {@code lt}, {@code gt}, {@code ne} or {@code nil}. */
	String wireName();

	/** The operand ({@code 0} for {@code nil}). */
	long operand();

	private static long checked(long operand) {
		if (operand > CounterOverflowException.MAX_VALUE || operand < -CounterOverflowException.MAX_VALUE) {
			throw CounterOverflowException.forValue("comparator operand", operand);
		}
		return operand;
	}

	/** {@code current == operand}. */
	record Eq(long operand) implements CounterComparator {

		@Override
		public boolean matches(long current) {
			return current == this.operand;
		}

		@Override
		public String wireName() {
			return "eq";
		}

	}

	/** {@code current < operand}. */
	record Lt(long operand) implements CounterComparator {

		@Override
		public boolean matches(long current) {
			return current < this.operand;
		}

		@Override
		public String wireName() {
			return "lt";
		}

	}

	/** {@code current > operand}. */
	record Gt(long operand) implements CounterComparator {

		@Override
		public boolean matches(long current) {
			return current > this.operand;
		}

		@Override
		public String wireName() {
			return "gt";
		}

	}

	/** {@code current != operand}. */
	record Ne(long operand) implements CounterComparator {

		@Override
		public boolean matches(long current) {
			return current != this.operand;
		}

		@Override
		public String wireName() {
			return "ne";
		}

	}

	/** Always true. */
	enum Nil implements CounterComparator {

		INSTANCE;

		@Override
		public boolean matches(long current) {
			return true;
		}

		@Override
		public String wireName() {
			return "nil";
		}

		@Override
		public long operand() {
			return 0;
		}

		@Override
		public String toString() {
			return "Nil";
		}

	}

}
