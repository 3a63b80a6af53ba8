package io.distkit.ratelimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import io.distkit.InvalidOptionException;
import io.distkit.RedisKey;

/**
 * Turns any key value into a safe segment of a Redis key name: {@code %}, {@code :}, {@code {}, {@code }},
 * {@code |}, whitespace and control characters become {@code %XX} (UTF-8 bytes); a result longer than 255 bytes
 * becomes {@code h_} + base64url(SHA-256 of the value). An encoded key can never break a hash tag or a name segment,
 * and two different values never encode alike (the hash aside).
 *
 * @since 0.1.0
 */
public final class RateLimitKeys {

	private static final char[] HEX = "0123456789ABCDEF".toCharArray();

	private RateLimitKeys() {
	}

	/**
	 * Encodes {@code value}; returns it unchanged (no allocation) when nothing needs encoding and it fits.
	 * @param value the key value, not empty
	 * @return the encoded value
	 * @throws InvalidOptionException if the value is {@code null} or empty
	 */
	public static String encode(String value) {
		if (value == null || value.isEmpty()) {
			throw new InvalidOptionException("key", value, "must not be empty");
		}
		boolean plain = true;
		for (int i = 0; i < value.length() && plain; i++) {
			plain = !needsEncoding(value.charAt(i));
		}
		if (plain && RedisKey.utf8Length(value) <= RedisKey.MAX_BYTES) {
			return value;
		}
		String encoded = plain ? value : percentEncode(value);
		return (RedisKey.utf8Length(encoded) <= RedisKey.MAX_BYTES) ? encoded : hashed(value);
	}

	private static boolean needsEncoding(char c) {
		return c == '%' || c == ':' || c == '{' || c == '}' || c == '|' || c <= 0x20 || c == 0x7F
				|| Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c);
	}

	private static String percentEncode(String value) {
		StringBuilder encoded = new StringBuilder(value.length() + 16);
		int i = 0;
		while (i < value.length()) {
			int codePoint = value.codePointAt(i);
			int length = Character.charCount(codePoint);
			if (length == 1 && needsEncoding((char) codePoint)) {
				for (byte b : value.substring(i, i + 1).getBytes(StandardCharsets.UTF_8)) {
					encoded.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
				}
			}
			else {
				encoded.appendCodePoint(codePoint);
			}
			i += length;
		}
		return encoded.toString();
	}

	private static String hashed(String value) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
			return "h_" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

}
