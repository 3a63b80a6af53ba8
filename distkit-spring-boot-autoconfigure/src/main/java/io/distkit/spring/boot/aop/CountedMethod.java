package io.distkit.spring.boot.aop;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.distkit.CounterOverflowException;
import io.distkit.RedisKey;
import io.distkit.spring.boot.annotation.Counted;

/**
 * The {@code @Counted} annotations of one method, resolved and checked at start-up. A call's fields and increments
 * are evaluated before the method runs ({@link #prepare}), so a failing expression stops the call before it has any
 * effect; they are counted once it ends ({@link PreparedCounts#record}).
 */
final class CountedMethod {

	private final String description;

	private final List<CountedOperation> operations;

	private final MethodExpressions expressions;

	private final ExpressionSupport support;

	private final Set<String> callerVariables;

	private final ReturnTypeAdapter adapter;

	private final CountFailures failures;

	private final boolean touchesRedis;

	CountedMethod(String description, List<CountedOperation> operations, MethodExpressions expressions,
			ExpressionSupport support, Set<String> callerVariables, ReturnTypeAdapter adapter, CountFailures failures) {
		this.description = description;
		this.operations = List.copyOf(operations);
		this.expressions = expressions;
		this.support = support;
		this.callerVariables = Set.copyOf(callerVariables);
		this.adapter = adapter;
		this.failures = failures;
		this.touchesRedis = operations.stream().anyMatch((operation) -> operation.type() == Counted.Type.STRICT);
	}

	ReturnTypeAdapter adapter() {
		return this.adapter;
	}

	/** The caller variables this method's expressions use. */
	Set<String> callerVariables() {
		return this.callerVariables;
	}

	/** The caller variables of a call on the current thread. */
	Map<String, @Nullable Object> collectCallerVariables() {
		return this.support.collect(this.callerVariables);
	}

	List<CountedOperation> operations() {
		return this.operations;
	}

	/**
	 * Evaluates the fields and increments of one call.
	 * @throws io.distkit.spring.boot.annotation.AnnotationExpressionException if an expression fails
	 */
	PreparedCounts prepare(@Nullable Object[] arguments, Map<String, @Nullable Object> callerVariables) {
		EvaluationScope scope = this.expressions.scope(arguments, callerVariables);
		RedisKey[] fields = new RedisKey[this.operations.size()];
		long[] increments = new long[fields.length];
		for (int i = 0; i < fields.length; i++) {
			CountedOperation operation = this.operations.get(i);
			CheckedExpression key = operation.key();
			fields[i] = CounterFields.field(operation.name(), (key != null) ? key.key(scope) : null);
			increments[i] = operation.increment().number(scope, -CounterOverflowException.MAX_VALUE,
					CounterOverflowException.MAX_VALUE);
		}
		return new PreparedCounts(this, fields, increments);
	}

	boolean touchesRedis() {
		return this.touchesRedis;
	}

	CountFailures failures() {
		return this.failures;
	}

	@Override
	public String toString() {
		return "@Counted " + this.description;
	}

}
