package io.distkit.ratelimit;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RateLimitExceededExceptionTests {

	private final RateLimit absolute = RateLimit.builder("api").capacity(10).window(Duration.ofMinutes(1)).build();

	private final RateLimit suppressed = RateLimit.builder("shed")
		.capacity(10)
		.strategy(RateLimit.Strategy.SUPPRESSED)
		.suppressionFactorCache(Duration.ofMillis(250))
		.build();

	@Test
	void of_rejected_retriesWhenTheOldestBucketLeaves() {
		RateLimitDecision.Rejected rejected = new RateLimitDecision.Rejected(Duration.ofMinutes(1),
				Duration.ofMillis(12_345), 3);
		RateLimitExceededException exception = RateLimitExceededException.of(this.absolute, rejected);
		assertThat(exception.getLimit()).isSameAs(this.absolute);
		assertThat(exception.getDecision()).isSameAs(rejected);
		assertThat(exception.getRetryAfter()).isEqualTo(Duration.ofMillis(12_345));
		assertThat(exception).hasMessage("Rate limit 'api' exceeded (10 per PT1M); retry after 12345 ms");
	}

	@Test
	void of_costAboveCapacity_zeroRetry() {
		RateLimitExceededException exception = RateLimitExceededException.of(this.absolute,
				new RateLimitDecision.Rejected(Duration.ofMinutes(1), Duration.ZERO, 0));
		assertThat(exception.getRetryAfter()).isZero();
		assertThat(exception).hasMessage("Rate limit 'api' exceeded (10 per PT1M)");
	}

	@Test
	void of_suppressed_retriesAfterTheFactorCachePeriod() {
		assertThat(RateLimitExceededException.of(this.suppressed, RateLimitDecision.Suppressed.FULL).getRetryAfter())
			.isEqualTo(Duration.ofMillis(250));
		assertThat(RateLimitExceededException.of(this.suppressed, RateLimitDecision.Suppressed.of(0.4, false))
			.getRetryAfter()).isEqualTo(Duration.ofMillis(250));
	}

	@Test
	void of_admitted_refused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RateLimitExceededException.of(this.absolute, RateLimitDecision.Allowed.ADMITTED))
			.withMessage("Decision Allowed of limit 'api' admitted the call; only a refusal becomes a "
					+ "RateLimitExceededException");
	}

}
