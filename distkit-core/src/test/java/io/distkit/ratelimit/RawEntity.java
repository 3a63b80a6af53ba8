package io.distkit.ratelimit;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.distkit.ratelimit.redis.RedisLimitEngine;
import io.distkit.test.RedisAdmin;

/**
 * What one rate-limit entity (limit, key, strategy) holds in Redis, read raw for assertions: the hash {@code h} and
 * the sorted set {@code a} of docs/redis-layout.md, and their TTLs.
 *
 * @param fields every field of {@code h}
 * @param members the bucket numbers in {@code a}, lowest first
 * @param hashTtlMillis {@code PTTL} of {@code h} (-2 when it does not exist, -1 without TTL)
 * @param setTtlMillis {@code PTTL} of {@code a}
 */
record RawEntity(Map<String, String> fields, List<String> members, long hashTtlMillis, long setTtlMillis) {

	static RawEntity read(RedisAdmin admin, String prefix, RateLimit limit, String key) {
		List<String> keys = RedisLimitEngine.entityKeys(prefix, limit, key);
		Map<Object, Object> hash = admin.template().opsForHash().entries(keys.get(0));
		Map<String, String> fields = new TreeMap<>();
		hash.forEach((field, value) -> fields.put(field.toString(), value.toString()));
		Set<String> members = admin.template().opsForZSet().range(keys.get(1), 0, -1);
		return new RawEntity(fields, (members != null) ? List.copyOf(members) : List.of(),
				admin.template().getExpire(keys.get(0), TimeUnit.MILLISECONDS),
				admin.template().getExpire(keys.get(1), TimeUnit.MILLISECONDS));
	}

	/** A numeric field of {@code h}; 0 when absent. */
	long field(String name) {
		String value = this.fields.get(name);
		return (value != null) ? Long.parseLong(value) : 0;
	}

	/** Count per bucket number ({@code c<b>} fields), oldest first. */
	SortedMap<Long, Long> counts() {
		return bucketFields("c");
	}

	/** Declined count per bucket number ({@code x<b>} fields), oldest first. */
	SortedMap<Long, Long> declines() {
		return bucketFields("x");
	}

	long sumOfCounts() {
		return counts().values().stream().mapToLong(Long::longValue).sum();
	}

	long sumOfDeclines() {
		return declines().values().stream().mapToLong(Long::longValue).sum();
	}

	/** The bucket counts, oldest first, as a list. */
	List<Long> countList() {
		return List.copyOf(counts().values());
	}

	private SortedMap<Long, Long> bucketFields(String prefix) {
		SortedMap<Long, Long> buckets = new TreeMap<>();
		this.fields.forEach((field, value) -> {
			if (field.matches(prefix + "-?[0-9]+")) {
				buckets.put(Long.parseLong(field.substring(1)), Long.parseLong(value));
			}
		});
		return buckets;
	}

}
