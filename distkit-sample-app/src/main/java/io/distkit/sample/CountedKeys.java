package io.distkit.sample;

import io.distkit.RedisKey;
import io.distkit.ratelimit.RateLimitKeys;

/** The counter field {@code @Counted} increments: the name, a {@code |}, and the encoded key. */
final class CountedKeys {

	private CountedKeys() {
	}

	static RedisKey field(String name, String key) {
		return RedisKey.of(name + "|" + RateLimitKeys.encode(key));
	}

}
