package io.distkit.icounter;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Makes instance ids: the configured prefix, a dash, and 16 random hexadecimal digits (64 bits). */
final class InstanceIds {

	private static final SecureRandom random = new SecureRandom();

	private InstanceIds() {
	}

	static String next(String prefix) {
		byte[] bytes = new byte[8];
		random.nextBytes(bytes);
		String suffix = HexFormat.of().formatHex(bytes);
		return prefix.isEmpty() ? suffix : prefix + "-" + suffix;
	}

}
