package io.distkit.spring.boot.aop;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.spel.support.StandardEvaluationContext;

/**
 * The variables of one call: arguments by name and as {@code #p<index>}, then the caller variables (an argument of the
 * same name wins). The evaluation context is built on first use and shared by every expression of the call. Not
 * thread-safe: one scope per call.
 */
final class EvaluationScope {

	private final ExpressionSupport support;

	private final @Nullable String[] parameterNames;

	private final @Nullable Object[] arguments;

	private final Map<String, @Nullable Object> callerVariables;

	private @Nullable StandardEvaluationContext context;

	EvaluationScope(ExpressionSupport support, @Nullable String[] parameterNames, @Nullable Object[] arguments,
			Map<String, @Nullable Object> callerVariables) {
		this.support = support;
		this.parameterNames = parameterNames;
		this.arguments = arguments;
		this.callerVariables = callerVariables;
	}

	EvaluationContext context() {
		StandardEvaluationContext context = this.context;
		if (context == null) {
			context = new StandardEvaluationContext();
			context.setBeanResolver(this.support.beanResolver());
			context.setTypeLocator(this.support.typeLocator());
			this.callerVariables.forEach(context::setVariable);
			for (int i = 0; i < this.arguments.length; i++) {
				context.setVariable("p" + i, this.arguments[i]);
				if (this.parameterNames != null && i < this.parameterNames.length && this.parameterNames[i] != null) {
					context.setVariable(this.parameterNames[i], this.arguments[i]);
				}
			}
			this.context = context;
		}
		return context;
	}

}
