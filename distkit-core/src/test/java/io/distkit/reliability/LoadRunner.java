package io.distkit.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs {@link Workload}s on threads of their own until {@link #stop(Duration)}, which fails the test if a thread
 * does not finish in time (a caller hung) or if an exception a workload does not expect reached a caller.
 */
final class LoadRunner implements AutoCloseable {

	private final List<Workload> workloads;

	private final List<Thread> threads = new ArrayList<>();

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();

	private LoadRunner(List<Workload> workloads) {
		this.workloads = workloads;
	}

	/**
	 * Starts {@code threadsEach} threads per workload.
	 * @param threadsEach threads per workload, at least 1
	 * @param workloads the workloads
	 * @return the running load
	 */
	static LoadRunner start(int threadsEach, Workload... workloads) {
		if (threadsEach < 1) {
			throw new IllegalArgumentException("threadsEach must be at least 1 (value=" + threadsEach + ")");
		}
		LoadRunner runner = new LoadRunner(List.copyOf(Arrays.asList(workloads)));
		for (Workload workload : workloads) {
			for (int i = 0; i < threadsEach; i++) {
				Thread thread = new Thread(() -> {
					while (runner.running.get()) {
						try {
							workload.step();
						}
						catch (Throwable ex) { // an error reached a caller: the test fails at stop()
							runner.errors.add(workload.name() + ": " + ex);
							if (runner.errors.size() == 1) {
								ex.printStackTrace();
							}
						}
					}
				}, "load-" + workload.name() + "-" + i);
				thread.setDaemon(true);
				runner.threads.add(thread);
				thread.start();
			}
		}
		return runner;
	}

	/** Waits until every workload has {@code operations} more successes than now. */
	void awaitProgress(long operations, Duration timeout) {
		long[] from = new long[this.workloads.size()];
		for (int i = 0; i < from.length; i++) {
			from[i] = this.workloads.get(i).successes();
		}
		await().atMost(timeout).untilAsserted(() -> {
			for (int i = 0; i < from.length; i++) {
				assertThat(this.workloads.get(i).successes() - from[i]).as("progress of %s",
						this.workloads.get(i).name()).isGreaterThanOrEqualTo(operations);
			}
		});
	}

	/**
	 * Stops the load and waits for every thread.
	 * @param timeout how long the last operations may take
	 * @throws AssertionError naming the threads still running (and where) after {@code timeout}
	 */
	void stop(Duration timeout) {
		this.running.set(false);
		long deadline = System.nanoTime() + timeout.toNanos();
		List<String> hung = new ArrayList<>();
		for (Thread thread : this.threads) {
			try {
				thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			if (thread.isAlive()) {
				hung.add(thread.getName() + " at " + Arrays.toString(thread.getStackTrace()));
			}
		}
		assertThat(hung).as("caller threads still running %s after the load stopped", timeout).isEmpty();
		assertThat(this.errors).as("errors that reached callers").isEmpty();
	}

	@Override
	public void close() {
		this.running.set(false);
	}

}
