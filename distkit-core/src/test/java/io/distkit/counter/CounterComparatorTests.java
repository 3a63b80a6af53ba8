package io.distkit.counter;

import org.junit.jupiter.api.Test;

import io.distkit.CounterOverflowException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CounterComparatorTests {

	@Test
	void matches_currentValueOnTheLeft() { // CMP-01
		assertThat(CounterComparator.eq(5).matches(5)).isTrue();
		assertThat(CounterComparator.lt(5).matches(4)).isTrue();
		assertThat(CounterComparator.gt(5).matches(6)).isTrue();
		assertThat(CounterComparator.ne(5).matches(4)).isTrue();
		assertThat(CounterComparator.nil().matches(-99)).isTrue();
		assertThat(CounterComparator.eq(5).matches(4)).isFalse();
		assertThat(CounterComparator.lt(5).matches(5)).isFalse();
		assertThat(CounterComparator.gt(5).matches(5)).isFalse();
		assertThat(CounterComparator.ne(5).matches(5)).isFalse();
	}

	@Test
	void matches_rateLimitScenario() { // rate limiting C-08: the comparators of the conditional sets
		assertThat(CounterComparator.eq(5).matches(5)).isTrue();
		assertThat(CounterComparator.eq(5).matches(6)).isFalse();
		assertThat(CounterComparator.lt(5).matches(4)).isTrue();
		assertThat(CounterComparator.lt(5).matches(6)).isFalse();
		assertThat(CounterComparator.gt(5).matches(6)).isTrue();
		assertThat(CounterComparator.gt(5).matches(4)).isFalse();
		assertThat(CounterComparator.ne(5).matches(4)).isTrue();
		assertThat(CounterComparator.ne(5).matches(6)).isTrue();
		assertThat(CounterComparator.nil().matches(0)).isTrue();
		assertThat(CounterComparator.nil().matches(CounterOverflowException.MAX_VALUE)).isTrue();
	}

	@Test
	void wireNamesAndOperands() {
		assertThat(CounterComparator.eq(1).wireName()).isEqualTo("eq");
		assertThat(CounterComparator.lt(2).wireName()).isEqualTo("lt");
		assertThat(CounterComparator.gt(3).wireName()).isEqualTo("gt");
		assertThat(CounterComparator.ne(4).wireName()).isEqualTo("ne");
		assertThat(CounterComparator.nil().wireName()).isEqualTo("nil");
		assertThat(CounterComparator.ne(4).operand()).isEqualTo(4);
		assertThat(CounterComparator.nil().operand()).isZero();
	}

	@Test
	void operand_outOfRange() { // spec §10 item 17: comparator operands are checked too
		assertThatExceptionOfType(CounterOverflowException.class)
			.isThrownBy(() -> CounterComparator.eq(CounterOverflowException.MAX_VALUE + 1))
			.withMessage("Counter value out of range: must lie within ±9007199254740991 (comparator operand, "
					+ "value=9007199254740992)");
		assertThat(CounterComparator.lt(-CounterOverflowException.MAX_VALUE).operand())
			.isEqualTo(-CounterOverflowException.MAX_VALUE);
	}

}
