package io.distkit.spring.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link InvalidDistkitPropertyException} into a start-up report that names the property, its value, the
 * rule it broke and what to change.
 *
 * @since 0.1.0
 */
class DistkitFailureAnalyzer extends AbstractFailureAnalyzer<InvalidDistkitPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidDistkitPropertyException cause) {
		String description = "Invalid distkit configuration: property '" + cause.getProperty() + "' has the value '"
				+ cause.getValue() + "', but it " + cause.getRule() + ".";
		String action = "Update '" + cause.getProperty() + "' in your application's configuration (for example "
				+ "application.yml) so that it " + cause.getRule() + ". The README's property table lists every "
				+ "distkit property with its default.";
		return new FailureAnalysis(description, action, cause);
	}

}
