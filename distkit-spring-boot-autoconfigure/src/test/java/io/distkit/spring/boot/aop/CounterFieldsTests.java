package io.distkit.spring.boot.aop;

import org.junit.jupiter.api.Test;

import io.distkit.RedisKey;

import static org.assertj.core.api.Assertions.assertThat;

class CounterFieldsTests {

	@Test
	void field_withoutKeyIsTheName() {
		assertThat(CounterFields.field("orders", null).value()).isEqualTo("orders");
	}

	@Test
	void field_keyIsEncodedAfterTheSeparator() {
		assertThat(CounterFields.field("orders", "a:b|c d%").value()).isEqualTo("orders|a%3Ab%7Cc%20d%25");
	}

	@Test
	void field_tooLongIsHashed() {
		String name = "n".repeat(CounterFields.MAX_NAME_BYTES);
		String key = "k".repeat(60);
		RedisKey field = CounterFields.field(name, key);
		assertThat(field.value()).startsWith(name + "|h_");
		assertThat(RedisKey.utf8Length(field.value())).isLessThanOrEqualTo(RedisKey.MAX_BYTES);
		assertThat(CounterFields.field(name, key)).isEqualTo(field);
		assertThat(CounterFields.field(name, key + "x")).isNotEqualTo(field);
	}

	@Test
	void field_thatFitsIsNotHashed() {
		String key = "k".repeat(RedisKey.MAX_BYTES - "orders|".length());
		assertThat(CounterFields.field("orders", key).value()).isEqualTo("orders|" + key);
	}

	@Test
	void nameRuleBroken_namesTheRule() {
		assertThat(CounterFields.nameRuleBroken("orders")).isNull();
		assertThat(CounterFields.nameRuleBroken("")).isEqualTo("must not be empty");
		assertThat(CounterFields.nameRuleBroken("a|b")).contains("'|'");
		assertThat(CounterFields.nameRuleBroken("a:b")).contains("':'");
		assertThat(CounterFields.nameRuleBroken("n".repeat(201))).contains("200 bytes");
	}

}
