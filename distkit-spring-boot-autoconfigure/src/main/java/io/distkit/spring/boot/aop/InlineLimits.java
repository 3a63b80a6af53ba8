package io.distkit.spring.boot.aop;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.distkit.ratelimit.RateLimit;
import io.distkit.spring.boot.annotation.InvalidAnnotationException;

/**
 * The inline limits of one application, by name. Overloads of a method (and same-named methods of classes with the
 * same simple name) share a name, so they must declare the same limit.
 */
final class InlineLimits {

	private final Map<String, Declared> limits = new ConcurrentHashMap<>();

	/**
	 * Registers the inline limit of {@code description}.
	 * @throws InvalidAnnotationException if a different limit of the same name is declared elsewhere
	 */
	void register(RateLimit limit, String description) {
		Declared existing = this.limits.putIfAbsent(limit.name(), new Declared(limit, description));
		if (existing != null && !existing.limit().equals(limit)) {
			throw new InvalidAnnotationException("RateLimited", description, "its inline limit '" + limit.name() + "' ("
					+ limit.capacity() + " per " + limit.window() + ", bucket " + limit.bucket()
					+ ") differs from the one of the same name on " + existing.description() + " ("
					+ existing.limit().capacity() + " per " + existing.limit().window() + ", bucket "
					+ existing.limit().bucket() + "); give overloads the same inline limit, or use named limits");
		}
	}

	private record Declared(RateLimit limit, String description) {
	}

}
