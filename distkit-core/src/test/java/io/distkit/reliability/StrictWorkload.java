package io.distkit.reliability;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import io.distkit.DistkitBackendException;
import io.distkit.counter.StrictCounter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Callers incrementing one strict counter key by 1, counted by {@link StrictOutcomes}. */
final class StrictWorkload implements Workload {

	private final StrictCounter counter;

	private final String key;

	private final StrictOutcomes outcomes = new StrictOutcomes();

	StrictWorkload(StrictCounter counter, String key) {
		this.counter = counter;
		this.key = key;
	}

	@Override
	public String name() {
		return "strict";
	}

	@Override
	public void step() {
		this.outcomes.call(() -> this.counter.inc(this.key, 1));
	}

	@Override
	public long successes() {
		return this.outcomes.acknowledged();
	}

	@Override
	public List<String> redisKeys() {
		return List.of("{" + this.counter.options().prefix().value() + ":strict}");
	}

	/** Records the time of the first success at or after {@code nanoTime}. */
	void watchFirstSuccessFrom(long nanoTime) {
		this.outcomes.watchFirstSuccessFrom(nanoTime);
	}

	/** When the first success at or after the watched instant came, or empty. */
	OptionalLong firstSuccessAfterWatch() {
		return this.outcomes.firstSuccessAfterWatch();
	}

	long acknowledged() {
		return this.outcomes.acknowledged();
	}

	long attempted() {
		return this.outcomes.attempted();
	}

	long failures() {
		return this.outcomes.failures();
	}

	long refusedByBreaker() {
		return this.outcomes.refusedByBreaker();
	}

	Duration slowestFailure() {
		return this.outcomes.slowestFailure();
	}

	/** The slowest failure: how long it took, when it started, what it threw. */
	String slowestFailureDetail() {
		return this.outcomes.slowestFailureDetail();
	}

	Duration slowestRefusal() {
		return this.outcomes.slowestRefusal();
	}

	/** The stored total, read once Redis answers again. */
	long total(Duration timeout) {
		AtomicLong total = new AtomicLong();
		await().atMost(timeout).ignoreExceptionsInstanceOf(DistkitBackendException.class).until(() -> {
			total.set(this.counter.get(this.key));
			return true;
		});
		return total.get();
	}

	@Override
	public void verify(Duration timeout) {
		assertThat(total(timeout)).as("strict total (acknowledged %d, attempted %d)", acknowledged(), attempted())
			.isBetween(acknowledged(), attempted());
	}

	@Override
	public String toString() {
		return "strict[" + this.outcomes + "]";
	}

}
