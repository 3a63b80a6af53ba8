package io.distkit.reliability;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.ClientOptions;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.distkit.DistkitBackendException;
import io.distkit.RedisBackend;
import io.distkit.RedisKey;
import io.distkit.counter.CounterOptions;
import io.distkit.counter.LaxCounter;
import io.distkit.counter.StrictCounter;
import io.distkit.ratelimit.BoundLimit;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.test.RedisEndpoint;

/**
 * One process of a multi-process proof, started by {@link MultiProcessIntegrationTests} with the test class path.
 * Prints {@code READY}, waits for a line on standard input (so that every process starts at once), runs
 * {@code threads × operations} of its mode, and prints {@code RESULT name=value …}.
 *
 * <pre>
 * java io.distkit.reliability.MultiProcessWorker MODE HOST PORT PREFIX THREADS OPERATIONS [CAPACITY]
 * MODE: strict | lax | redis-absolute | hybrid-absolute
 * </pre>
 */
public final class MultiProcessWorker {

	/** Window of the rate-limit modes: the whole burst happens within it. */
	static final Duration WINDOW = Duration.ofSeconds(60);

	private MultiProcessWorker() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length < 6) {
			throw new IllegalArgumentException(
					"Usage: MultiProcessWorker MODE HOST PORT PREFIX THREADS OPERATIONS [CAPACITY] (got "
							+ List.of(args) + ")");
		}
		String mode = args[0];
		RedisEndpoint endpoint = new RedisEndpoint(args[1], Integer.parseInt(args[2]), null, "parent test");
		String prefix = args[3];
		int threads = Integer.parseInt(args[4]);
		int operations = Integer.parseInt(args[5]);
		LettuceConnectionFactory factory = endpoint.connectionFactory(Duration.ofSeconds(5),
				ClientOptions.builder().disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
		try {
			RedisBackend backend = RedisBackend.create(factory);
			Operation operation;
			Runnable finish;
			AtomicLong succeeded = new AtomicLong();
			AtomicLong failed = new AtomicLong();
			switch (mode) {
				case "strict" -> {
					StrictCounter counter = StrictCounter.create(backend, CounterOptions.builder().prefix(prefix).build());
					operation = (thread, i) -> {
						try {
							counter.inc("hits", 1);
							succeeded.incrementAndGet();
						}
						catch (DistkitBackendException ex) {
							failed.incrementAndGet();
						}
					};
					finish = () -> {
					};
				}
				case "lax" -> {
					LaxCounter counter = LaxCounter.create(backend, CounterOptions.builder().prefix(prefix).build());
					operation = (thread, i) -> {
						counter.inc("hits-" + (i % 4), 1);
						succeeded.incrementAndGet();
					};
					finish = () -> {
						counter.flush();
						failed.addAndGet(counter.pendingKeys());
						counter.close();
					};
				}
				case "redis-absolute", "hybrid-absolute" -> {
					long capacity = Long.parseLong(args[6]);
					RateLimiter limiter = RateLimiter.builder().redis(backend, RedisKey.prefix(prefix)).build();
					BoundLimit limit = limiter.limit(RateLimit.builder("burst")
						.capacity(capacity)
						.window(WINDOW)
						.bucket(Duration.ofSeconds(1))
						.provider(mode.startsWith("redis") ? RateLimit.Provider.REDIS : RateLimit.Provider.HYBRID)
						.build());
					operation = (thread, i) -> {
						RateLimitDecision decision = limit.inc("shared");
						if (decision instanceof RateLimitDecision.Allowed allowed && allowed.isDegraded()) {
							failed.incrementAndGet(); // Redis failed: admitted by the fail-open policy, not counted
						}
						else if (decision.isAdmitted()) {
							succeeded.incrementAndGet();
						}
					};
					limit.isAllowed("shared"); // warm: the hybrid provider synchronises the key before the burst
					finish = limiter::close; // the hybrid provider commits what it admitted
				}
				default -> throw new IllegalArgumentException("Unknown mode '" + mode
						+ "': expected strict, lax, redis-absolute or hybrid-absolute");
			}
			System.out.println("READY");
			System.out.flush();
			new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
			long start = System.nanoTime();
			List<Thread> workers = new ArrayList<>(threads);
			for (int t = 0; t < threads; t++) {
				int thread = t;
				Thread worker = new Thread(() -> {
					for (int i = 0; i < operations; i++) {
						operation.run(thread, i);
					}
				}, "worker-" + t);
				workers.add(worker);
				worker.start();
			}
			for (Thread worker : workers) {
				worker.join();
			}
			long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
			finish.run();
			System.out.println("RESULT succeeded=" + succeeded.get() + " failed=" + failed.get() + " elapsedMillis="
					+ elapsedMillis);
			System.out.flush();
		}
		finally {
			factory.destroy();
		}
	}

	@FunctionalInterface
	private interface Operation {

		void run(int thread, int index);

	}

}
