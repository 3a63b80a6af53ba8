package io.distkit.spring.boot.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimitDecision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Formatting of the rate-limit fields, checked by parsing them back as structured fields. */
class RateLimitHeadersTests {

	private final RateLimit api = RateLimit.builder("api").capacity(100).window(Duration.ofMillis(60_500)).bucket(
			Duration.ofMillis(500)).build();

	private final RateLimit burst = RateLimit.builder("burst.v1").capacity(10).window(Duration.ofSeconds(1)).build();

	@Test
	void admitted_ietf_listsEveryLimitWithWindowAndResetRoundedUp() {
		List<AppliedLimit> applied = List.of(admitted(this.api, 97, Duration.ofMillis(58_001)),
				admitted(this.burst, 9, Duration.ofMillis(900)));
		Map<String, String> fields = RateLimitHeaders.admitted(applied, RateLimitHeaderStyle.IETF);
		assertThat(fields).containsOnlyKeys("RateLimit-Policy", "RateLimit");
		assertThat(fields.get("RateLimit-Policy")).isEqualTo("\"api\";q=100;w=61, \"burst.v1\";q=10;w=1");
		assertThat(fields.get("RateLimit")).isEqualTo("\"api\";r=97;t=59, \"burst.v1\";r=9;t=1");
		assertThat(StructuredFields.byName(fields.get("RateLimit-Policy")).keySet()).containsExactly("api", "burst.v1");
		assertThat(StructuredFields.byName(fields.get("RateLimit")).get("api")).containsExactly(
				Map.entry("r", 97L), Map.entry("t", 59L));
	}

	@Test
	void admitted_legacy_showsTheLimitWithTheFewestUnitsLeft() {
		List<AppliedLimit> applied = List.of(admitted(this.api, 97, Duration.ofSeconds(58)),
				admitted(this.burst, 9, Duration.ofMillis(900)));
		assertThat(RateLimitHeaders.admitted(applied, RateLimitHeaderStyle.LEGACY)).containsExactly(
				Map.entry("X-RateLimit-Limit", "10"), Map.entry("X-RateLimit-Remaining", "9"),
				Map.entry("X-RateLimit-Reset", "1"));
		assertThat(RateLimitHeaders.admitted(applied, RateLimitHeaderStyle.BOTH)).containsOnlyKeys("RateLimit-Policy",
				"RateLimit", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset");
		assertThat(RateLimitHeaders.admitted(applied, RateLimitHeaderStyle.NONE)).isEmpty();
		assertThat(RateLimitHeaders.admitted(List.of(), RateLimitHeaderStyle.BOTH)).isEmpty();
	}

	@Test
	void admitted_withoutDetails_policyOnly() {
		List<AppliedLimit> applied = List.of(
				new AppliedLimit(this.api, 1, RateLimitDecision.Allowed.ADMITTED, -1, null));
		assertThat(RateLimitHeaders.admitted(applied, RateLimitHeaderStyle.BOTH))
			.containsExactly(Map.entry("RateLimit-Policy", "\"api\";q=100;w=61"));
	}

	@Test
	void rejected_neverTellsToRetryAtOnce() {
		AppliedLimit rejected = new AppliedLimit(this.burst, 1,
				new RateLimitDecision.Rejected(Duration.ofSeconds(1), Duration.ZERO, 0), 0, Duration.ZERO);
		assertThat(rejected.costExceedsCapacity()).isFalse();
		assertThat(rejected.resetSeconds()).isEqualTo(1);
		assertThat(RateLimitHeaders.rejected(List.of(rejected), rejected, RateLimitHeaderStyle.NONE))
			.containsExactly(Map.entry("RateLimit-Policy", "\"burst.v1\";q=10;w=1"),
					Map.entry("RateLimit", "\"burst.v1\";r=0;t=1"));
	}

	@Test
	void rejected_costAboveCapacity_isKnownFromTheCost() {
		AppliedLimit rejected = new AppliedLimit(this.burst, 11,
				new RateLimitDecision.Rejected(Duration.ofSeconds(1), Duration.ZERO, 0), 10, Duration.ZERO);
		assertThat(rejected.costExceedsCapacity()).isTrue();
		assertThat(rejected.resetSeconds()).isZero();
		AppliedLimit unknownCost = new AppliedLimit(this.burst, -1,
				new RateLimitDecision.Rejected(Duration.ofSeconds(1), Duration.ZERO, 0), 0, Duration.ZERO);
		assertThat(unknownCost.costExceedsCapacity()).isTrue();
	}

	@Test
	void unlimitedCapacity_isCappedToAStructuredFieldInteger() {
		RateLimit unlimited = RateLimit.builder("all").capacity(Long.MAX_VALUE).build();
		AppliedLimit applied = admitted(unlimited, Long.MAX_VALUE, Duration.ZERO);
		String policy = RateLimitHeaders.policy(List.of(applied));
		assertThat(policy).isEqualTo("\"all\";q=999999999999999;w=10");
		assertThat(StructuredFields.byName(policy)).containsKey("all");
	}

	@Test
	void parser_rejectsMalformedFields() {
		assertThatIllegalArgumentException().isThrownBy(() -> StructuredFields.parseList("\"a\";q=1,"));
		assertThatIllegalArgumentException().isThrownBy(() -> StructuredFields.parseList("\"a\";Q=1"));
		assertThatIllegalArgumentException().isThrownBy(() -> StructuredFields.parseList("\"a;q=1"));
		assertThatIllegalArgumentException().isThrownBy(() -> StructuredFields.parseList("\"a\";q=1.5"));
		assertThatIllegalArgumentException().isThrownBy(() -> StructuredFields.parseList("\"a\";q=1234567890123456"));
		assertThatIllegalArgumentException().isThrownBy(() -> StructuredFields.byName("a;q=1"));
		assertThatIllegalArgumentException().isThrownBy(() -> StructuredFields.byName("\"a\";q=1, \"a\";q=2"));
		assertThat(StructuredFields.parseList("\"a\\\"b\";q=1;x;y=?0, \"c\"")).hasSize(2);
	}

	private static AppliedLimit admitted(RateLimit limit, long remaining, Duration reset) {
		return new AppliedLimit(limit, 1, RateLimitDecision.Allowed.of(remaining, reset), remaining, reset);
	}

}
