package io.distkit.spring.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.distkit.spring.boot.annotation.InvalidAnnotationException;

/**
 * Turns an {@link InvalidAnnotationException} into a start-up report that names the annotated method, the rule its
 * {@code @RateLimited} or {@code @Counted} annotation broke, and what to change.
 *
 * @since 0.1.0
 */
class DistkitAnnotationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidAnnotationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidAnnotationException cause) {
		String description = "Invalid distkit annotation on " + cause.getMethod() + ": " + cause.getRule() + ".";
		String action = "Fix the annotation on " + cause.getMethod() + " (the README's annotation reference lists "
				+ "every attribute and expression variable), or the configuration it refers to.";
		return new FailureAnalysis(description, action, cause);
	}

}
