package io.distkit.spring.boot.aop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.impl.NoOpLog;
import org.junit.jupiter.api.Test;

import io.distkit.test.ManualClock;

import static org.assertj.core.api.Assertions.assertThat;

class ThrottledLogTests {

	private final ManualClock clock = new ManualClock();

	private final List<String> lines = new ArrayList<>();

	private final Log logger = new NoOpLog() {

		@Override
		public void warn(Object message, Throwable failure) {
			ThrottledLogTests.this.lines.add(String.valueOf(message));
		}

	};

	private final ThrottledLog log = new ThrottledLog(this.logger, Duration.ofMinutes(1), this.clock::nanoTime);

	@Test
	void warn_firstFailureIsLogged() {
		assertThat(this.log.warn("failed", new IllegalStateException())).isTrue();
		assertThat(this.lines).containsExactly("failed");
	}

	@Test
	void warn_withinAMinuteIsNotLogged() {
		this.log.warn("failed", new IllegalStateException());
		this.clock.advance(Duration.ofSeconds(59));
		assertThat(this.log.warn("failed", new IllegalStateException())).isFalse();
		assertThat(this.lines).hasSize(1);
	}

	@Test
	void warn_afterAMinuteIsLoggedWithTheNumberLeftOut() {
		this.log.warn("failed", new IllegalStateException());
		this.log.warn("failed", new IllegalStateException());
		this.log.warn("failed", new IllegalStateException());
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(this.log.warn("failed", new IllegalStateException())).isTrue();
		assertThat(this.lines).containsExactly("failed", "failed (2 similar failures not logged since the last report; "
				+ "at most one line per 60 s)");
	}

}
