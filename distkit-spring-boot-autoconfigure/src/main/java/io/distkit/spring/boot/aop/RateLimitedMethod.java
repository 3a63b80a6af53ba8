package io.distkit.spring.boot.aop;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.distkit.ratelimit.BoundLimit;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.spring.boot.web.AppliedLimits;

/**
 * The {@code @RateLimited} annotations of one method, resolved and checked at start-up, and how its calls are
 * decided: the limits apply in order; when one rejects (or fails), the units the earlier ones took are refunded.
 */
final class RateLimitedMethod {

	private final Method method;

	private final String description;

	private final String defaultKey;

	private final List<RateLimitedOperation> operations;

	private final MethodExpressions expressions;

	private final ExpressionSupport support;

	private final Set<String> callerVariables;

	private final ReturnTypeAdapter adapter;

	private final LimitDecisions decisions;

	RateLimitedMethod(Method method, String description, String defaultKey, List<RateLimitedOperation> operations,
			MethodExpressions expressions, ExpressionSupport support, Set<String> callerVariables,
			ReturnTypeAdapter adapter, LimitDecisions decisions) {
		this.method = method;
		this.description = description;
		this.defaultKey = defaultKey;
		this.operations = List.copyOf(operations);
		this.expressions = expressions;
		this.support = support;
		this.callerVariables = Set.copyOf(callerVariables);
		this.adapter = adapter;
		this.decisions = decisions;
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

	List<RateLimitedOperation> operations() {
		return this.operations;
	}

	/**
	 * Decides one call: may touch Redis, so reactive callers run it on a blocking-friendly thread.
	 * @param target the target object
	 * @param arguments the call's arguments
	 * @param callerVariables the call's caller variables
	 * @param applied the applied limits of the web request the call serves, which record each decision (and then
	 * want detailed ones for the response's header fields); {@code null} outside a web request
	 * @return {@code null} when every limit admitted the call, else the rejection
	 */
	@Nullable Rejection acquire(Object target, @Nullable Object[] arguments,
			Map<String, @Nullable Object> callerVariables, @Nullable AppliedLimits applied) {
		EvaluationScope scope = this.expressions.scope(arguments, callerVariables);
		List<Taken> taken = null;
		try {
			for (RateLimitedOperation operation : this.operations) {
				CheckedExpression skipIf = operation.skipIf();
				if (skipIf != null && skipIf.condition(scope)) {
					continue;
				}
				CheckedExpression keyExpression = operation.key();
				String key = (keyExpression != null) ? keyExpression.key(scope) : this.defaultKey;
				long cost = operation.cost().number(scope, 0, RateLimit.MAX_COUNT);
				BoundLimit limit = this.decisions.limitOf(operation, this.method, this.description, target, arguments,
						key);
				RateLimitDecision decision = (applied != null) ? applied.decide(limit, key, cost)
						: limit.inc(key, cost);
				if (!decision.isAdmitted()) {
					refund(taken, applied);
					return new Rejection(operation, this.decisions.rejection(limit, decision));
				}
				if (cost > 0 && decision != RateLimitDecision.Allowed.DEGRADED && this.operations.size() > 1) {
					if (taken == null) {
						taken = new ArrayList<>(this.operations.size());
					}
					taken.add(new Taken(limit, key, cost));
				}
			}
		}
		catch (RuntimeException | Error ex) {
			refund(taken, applied);
			throw ex;
		}
		return null;
	}

	@Override
	public String toString() {
		return "@RateLimited " + this.description;
	}

	private void refund(@Nullable List<Taken> taken, @Nullable AppliedLimits applied) {
		if (taken != null) {
			for (Taken units : taken) {
				if (this.decisions.refund(units.limit(), units.key(), units.cost()) && applied != null) {
					applied.refunded(units.limit().limit(), units.cost());
				}
			}
		}
	}

	private record Taken(BoundLimit limit, String key, long cost) {
	}

}
