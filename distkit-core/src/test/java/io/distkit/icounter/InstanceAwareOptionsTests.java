package io.distkit.icounter;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.distkit.InvalidOptionException;
import io.distkit.InvalidRedisKeyException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class InstanceAwareOptionsTests {

	@Test
	void defaults() {
		InstanceAwareOptions options = InstanceAwareOptions.builder().prefix("p").build();
		assertThat(options.deadInstanceThreshold()).isEqualTo(Duration.ofSeconds(30));
		assertThat(options.heartbeat()).isEqualTo(Duration.ofSeconds(10));
		assertThat(options.allowShortThreshold()).isFalse();
		assertThat(options.instanceIdPrefix()).isEmpty();
		assertThat(options.removeOnClose()).isTrue();
		assertThat(options.chunkSize()).isEqualTo(256);
		assertThat(options.flushInterval()).isEqualTo(Duration.ofMillis(20));
		assertThat(options.allowedLag()).isEqualTo(Duration.ofMillis(20));
		assertThat(options.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void deadInstanceThreshold_belowTwiceTheHeartbeat() {
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> InstanceAwareOptions.builder().prefix("p").deadInstanceThreshold(Duration.ofSeconds(19))
				.build())
			.withMessage("Invalid option 'deadInstanceThreshold': must be at least twice the heartbeat (heartbeat=PT10S)"
					+ " unless allowShortThreshold is set, or live idle instances are reaped (value=PT19S)");
		assertThat(InstanceAwareOptions.builder().prefix("p").deadInstanceThreshold(Duration.ofSeconds(20)).build()
			.deadInstanceThreshold()).isEqualTo(Duration.ofSeconds(20));
		assertThat(InstanceAwareOptions.builder().prefix("p").deadInstanceThreshold(Duration.ofMillis(100))
			.allowShortThreshold(true).build().deadInstanceThreshold()).isEqualTo(Duration.ofMillis(100));
	}

	@Test
	void durations_zeroOrNegative() {
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> InstanceAwareOptions.builder().deadInstanceThreshold(Duration.ZERO))
			.withMessage("Invalid option 'deadInstanceThreshold': must be at least 1ms (value=PT0S)");
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> InstanceAwareOptions.builder().heartbeat(Duration.ofSeconds(-1)))
			.withMessage("Invalid option 'heartbeat': must be at least 1ms (value=PT-1S)");
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> InstanceAwareOptions.builder().flushInterval(Duration.ZERO))
			.withMessage("Invalid option 'flushInterval': must be at least 1ms (value=PT0S)");
	}

	@Test
	void instanceIdPrefix_rules() {
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> InstanceAwareOptions.builder().instanceIdPrefix("pod:7"))
			.withMessage("Invalid option 'instanceIdPrefix': must not contain colons (value=pod:7)");
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> InstanceAwareOptions.builder().instanceIdPrefix("{pod}"))
			.withMessage("Invalid option 'instanceIdPrefix': must not contain braces (value={pod})");
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> InstanceAwareOptions.builder().instanceIdPrefix("pod\t7"))
			.withMessageStartingWith("Invalid option 'instanceIdPrefix': must not contain whitespace");
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> InstanceAwareOptions.builder().instanceIdPrefix("x".repeat(129)))
			.withMessageStartingWith("Invalid option 'instanceIdPrefix': must not be longer than 128 bytes of UTF-8");
		assertThat(InstanceAwareOptions.builder().prefix("p").instanceIdPrefix("pod-7").build().instanceIdPrefix())
			.isEqualTo("pod-7");
	}

	@Test
	void prefix_requiredAndValidated() {
		assertThatExceptionOfType(InvalidOptionException.class).isThrownBy(() -> InstanceAwareOptions.builder().build())
			.withMessage("Invalid option 'prefix': is required (value=null)");
		assertThatExceptionOfType(InvalidRedisKeyException.class)
			.isThrownBy(() -> InstanceAwareOptions.builder().prefix("a b"));
	}

	@Test
	void toBuilder_keepsValues() {
		InstanceAwareOptions options = InstanceAwareOptions.builder().prefix("p").heartbeat(Duration.ofSeconds(1))
			.instanceIdPrefix("i").removeOnClose(false).build();
		InstanceAwareOptions copy = options.toBuilder().build();
		assertThat(copy.toString()).isEqualTo(options.toString());
	}

}
