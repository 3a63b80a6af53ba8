package io.distkit.icounter;

import io.distkit.RedisKey;

/** Hash tags of the instance-aware containers; every key of one container shares it (see docs/redis-layout.md). */
final class InstanceAwareKeys {

	private InstanceAwareKeys() {
	}

	/** The strict container's tag {@code {<prefix>:ia}}. */
	static String strictTag(RedisKey prefix) {
		return "{" + prefix.value() + ":ia}";
	}

	/** The lax container's tag {@code {<prefix>:lia}}. */
	static String laxTag(RedisKey prefix) {
		return "{" + prefix.value() + ":lia}";
	}

}
