package io.distkit.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import io.lettuce.core.ClientOptions;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.distkit.DistkitBackendException;
import io.distkit.RedisBackend;
import io.distkit.RedisKey;
import io.distkit.counter.CounterOptions;
import io.distkit.counter.LaxCounter;
import io.distkit.counter.StrictCounter;
import io.distkit.icounter.InstanceAwareCounter;
import io.distkit.icounter.InstanceAwareOptions;
import io.distkit.icounter.KeyTotals;
import io.distkit.icounter.LaxInstanceAwareCounter;
import io.distkit.icounter.StrictInstanceAwareCounter;
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
 * java io.distkit.reliability.MultiProcessWorker MODE HOST PORT PREFIX THREADS OPERATIONS THRESHOLD_MS HEARTBEAT_MS
 * MODE: strict-instance-aware | lax-instance-aware
 * </pre>
 *
 * <p>The instance-aware modes increment {@value #KEYS} keys ({@code hits-<i % 4>}) on one counter (this process is
 * one instance), report per key what was acknowledged ({@code acknowledged-<k>}; the lax mode flushes first), and then
 * stay alive: the line {@code GET} prints {@code TOTALS <cumulative> <slice>} per key, {@code STOP} closes the counter
 * (removing its slices), prints {@code STOPPED} and exits; a test kills the process to simulate a crash.
 */
public final class MultiProcessWorker {

	/** Window of the rate-limit modes: the whole burst happens within it. */
	static final Duration WINDOW = Duration.ofSeconds(60);

	/** Keys of the counter modes: {@code hits-0} to {@code hits-3}. */
	static final int KEYS = 4;

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
			AtomicLongArray acknowledged = new AtomicLongArray(KEYS);
			InstanceAwareCounter instanceAware = null;
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
				case "strict-instance-aware" -> {
					StrictInstanceAwareCounter counter = StrictInstanceAwareCounter.create(backend,
							instanceAwareOptions(prefix, args));
					instanceAware = counter;
					operation = (thread, i) -> {
						try {
							counter.inc("hits-" + (i % KEYS), 1);
							acknowledged.incrementAndGet(i % KEYS);
							succeeded.incrementAndGet();
						}
						catch (DistkitBackendException ex) {
							failed.incrementAndGet();
						}
					};
					finish = () -> {
					};
				}
				case "lax-instance-aware" -> {
					LaxInstanceAwareCounter counter = LaxInstanceAwareCounter.create(backend,
							instanceAwareOptions(prefix, args));
					instanceAware = counter;
					operation = (thread, i) -> {
						counter.inc("hits-" + (i % KEYS), 1);
						acknowledged.incrementAndGet(i % KEYS);
						succeeded.incrementAndGet();
					};
					finish = () -> {
						counter.flush();
						failed.addAndGet(counter.pendingKeys());
					};
				}
				default -> throw new IllegalArgumentException("Unknown mode '" + mode
						+ "': expected strict, lax, redis-absolute, hybrid-absolute, strict-instance-aware or "
						+ "lax-instance-aware");
			}
			System.out.println("READY");
			System.out.flush();
			BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
			in.readLine();
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
			StringBuilder result = new StringBuilder("RESULT succeeded=").append(succeeded.get())
				.append(" failed=")
				.append(failed.get())
				.append(" elapsedMillis=")
				.append(elapsedMillis);
			if (instanceAware != null) {
				for (int k = 0; k < KEYS; k++) {
					result.append(" acknowledged-").append(k).append('=').append(acknowledged.get(k));
				}
			}
			System.out.println(result);
			System.out.flush();
			if (instanceAware != null) {
				serve(instanceAware, in);
			}
		}
		finally {
			factory.destroy();
		}
	}

	/** Threshold and heartbeat from the arguments; this process is one instance of the application. */
	private static InstanceAwareOptions instanceAwareOptions(String prefix, String[] args) {
		if (args.length < 8) {
			throw new IllegalArgumentException("The instance-aware modes need THRESHOLD_MS and HEARTBEAT_MS (got "
					+ List.of(args) + ")");
		}
		return InstanceAwareOptions.builder()
			.prefix(prefix)
			.deadInstanceThreshold(Duration.ofMillis(Long.parseLong(args[6])))
			.heartbeat(Duration.ofMillis(Long.parseLong(args[7])))
			.instanceIdPrefix("worker")
			.build();
	}

	/** Answers {@code GET} with the totals of every key until {@code STOP} (or until the process is killed). */
	private static void serve(InstanceAwareCounter counter, BufferedReader in) throws IOException {
		List<RedisKey> keys = new ArrayList<>(KEYS);
		for (int k = 0; k < KEYS; k++) {
			keys.add(RedisKey.of("hits-" + k));
		}
		for (String line = in.readLine(); line != null; line = in.readLine()) {
			if (line.equals("GET")) {
				StringBuilder totals = new StringBuilder("TOTALS");
				for (KeyTotals row : counter.getAll(keys)) {
					totals.append(' ').append(row.cumulative()).append(' ').append(row.slice());
				}
				System.out.println(totals);
			}
			else if (line.equals("STOP")) {
				counter.close();
				System.out.println("STOPPED");
				System.out.flush();
				return;
			}
			System.out.flush();
		}
	}

	@FunctionalInterface
	private interface Operation {

		void run(int thread, int index);

	}

}
