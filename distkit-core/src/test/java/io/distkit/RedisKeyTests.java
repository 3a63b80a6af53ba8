package io.distkit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RedisKeyTests {

	@Test
	void of_acceptsDocumentedExamples() { // KEY-01
		assertThat(RedisKey.of("user_123").value()).isEqualTo("user_123");
		assertThat(RedisKey.of("api_v2_endpoint").value()).isEqualTo("api_v2_endpoint");
		assertThat(RedisKey.of("team_alpha").value()).isEqualTo("team_alpha");
	}

	@Test
	void of_colon() { // KEY-01
		assertThatExceptionOfType(InvalidRedisKeyException.class).isThrownBy(() -> RedisKey.of("user:123"))
			.withMessage("Invalid Redis key: must not contain colons (key=\"user:123\")");
	}

	@Test
	void of_empty() { // KEY-01
		assertThatExceptionOfType(InvalidRedisKeyException.class).isThrownBy(() -> RedisKey.of(""))
			.withMessage("Invalid Redis key: must not be empty (key=\"\")");
	}

	@Test
	void of_256Bytes() { // KEY-01
		String key = "a".repeat(256);
		assertThatExceptionOfType(InvalidRedisKeyException.class).isThrownBy(() -> RedisKey.of(key))
			.withMessageStartingWith("Invalid Redis key: must not be longer than 255 bytes of UTF-8 (key=\"aaaa")
			.withMessageContaining("…")
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo(key));
	}

	@Test
	void of_255Bytes() { // KEY-03
		assertThat(RedisKey.of("a".repeat(255)).value()).hasSize(255);
	}

	@Test
	void of_lengthCountsUtf8Bytes() { // KEY-03: 128 two-byte characters are 256 bytes
		String key = "é".repeat(128);
		assertThat(key).hasSize(128);
		assertThatExceptionOfType(InvalidRedisKeyException.class).isThrownBy(() -> RedisKey.of(key))
			.withMessageContaining("must not be longer than 255 bytes of UTF-8");
		assertThat(RedisKey.of("é".repeat(127)).value()).hasSize(127);
		assertThat(RedisKey.utf8Length("€😀")).isEqualTo(3 + 4);
	}

	@Test
	void of_acceptsBracesSpacesAndOtherCharacters() {
		assertThat(RedisKey.of(" {a}*? ü ").value()).isEqualTo(" {a}*? ü ");
	}

	@Test
	void of_null() {
		assertThatExceptionOfType(InvalidRedisKeyException.class).isThrownBy(() -> RedisKey.of(null))
			.withMessage("Invalid Redis key: must not be null (key=\"null\")");
	}

	@Test
	void sanitize_removesColons() { // KEY-02
		assertThat(RedisKey.sanitize("user:123").value()).isEqualTo("user123");
		assertThatExceptionOfType(InvalidRedisKeyException.class).isThrownBy(() -> RedisKey.sanitize(":"))
			.withMessageContaining("must not be empty");
	}

	@Test
	void defaultPrefix() { // KEY-02
		assertThat(RedisKey.defaultPrefix().value()).isEqualTo("distkit");
	}

	@Test
	void prefix_braces() {
		assertThatExceptionOfType(InvalidRedisKeyException.class).isThrownBy(() -> RedisKey.prefix("app{1}"))
			.withMessage("Invalid Redis key: a prefix must not contain braces (key=\"app{1}\")");
	}

	@Test
	void prefix_whitespace() {
		assertThatExceptionOfType(InvalidRedisKeyException.class).isThrownBy(() -> RedisKey.prefix("my app"))
			.withMessage("Invalid Redis key: a prefix must not contain whitespace (key=\"my app\")");
		assertThatExceptionOfType(InvalidRedisKeyException.class).isThrownBy(() -> RedisKey.prefix("app\t"))
			.withMessageContaining("whitespace");
	}

	@Test
	void prefix_keyRulesComeFirst() {
		assertThatExceptionOfType(InvalidRedisKeyException.class).isThrownBy(() -> RedisKey.prefix("a:{b}"))
			.withMessageContaining("must not contain colons");
	}

	@Test
	void equalityIsTheWrappedString() {
		assertThat(RedisKey.of("a")).isEqualTo(RedisKey.of("a")).hasSameHashCodeAs(RedisKey.of("a"));
		assertThat(RedisKey.of("a")).isNotEqualTo(RedisKey.of("b")).isLessThan(RedisKey.of("b"));
		assertThat(RedisKey.of("a")).hasToString("a");
	}

}
