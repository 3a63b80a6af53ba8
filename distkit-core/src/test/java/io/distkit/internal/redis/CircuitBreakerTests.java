package io.distkit.internal.redis;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.distkit.CircuitBreakerOptions;
import io.distkit.CircuitOpenException;
import io.distkit.CircuitState;
import io.distkit.InvalidOptionException;
import io.distkit.test.ManualClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CircuitBreakerTests {

	private final ManualClock clock = new ManualClock();

	private final CircuitBreaker breaker = new CircuitBreaker(new CircuitBreakerOptions(3, Duration.ofSeconds(5)),
			this.clock::nanoTime);

	@Test
	void opensAfterConsecutiveFailures() {
		fail(2);
		assertThat(this.breaker.state()).isEqualTo(CircuitState.CLOSED);
		fail(1);
		assertThat(this.breaker.state()).isEqualTo(CircuitState.OPEN);
		assertThat(this.breaker.timesOpened()).isEqualTo(1);
	}

	@Test
	void successResetsTheCount() {
		fail(2);
		this.breaker.acquire();
		this.breaker.onSuccess();
		fail(2);
		assertThat(this.breaker.state()).isEqualTo(CircuitState.CLOSED);
	}

	@Test
	void open_rejectsAtOnceWithTimeLeft() {
		fail(3);
		this.clock.advance(Duration.ofSeconds(2));
		assertThatExceptionOfType(CircuitOpenException.class).isThrownBy(this.breaker::acquire)
			.satisfies((ex) -> assertThat(ex.getRetryAfter()).isEqualTo(Duration.ofSeconds(3)))
			.withMessageContaining("retry after 3000 ms");
	}

	@Test
	void afterOpenPeriod_oneProbePasses() {
		fail(3);
		this.clock.advance(Duration.ofSeconds(5));
		assertThat(this.breaker.acquire()).as("probe").isTrue();
		assertThat(this.breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
		assertThatExceptionOfType(CircuitOpenException.class).as("second caller while probing")
			.isThrownBy(this.breaker::acquire);
	}

	@Test
	void probeSuccess_closes() {
		fail(3);
		this.clock.advance(Duration.ofSeconds(5));
		this.breaker.acquire();
		this.breaker.onSuccess();
		assertThat(this.breaker.state()).isEqualTo(CircuitState.CLOSED);
		assertThat(this.breaker.acquire()).isFalse();
	}

	@Test
	void probeFailure_reopensForAnotherPeriod() {
		fail(3);
		this.clock.advance(Duration.ofSeconds(5));
		boolean probe = this.breaker.acquire();
		this.breaker.onFailure(probe);
		assertThat(this.breaker.state()).isEqualTo(CircuitState.OPEN);
		this.clock.advance(Duration.ofSeconds(4));
		assertThatExceptionOfType(CircuitOpenException.class).isThrownBy(this.breaker::acquire);
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.breaker.acquire()).isTrue();
	}

	@Test
	void probeTimingOut_nextProbeComesOnePeriodAfterTheFailedOneWasSent() {
		fail(3);
		this.clock.advance(Duration.ofSeconds(5));
		boolean probe = this.breaker.acquire();
		this.clock.advance(Duration.ofSeconds(2)); // the probe's deadline
		this.breaker.onFailure(probe);
		this.clock.advance(Duration.ofMillis(2999));
		assertThatExceptionOfType(CircuitOpenException.class).isThrownBy(this.breaker::acquire);
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.breaker.acquire()).isTrue();
	}

	@Test
	void releasedProbe_letsTheNextCallerProbe() {
		fail(3);
		this.clock.advance(Duration.ofSeconds(5));
		this.breaker.acquire();
		this.breaker.releaseProbe();
		assertThat(this.breaker.acquire()).isTrue();
	}

	@Test
	void options_invalid() {
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> new CircuitBreakerOptions(0, Duration.ofSeconds(1)))
			.withMessage("Invalid option 'failureThreshold': must be at least 1 (value=0)");
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> new CircuitBreakerOptions(1, Duration.ZERO))
			.withMessage("Invalid option 'openFor': must be positive (value=PT0S)");
	}

	private void fail(int times) {
		for (int i = 0; i < times; i++) {
			boolean probe = this.breaker.acquire();
			this.breaker.onFailure(probe);
		}
	}

}
