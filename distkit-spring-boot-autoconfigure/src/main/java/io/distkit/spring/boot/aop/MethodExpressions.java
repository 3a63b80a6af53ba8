package io.distkit.spring.boot.aop;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.SpelNode;
import org.springframework.expression.spel.ast.BeanReference;
import org.springframework.expression.spel.ast.FunctionReference;
import org.springframework.expression.spel.ast.VariableReference;
import org.springframework.expression.spel.standard.SpelExpression;

import io.distkit.spring.boot.annotation.InvalidAnnotationException;

/**
 * Parses and checks the expressions of one annotated method: every variable must be a parameter (by name or as
 * {@code #p<index>}), a caller variable the application offers, {@code #root} or {@code #this}; every {@code @bean}
 * must exist. A broken rule is an {@link InvalidAnnotationException} naming the method, attribute and expression.
 */
final class MethodExpressions {

	private final ExpressionSupport support;

	private final int parameterCount;

	private final @Nullable String[] parameterNames;

	private final String annotation;

	private final String description;

	private final String label;

	MethodExpressions(ExpressionSupport support, int parameterCount, @Nullable String[] parameterNames,
			String annotation, String description, String label) {
		this.support = support;
		this.parameterCount = parameterCount;
		this.parameterNames = parameterNames;
		this.annotation = annotation;
		this.description = description;
		this.label = label;
	}

	String description() {
		return this.description;
	}

	String annotation() {
		return this.annotation;
	}

	/** What runtime messages call the expressions' owner, such as {@code @RateLimited}. */
	String label() {
		return this.label;
	}

	/**
	 * Parses and checks one expression.
	 * @param attribute the annotation attribute holding it
	 * @param text the expression
	 * @return the checked expression
	 * @throws InvalidAnnotationException if it is malformed or uses an unknown variable, function or bean
	 */
	CheckedExpression parse(String attribute, String text) {
		Long constant = constant(text);
		if (constant != null) {
			return new CheckedExpression(this, attribute, text, null, constant, Set.of());
		}
		Expression expression;
		try {
			expression = this.support.parser().parseExpression(text);
		}
		catch (ParseException ex) {
			throw invalid(attribute, text, "is not a valid SpEL expression: " + ex.getMessage(), ex);
		}
		Set<String> callerVariables = new LinkedHashSet<>();
		if (expression instanceof SpelExpression spel) {
			check(attribute, text, spel.getAST(), callerVariables);
		}
		return new CheckedExpression(this, attribute, text, expression, null, Set.copyOf(callerVariables));
	}

	/** A scope of one call, in which this method's expressions are evaluated. */
	EvaluationScope scope(@Nullable Object[] arguments, Map<String, @Nullable Object> callerVariables) {
		return new EvaluationScope(this.support, this.parameterNames, arguments, callerVariables);
	}

	private void check(String attribute, String text, SpelNode node, Set<String> callerVariables) {
		if (node instanceof FunctionReference) {
			throw invalid(attribute, text, "calls the function '" + node.toStringAST()
					+ "', but no functions are registered", null);
		}
		if (node instanceof VariableReference) {
			String name = node.toStringAST().substring(1);
			if (!isParameter(name) && !name.equals("this") && !name.equals("root")) {
				if (this.support.callerVariableNames().contains(name)) {
					callerVariables.add(name);
				}
				else {
					throw invalid(attribute, text, unknownVariable(name), null);
				}
			}
		}
		if (node instanceof BeanReference bean && !bean.getName().startsWith("&")
				&& !this.support.containsBean(bean.getName())) {
			throw invalid(attribute, text, "refers to the bean '" + bean.getName() + "', which does not exist", null);
		}
		for (int i = 0; i < node.getChildCount(); i++) {
			check(attribute, text, node.getChild(i), callerVariables);
		}
	}

	private boolean isParameter(String name) {
		if (name.length() > 1 && name.length() < 10 && name.charAt(0) == 'p'
				&& name.substring(1).chars().allMatch((c) -> c >= '0' && c <= '9')) {
			return Integer.parseInt(name.substring(1)) < this.parameterCount;
		}
		if (this.parameterNames != null) {
			for (String parameter : this.parameterNames) {
				if (name.equals(parameter)) {
					return true;
				}
			}
		}
		return false;
	}

	private String unknownVariable(String name) {
		String needs = ExpressionSupport.CALLER_VARIABLES.get(name);
		if (needs != null) {
			return "uses #" + name + ", which " + needs;
		}
		Set<String> known = new TreeSet<>();
		if (this.parameterNames != null) {
			for (String parameter : this.parameterNames) {
				if (parameter != null) {
					known.add("#" + parameter);
				}
			}
		}
		List<String> positional = new ArrayList<>();
		for (int i = 0; i < this.parameterCount; i++) {
			positional.add("#p" + i);
		}
		known.addAll(positional);
		this.support.callerVariableNames().forEach((variable) -> known.add("#" + variable));
		String hint = (this.parameterNames == null && this.parameterCount > 0)
				? "; parameter names are not available: compile with '-parameters' or use #p0, #p1, ..." : "";
		return "uses the unknown variable #" + name + " (known: " + String.join(", ", known) + ")" + hint;
	}

	private InvalidAnnotationException invalid(String attribute, String text, String rule, @Nullable Throwable cause) {
		String message = attribute + " '" + text + "' " + rule;
		return (cause != null) ? new InvalidAnnotationException(this.annotation, this.description, message, cause)
				: new InvalidAnnotationException(this.annotation, this.description, message);
	}

	private static @Nullable Long constant(String text) {
		String trimmed = text.trim();
		if (trimmed.isEmpty() || trimmed.length() > 18) {
			return null;
		}
		int start = (trimmed.charAt(0) == '-') ? 1 : 0;
		if (start == trimmed.length()) {
			return null;
		}
		for (int i = start; i < trimmed.length(); i++) {
			if (trimmed.charAt(i) < '0' || trimmed.charAt(i) > '9') {
				return null;
			}
		}
		return Long.parseLong(trimmed);
	}

}
