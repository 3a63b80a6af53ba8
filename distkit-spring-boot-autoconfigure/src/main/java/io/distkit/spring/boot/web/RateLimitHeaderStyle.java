package io.distkit.spring.boot.web;

/**
 * Which rate-limit header fields admitted responses carry ({@code distkit.web.headers}). A rejected response always
 * carries the IETF fields, and the legacy ones too with {@link #LEGACY} and {@link #BOTH}.
 *
 * @since 0.1.0
 */
public enum RateLimitHeaderStyle {

	/** {@code RateLimit-Policy} and {@code RateLimit} (draft-ietf-httpapi-ratelimit-headers-10). */
	IETF,

	/** {@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining} and {@code X-RateLimit-Reset}. */
	LEGACY,

	/** The IETF and the legacy fields. */
	BOTH,

	/** No fields on admitted responses; decisions then use {@code inc} rather than {@code incDetailed}. */
	NONE;

	/** Whether admitted responses carry the IETF fields. */
	boolean ietf() {
		return this == IETF || this == BOTH;
	}

	/** Whether responses carry the legacy fields. */
	boolean legacy() {
		return this == LEGACY || this == BOTH;
	}

}
