package io.distkit.spring.boot.aop;

import org.jspecify.annotations.Nullable;

import io.distkit.counter.Counter;
import io.distkit.spring.boot.annotation.Counted;

/**
 * One {@code @Counted} annotation of a method, resolved at start-up.
 *
 * @param name the count's name
 * @param key the key expression, or {@code null} for none
 * @param increment the increment expression
 * @param when which outcomes count
 * @param type the counter type
 * @param counter the counter bean of that type
 */
record CountedOperation(String name, @Nullable CheckedExpression key, CheckedExpression increment, Counted.When when,
		Counted.Type type, Counter counter) {

	/** Whether a call that ended so counts. */
	boolean counts(boolean success) {
		return this.when == Counted.When.ALWAYS || (this.when == Counted.When.SUCCESS) == success;
	}

	/** The type as meters and messages spell it. */
	String typeName() {
		return (this.type == Counted.Type.STRICT) ? "strict" : "lax";
	}

}
