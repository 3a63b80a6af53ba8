package io.distkit.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.distkit.DistkitBackendException;
import io.distkit.icounter.StrictInstanceAwareCounter;
import io.distkit.icounter.Totals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Callers incrementing one key by 1 on several strict instance-aware counters (instances of one application sharing
 * a prefix), in turn; each instance's calls are counted by its own {@link StrictOutcomes}. The guarantee: every
 * instance's slice lies between its acknowledged and its attempted increments, and the cumulative between the sums
 * (nobody is reaped: the outages are far shorter than the dead-instance threshold).
 */
final class StrictInstanceAwareWorkload implements Workload {

	private final List<StrictInstanceAwareCounter> instances;

	private final List<StrictOutcomes> outcomes = new ArrayList<>();

	private final String key;

	private final AtomicLong calls = new AtomicLong();

	StrictInstanceAwareWorkload(List<StrictInstanceAwareCounter> instances, String key) {
		if (instances.isEmpty()) {
			throw new IllegalArgumentException("At least one instance is needed");
		}
		this.instances = List.copyOf(instances);
		this.key = key;
		instances.forEach((instance) -> this.outcomes.add(new StrictOutcomes()));
	}

	@Override
	public String name() {
		return "strict-instance-aware";
	}

	@Override
	public void step() {
		int i = (int) (this.calls.getAndIncrement() % this.instances.size());
		StrictInstanceAwareCounter instance = this.instances.get(i);
		this.outcomes.get(i).call(() -> instance.inc(this.key, 1));
	}

	@Override
	public long successes() {
		return acknowledged();
	}

	@Override
	public List<String> redisKeys() {
		return List.of("{" + this.instances.get(0).options().prefix().value() + ":ia}");
	}

	long acknowledged() {
		return this.outcomes.stream().mapToLong(StrictOutcomes::acknowledged).sum();
	}

	long attempted() {
		return this.outcomes.stream().mapToLong(StrictOutcomes::attempted).sum();
	}

	long failures() {
		return this.outcomes.stream().mapToLong(StrictOutcomes::failures).sum();
	}

	long refusedByBreaker() {
		return this.outcomes.stream().mapToLong(StrictOutcomes::refusedByBreaker).sum();
	}

	Duration slowestFailure() {
		return this.outcomes.stream().map(StrictOutcomes::slowestFailure).max(Duration::compareTo).orElseThrow();
	}

	/** The slowest failure of any instance: how long it took, when it started, what it threw. */
	String slowestFailureDetail() {
		return this.outcomes.stream()
			.max((a, b) -> a.slowestFailure().compareTo(b.slowestFailure()))
			.orElseThrow()
			.slowestFailureDetail();
	}

	Duration slowestRefusal() {
		return this.outcomes.stream().map(StrictOutcomes::slowestRefusal).max(Duration::compareTo).orElseThrow();
	}

	@Override
	public void verify(Duration timeout) {
		List<Totals> totals = new ArrayList<>();
		await().atMost(timeout).ignoreExceptionsInstanceOf(DistkitBackendException.class).until(() -> {
			totals.clear();
			for (StrictInstanceAwareCounter instance : this.instances) {
				totals.add(instance.get(this.key));
			}
			return true;
		});
		long cumulative = totals.get(0).cumulative();
		long slices = 0;
		for (int i = 0; i < this.instances.size(); i++) {
			StrictOutcomes calls = this.outcomes.get(i);
			assertThat(totals.get(i).cumulative()).as("cumulative seen by instance %d", i).isEqualTo(cumulative);
			assertThat(totals.get(i).slice()).as("slice of instance %d (%s)", i, calls)
				.isBetween(calls.acknowledged(), calls.attempted());
			slices += totals.get(i).slice();
		}
		assertThat(cumulative).as("cumulative: the sum of the live instances' slices").isEqualTo(slices);
		assertThat(cumulative).as("strict instance-aware cumulative (acknowledged %d, attempted %d)", acknowledged(),
				attempted())
			.isBetween(acknowledged(), attempted());
	}

	@Override
	public String toString() {
		return "strict-instance-aware[acknowledged=" + acknowledged() + ", attempted=" + attempted() + ", failures="
				+ failures() + ", refusedByBreaker=" + refusedByBreaker() + ", slowestFailure=" + slowestFailureDetail()
				+ "]";
	}

}
