package io.distkit.spring.boot.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import org.springframework.web.util.pattern.PatternParseException;

import io.distkit.ratelimit.RateLimiter;
import io.distkit.spring.boot.aop.AnnotationMetrics;
import io.distkit.spring.boot.aop.ExpressionSupport;
import io.distkit.spring.boot.aop.RequestKeyExpression;
import io.distkit.spring.boot.web.UrlLimit;
import io.distkit.spring.boot.web.UrlLimits;

/**
 * Maps {@code distkit.web.limits} to {@link UrlLimits}, checking every value at start-up: a rejected value becomes an
 * {@link InvalidDistkitPropertyException} naming the property that holds it.
 */
final class WebPropertiesMapper {

	private static final String PREFIX = "distkit.web";

	private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
			"TRACE");

	private final DistkitProperties.Web properties;

	WebPropertiesMapper(DistkitProperties.Web properties) {
		this.properties = properties;
	}

	/**
	 * The URL limits.
	 * @param limiter the rate limiter holding the named limits
	 * @param expressions the expression support of the keys
	 * @param metrics where failed refunds are metered
	 * @param securityFilterOrder the order of Spring Security's filter, which a key using {@code #principal} must
	 * follow
	 */
	UrlLimits urlLimits(RateLimiter limiter, ExpressionSupport expressions, AnnotationMetrics metrics,
			int securityFilterOrder) {
		List<UrlLimit> limits = new ArrayList<>();
		List<DistkitProperties.UrlLimit> configured = this.properties.getLimits();
		for (int i = 0; i < configured.size(); i++) {
			limits.add(urlLimit(PREFIX + ".limits[" + i + "]", configured.get(i), limiter, expressions,
					securityFilterOrder));
		}
		return new UrlLimits(limits, metrics);
	}

	private UrlLimit urlLimit(String base, DistkitProperties.UrlLimit properties, RateLimiter limiter,
			ExpressionSupport expressions, int securityFilterOrder) {
		String name = properties.getLimit();
		if (name == null || name.isBlank()) {
			throw new InvalidDistkitPropertyException(base + ".limit", name,
					"is required: the name of a limit under distkit.rate-limit.limits");
		}
		if (!limiter.limits().containsKey(name)) {
			throw new InvalidDistkitPropertyException(base + ".limit", name, "is not a configured rate limit "
					+ "(configured: " + String.join(", ", limiter.limits().keySet()) + "); define "
					+ "distkit.rate-limit.limits." + name + ".capacity or fix the name");
		}
		return new UrlLimit(base, paths(base, properties.getPaths()), methods(base, properties.getMethods()),
				limiter.limit(name), key(base, properties.getKey(), expressions, securityFilterOrder));
	}

	private static List<PathPattern> paths(String base, List<String> paths) {
		if (paths.isEmpty()) {
			throw new InvalidDistkitPropertyException(base + ".paths", paths,
					"must name at least one path pattern, such as /login or /api/**");
		}
		List<PathPattern> patterns = new ArrayList<>();
		for (int i = 0; i < paths.size(); i++) {
			String path = paths.get(i);
			String property = base + ".paths[" + i + "]";
			if (path == null || !path.startsWith("/")) {
				throw new InvalidDistkitPropertyException(property, path, "must be a path pattern starting with '/'");
			}
			try {
				patterns.add(PathPatternParser.defaultInstance.parse(path));
			}
			catch (PatternParseException ex) {
				throw new InvalidDistkitPropertyException(property, path,
						"is not a valid path pattern: " + ex.getMessage());
			}
		}
		return patterns;
	}

	private static Set<String> methods(String base, List<String> methods) {
		Set<String> normalized = new LinkedHashSet<>();
		for (int i = 0; i < methods.size(); i++) {
			String method = methods.get(i);
			String upper = (method != null) ? method.trim().toUpperCase(Locale.ROOT) : "";
			if (!METHODS.contains(upper)) {
				throw new InvalidDistkitPropertyException(base + ".methods[" + i + "]", method,
						"must be an HTTP method: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS or TRACE");
			}
			normalized.add(upper);
		}
		return normalized;
	}

	private RequestKeyExpression key(String base, String text, ExpressionSupport expressions,
			int securityFilterOrder) {
		String property = base + ".key";
		if (text == null || text.isBlank()) {
			throw new InvalidDistkitPropertyException(property, text,
					"must not be empty; the default, #clientIp, counts per client address");
		}
		RequestKeyExpression key;
		try {
			key = expressions.requestKey(text, base);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidDistkitPropertyException(property, text, ex.getMessage());
		}
		int filterOrder = this.properties.getFilterOrder();
		if (key.callerVariables().contains("principal") && filterOrder <= securityFilterOrder) {
			throw new InvalidDistkitPropertyException(property, text, "uses #principal, which Spring Security sets "
					+ "only in its filter (order " + securityFilterOrder + "), but distkit's filter runs before it "
					+ "(distkit.web.filter-order=" + filterOrder + "); set distkit.web.filter-order above "
					+ securityFilterOrder + ", or key the limit on #clientIp or #request");
		}
		return key;
	}

}
