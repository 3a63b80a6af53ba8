package io.distkit.spring.boot.web;

import java.util.List;
import java.util.Set;

import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;

import io.distkit.ratelimit.BoundLimit;
import io.distkit.spring.boot.aop.RequestKeyExpression;

/**
 * One URL limit ({@code distkit.web.limits[*]}): requests whose path matches one of {@link #paths()} and whose method
 * is one of {@link #methods()} (any, when empty) take one unit of {@link #limit()} for the {@link #key()} the request
 * evaluates to. Immutable.
 *
 * @since 0.1.0
 */
public final class UrlLimit {

	private final String source;

	private final List<PathPattern> paths;

	private final Set<String> methods;

	private final BoundLimit limit;

	private final RequestKeyExpression key;

	/**
	 * Creates a URL limit.
	 * @param source where it is configured, for messages, such as {@code distkit.web.limits[0]}
	 * @param paths the path patterns, matched against the path within the application
	 * @param methods the HTTP methods in upper case; empty for every method
	 * @param limit the limit
	 * @param key the key expression
	 */
	public UrlLimit(String source, List<PathPattern> paths, Set<String> methods, BoundLimit limit,
			RequestKeyExpression key) {
		this.source = source;
		this.paths = List.copyOf(paths);
		this.methods = Set.copyOf(methods);
		this.limit = limit;
		this.key = key;
	}

	/**
	 * Whether a request applies to this limit.
	 * @param method the request's HTTP method
	 * @param path the request's path within the application
	 * @return whether the method and the path match
	 */
	public boolean matches(String method, PathContainer path) {
		if (!this.methods.isEmpty() && !this.methods.contains(method)) {
			return false;
		}
		for (PathPattern pattern : this.paths) {
			if (pattern.matches(path)) {
				return true;
			}
		}
		return false;
	}

	/** Where the limit is configured, such as {@code distkit.web.limits[0]}. */
	public String source() {
		return this.source;
	}

	/** The path patterns. */
	public List<PathPattern> paths() {
		return this.paths;
	}

	/** The HTTP methods; empty for every method. */
	public Set<String> methods() {
		return this.methods;
	}

	/** The limit, bound to its provider. */
	public BoundLimit limit() {
		return this.limit;
	}

	/** The key expression. */
	public RequestKeyExpression key() {
		return this.key;
	}

	@Override
	public String toString() {
		return "UrlLimit[" + this.source + ": " + this.limit.limit().name() + " on "
				+ (this.methods.isEmpty() ? "" : String.join(",", this.methods) + " ") + this.paths + ", " + this.key
				+ "]";
	}

}
