package io.distkit.spring.boot.aop;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import org.jspecify.annotations.Nullable;

import io.distkit.RedisKey;
import io.distkit.ratelimit.RateLimitKeys;

/**
 * The counter field of a {@code @Counted} call: the name alone, or the name, {@code |} and the encoded key
 * ({@link RateLimitKeys#encode}: {@code %}, {@code :}, braces, {@code |}, whitespace and control characters as
 * {@code %XX}); when that exceeds 255 bytes, the key part is {@code h_} + base64url(SHA-256 of the key).
 */
final class CounterFields {

	/** Longest name: leaves room for {@code |} and a hashed key within 255 bytes. */
	static final int MAX_NAME_BYTES = 200;

	private CounterFields() {
	}

	/**
	 * Checks a count's name.
	 * @return the rule it breaks, or {@code null}
	 */
	static @Nullable String nameRuleBroken(String name) {
		if (name.isEmpty()) {
			return "must not be empty";
		}
		if (name.indexOf('|') >= 0) {
			return "must not contain '|', which separates the name from the key";
		}
		if (name.indexOf(':') >= 0) {
			return "must not contain ':'";
		}
		if (RedisKey.utf8Length(name) > MAX_NAME_BYTES) {
			return "must not be longer than " + MAX_NAME_BYTES + " bytes of UTF-8";
		}
		return null;
	}

	/** The field of a call's count. */
	static RedisKey field(String name, @Nullable String key) {
		if (key == null) {
			return RedisKey.of(name);
		}
		String field = name + "|" + RateLimitKeys.encode(key);
		if (RedisKey.utf8Length(field) > RedisKey.MAX_BYTES) {
			field = name + "|" + hash(key);
		}
		return RedisKey.of(field);
	}

	private static String hash(String key) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
			return "h_" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

}
