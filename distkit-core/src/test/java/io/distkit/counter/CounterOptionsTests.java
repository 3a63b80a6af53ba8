package io.distkit.counter;

import org.junit.jupiter.api.Test;

import io.distkit.InvalidOptionException;
import io.distkit.InvalidRedisKeyException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Spec §10 item 18 fixed: every option is validated when it is set. */
class CounterOptionsTests {

	@Test
	void defaults() {
		CounterOptions options = CounterOptions.builder().prefix("app").build();
		assertThat(options.prefix().value()).isEqualTo("app");
		assertThat(options.chunkSize()).isEqualTo(256);
	}

	@Test
	void prefix_required() {
		assertThatExceptionOfType(InvalidOptionException.class).isThrownBy(() -> CounterOptions.builder().build())
			.withMessage("Invalid option 'prefix': is required (value=null)");
	}

	@Test
	void prefix_whitespace() {
		assertThatExceptionOfType(InvalidRedisKeyException.class)
			.isThrownBy(() -> CounterOptions.builder().prefix("my app"))
			.withMessageContaining("a prefix must not contain whitespace");
	}

	@Test
	void chunkSize_zero() {
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> CounterOptions.builder().chunkSize(0))
			.withMessage("Invalid option 'chunkSize': must be between 1 and 4096 (value=0)");
	}

	@Test
	void chunkSize_tooLarge() {
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> CounterOptions.builder().chunkSize(4097))
			.withMessageContaining("(value=4097)");
	}

	@Test
	void toBuilder_keepsValues() {
		CounterOptions options = CounterOptions.builder().prefix("app").chunkSize(7).build();
		assertThat(options.toBuilder().build().chunkSize()).isEqualTo(7);
	}

}
