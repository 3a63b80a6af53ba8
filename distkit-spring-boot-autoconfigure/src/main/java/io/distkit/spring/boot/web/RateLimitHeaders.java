package io.distkit.spring.boot.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Formats the rate-limit header fields of applied limits. The IETF fields of draft-ietf-httpapi-ratelimit-headers-10
 * are structured-field lists with one item per limit, named after it:
 *
 * <pre>
 * RateLimit-Policy: "api";q=100;w=60, "burst";q=10;w=1
 * RateLimit: "api";r=97;t=58, "burst";r=9;t=1
 * </pre>
 *
 * {@code q} is the capacity (a suppressed limit's soft capacity), {@code w} the window in seconds, {@code r} the units
 * left and {@code t} the seconds until more become available, all rounded up to whole seconds. A limit whose remaining
 * units are unknown (decided with {@code inc}) is listed in {@code RateLimit-Policy} only. The legacy fields
 * ({@code X-RateLimit-Limit}, {@code -Remaining}, {@code -Reset}, the last in seconds from now) hold one limit: the
 * one with the fewest units left (on a rejection, the rejecting one).
 *
 * @since 0.1.0
 */
public final class RateLimitHeaders {

	/** The IETF policy field. */
	public static final String RATE_LIMIT_POLICY = "RateLimit-Policy";

	/** The IETF field of the current state. */
	public static final String RATE_LIMIT = "RateLimit";

	/** The legacy field of the capacity. */
	public static final String LEGACY_LIMIT = "X-RateLimit-Limit";

	/** The legacy field of the units left. */
	public static final String LEGACY_REMAINING = "X-RateLimit-Remaining";

	/** The legacy field of the seconds until more units become available. */
	public static final String LEGACY_RESET = "X-RateLimit-Reset";

	/** The largest integer a structured field holds (RFC 9651): larger capacities (unlimited) are capped at it. */
	static final long MAX_INTEGER = 999_999_999_999_999L;

	private RateLimitHeaders() {
	}

	/**
	 * The fields an admitted response carries in {@code style}.
	 * @param applied the applied limits, in order
	 * @param style the style
	 * @return the fields by name, in order; empty when there is nothing to say
	 */
	public static Map<String, String> admitted(List<AppliedLimit> applied, RateLimitHeaderStyle style) {
		Map<String, String> fields = new LinkedHashMap<>();
		if (applied.isEmpty()) {
			return fields;
		}
		if (style.ietf()) {
			ietf(fields, applied);
		}
		if (style.legacy()) {
			legacy(fields, mostRestrictive(applied));
		}
		return fields;
	}

	/**
	 * The fields a rejected response carries: the IETF fields always, the legacy ones (of the rejecting limit) too
	 * when {@code style} asks for them.
	 * @param applied the applied limits, in order, the rejecting one included
	 * @param rejecting the rejecting limit
	 * @param style the style
	 * @return the fields by name, in order
	 */
	public static Map<String, String> rejected(List<AppliedLimit> applied, AppliedLimit rejecting,
			RateLimitHeaderStyle style) {
		Map<String, String> fields = new LinkedHashMap<>();
		ietf(fields, applied);
		if (style.legacy()) {
			legacy(fields, rejecting);
		}
		return fields;
	}

	/**
	 * The {@code RateLimit-Policy} field: every applied limit.
	 * @param applied the applied limits
	 * @return the field's value
	 */
	public static String policy(List<AppliedLimit> applied) {
		StringBuilder field = new StringBuilder();
		for (AppliedLimit limit : applied) {
			item(field, limit).append(";q=").append(integer(limit.quota())).append(";w=").append(limit.windowSeconds());
		}
		return field.toString();
	}

	/**
	 * The {@code RateLimit} field: every applied limit whose remaining units are known.
	 * @param applied the applied limits
	 * @return the field's value, or {@code null} when no limit's remaining units are known
	 */
	public static @Nullable String rateLimit(List<AppliedLimit> applied) {
		StringBuilder field = new StringBuilder();
		for (AppliedLimit limit : applied) {
			if (limit.hasDetails()) {
				item(field, limit).append(";r=").append(integer(limit.remaining())).append(";t=")
					.append(limit.resetSeconds());
			}
		}
		return (field.length() > 0) ? field.toString() : null;
	}

	private static void ietf(Map<String, String> fields, List<AppliedLimit> applied) {
		fields.put(RATE_LIMIT_POLICY, policy(applied));
		String state = rateLimit(applied);
		if (state != null) {
			fields.put(RATE_LIMIT, state);
		}
	}

	private static void legacy(Map<String, String> fields, @Nullable AppliedLimit limit) {
		if (limit != null && limit.hasDetails()) {
			fields.put(LEGACY_LIMIT, Long.toString(integer(limit.quota())));
			fields.put(LEGACY_REMAINING, Long.toString(integer(limit.remaining())));
			fields.put(LEGACY_RESET, Long.toString(limit.resetSeconds()));
		}
	}

	private static @Nullable AppliedLimit mostRestrictive(List<AppliedLimit> applied) {
		AppliedLimit fewest = null;
		for (AppliedLimit limit : applied) {
			if (limit.hasDetails() && (fewest == null || limit.remaining() < fewest.remaining())) {
				fewest = limit;
			}
		}
		return fewest;
	}

	/** Appends the list separator and the item's name, an sf-string (limit names need no escapes, but say so). */
	private static StringBuilder item(StringBuilder field, AppliedLimit limit) {
		if (field.length() > 0) {
			field.append(", ");
		}
		field.append('"');
		String name = limit.name();
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (c == '"' || c == '\\') {
				field.append('\\');
			}
			field.append(c);
		}
		return field.append('"');
	}

	private static long integer(long value) {
		return Math.min(value, MAX_INTEGER);
	}

}
