package io.distkit.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.distkit.RedisIntegrationSupport;
import io.distkit.RedisKey;
import io.distkit.counter.CounterOptions;
import io.distkit.counter.LaxCounter;
import io.distkit.counter.StrictCounter;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.test.RedisEndpoint;
import io.distkit.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two JVM processes × 16 threads sharing the test Redis, each a {@link MultiProcessWorker} started from this test's
 * class path and released at the same moment: counters, rate limits, and instance-aware counters (one instance per
 * process) of which one process is then killed.
 */
class MultiProcessIntegrationTests extends RedisIntegrationSupport {

	private static final Log logger = LogFactory.getLog(MultiProcessIntegrationTests.class);

	private static final int PROCESSES = 2;

	private static final int THREADS = 16;

	private static final Duration PROCESS_TIMEOUT = Duration.ofMinutes(2);

	/**
	 * Dead-instance threshold of the instance-aware proofs: far above any pause of a busy process's heartbeat (every
	 * call refreshes it, the idle heartbeat runs every {@link #IA_HEARTBEAT}), so nobody is reaped while alive.
	 */
	private static final Duration IA_THRESHOLD = Duration.ofSeconds(3);

	private static final Duration IA_HEARTBEAT = Duration.ofMillis(500);

	@Test
	void strictCounter_totalIsExactlyTheAcknowledgedIncrements() throws Exception {
		List<Result> results = run("strict", 100, null);
		long acknowledged = sum(results, "succeeded");
		assertThat(sum(results, "failed")).as("failed calls against a healthy Redis").isZero();
		long total = StrictCounter.create(backend, CounterOptions.builder().prefix(this.prefix).build()).get("hits");
		assertThat(total).isEqualTo(acknowledged).isEqualTo(PROCESSES * THREADS * 100L);
	}

	@Test
	void laxCounter_totalIsExact() throws Exception {
		List<Result> results = run("lax", 20_000, null);
		assertThat(sum(results, "failed")).as("keys left unflushed at close").isZero();
		try (LaxCounter reader = LaxCounter.create(backend, CounterOptions.builder().prefix(this.prefix).build())) {
			long total = 0;
			for (int i = 0; i < 4; i++) {
				total += reader.get("hits-" + i);
			}
			assertThat(total).isEqualTo(sum(results, "succeeded")).isEqualTo(PROCESSES * THREADS * 20_000L);
		}
	}

	@Test
	void redisProvider_absolute_admitsExactlyTheCapacityWithinOneWindow() throws Exception {
		long capacity = 500;
		List<Result> results = run("redis-absolute", 50, capacity); // 1,600 attempts in a burst
		assertThat(sum(results, "failed")).as("degraded decisions").isZero();
		assertThat(sum(results, "succeeded")).isEqualTo(capacity);
		assertThat(stored("redis-absolute", capacity)).isEqualTo(capacity);
	}

	/**
	 * HybridLimitEngine's documented bound: each instance admits only while its own view (Redis' total at its last
	 * synchronisation, which holds its committed units, plus its uncommitted units) fits, so N instances admit at most
	 * N × capacity in one window, and at least the capacity when the demand exceeds it.
	 */
	@Test
	void hybridProvider_absolute_overshootStaysWithinItsDocumentedBound() throws Exception {
		long capacity = 500;
		List<Result> results = run("hybrid-absolute", 50, capacity); // 1,600 attempts: more than N × capacity
		long admitted = sum(results, "succeeded");
		logger.info("Hybrid burst across " + PROCESSES + " processes: admitted " + admitted + " of capacity " + capacity
				+ " (overshoot " + (admitted - capacity) + ")");
		assertThat(sum(results, "failed")).as("degraded decisions").isZero();
		assertThat(admitted).isBetween(capacity, PROCESSES * capacity);
		assertThat(stored("hybrid-absolute", capacity)).as("every admitted unit committed once").isEqualTo(admitted);
	}

	/**
	 * Instance-aware counters, one instance per process: while both live, the cumulative of every key is exactly the
	 * sum of both processes' increments (acknowledged ones for the strict counter, all of them for the lax one after
	 * its flush) and each process sees its own slice; after a SIGKILL of one, the survivor's heartbeat reaps it and
	 * every cumulative drops by exactly the dead one's slice (every value Redis shows on the way is one of the two);
	 * a graceful stop of the survivor then removes its slices.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "strict-instance-aware", "lax-instance-aware" })
	void instanceAware_exactWhileBothLive_survivorSeesTheDropOfExactlyTheKilledSlice(String mode) throws Exception {
		String tag = mode.startsWith("strict") ? "ia" : "lia";
		int operations = mode.startsWith("strict") ? 100 : 10_000;
		int keys = MultiProcessWorker.KEYS;
		List<Worker> workers = start(mode, operations,
				List.of(Long.toString(IA_THRESHOLD.toMillis()), Long.toString(IA_HEARTBEAT.toMillis())));
		try {
			long[][] own = new long[PROCESSES][keys];
			long[] total = new long[keys];
			for (int p = 0; p < PROCESSES; p++) {
				Result result = workers.get(p).result();
				assertThat(result.value("failed")).as("worker %d: failed calls or keys left unflushed", p).isZero();
				assertThat(result.value("succeeded")).isEqualTo(THREADS * (long) operations);
				for (int k = 0; k < keys; k++) {
					own[p][k] = result.value("acknowledged-" + k);
					total[k] += own[p][k];
				}
			}
			logger.info(mode + " across " + PROCESSES + " processes x " + THREADS + " threads: per key and process "
					+ Arrays.deepToString(own));
			for (int k = 0; k < keys; k++) {
				assertThat(storedCumulative(tag, k)).as("cumulative of hits-%d in Redis while both live", k)
					.isEqualTo(total[k]);
			}
			assertThat(Arrays.stream(total).sum()).isEqualTo(PROCESSES * THREADS * (long) operations);
			assertThat(registered(tag)).as("instances registered").isEqualTo(PROCESSES);
			for (int p = 0; p < PROCESSES; p++) {
				Worker worker = workers.get(p);
				long[] slices = own[p];
				// a lax instance answers from its local copy for up to allowed-lag (20 ms) after its last confirmation
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(worker.totals()).isEqualTo(expectedTotals(total, slices)));
			}

			Worker dead = workers.get(0);
			Worker survivor = workers.get(1);
			dead.kill();
			long killedAt = System.nanoTime();
			List<String> unexpected = new CopyOnWriteArrayList<>();
			await().atMost(IA_THRESHOLD.plus(IA_HEARTBEAT).plusSeconds(20))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> {
					boolean dropped = true;
					for (int k = 0; k < keys; k++) {
						long stored = storedCumulative(tag, k);
						if (stored != total[k] && stored != own[1][k]) {
							unexpected.add("hits-" + k + "=" + stored);
						}
						dropped &= (stored == own[1][k]);
					}
					return dropped;
				});
			logger.info(mode + ": the killed process's slices left the cumulatives "
					+ Duration.ofNanos(System.nanoTime() - killedAt).toMillis() + " ms after SIGKILL");
			assertThat(unexpected).as("cumulatives other than before and after the drop").isEmpty();
			assertThat(registered(tag)).as("only the survivor is registered").isEqualTo(1);
			long[][] afterDrop = expectedTotals(own[1], own[1]);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(survivor.totals())
					.as("the survivor sees every cumulative dropped by exactly the dead one's slice")
					.isEqualTo(afterDrop));

			survivor.send("STOP");
			survivor.expect("STOPPED");
			survivor.awaitExit();
			for (int k = 0; k < keys; k++) {
				assertThat(storedCumulative(tag, k)).as("hits-%d after a graceful stop", k).isZero();
			}
			assertThat(registered(tag)).isZero();
		}
		finally {
			workers.forEach(Worker::close);
		}
	}

	private static long[][] expectedTotals(long[] cumulatives, long[] slices) {
		long[][] totals = new long[cumulatives.length][];
		for (int k = 0; k < cumulatives.length; k++) {
			totals[k] = new long[] { cumulatives[k], slices[k] };
		}
		return totals;
	}

	/** The cumulative of {@code hits-<k>} in Redis, read with {@code HGET} (no script: no heartbeat, no reaping). */
	private long storedCumulative(String tag, int k) {
		Object value = admin.template().opsForHash().get("{" + this.prefix + ":" + tag + "}:cumulative", "hits-" + k);
		return (value != null) ? Long.parseLong((String) value) : 0;
	}

	/** How many instances the container's registry holds ({@code ZCARD}). */
	private long registered(String tag) {
		Long size = admin.template().opsForZSet().size("{" + this.prefix + ":" + tag + "}:instances");
		return (size != null) ? size : 0;
	}

	private long stored(String mode, long capacity) {
		try (RateLimiter limiter = RateLimiter.builder().redis(backend, RedisKey.prefix(this.prefix)).build()) {
			return limiter.limit(RateLimit.builder("burst")
				.capacity(capacity)
				.window(MultiProcessWorker.WINDOW)
				.bucket(Duration.ofSeconds(1))
				.provider(RateLimit.Provider.REDIS)
				.build()).get("shared").total();
		}
	}

	private List<Result> run(String mode, int operations, Long capacity) throws Exception {
		List<String> extra = (capacity != null) ? List.of(Long.toString(capacity)) : List.of();
		List<Worker> workers = start(mode, operations, extra);
		try {
			List<Result> results = new ArrayList<>();
			for (Worker worker : workers) {
				results.add(worker.result());
				worker.awaitExit();
			}
			logger.info(mode + " across " + PROCESSES + " processes x " + THREADS + " threads: " + results);
			return results;
		}
		finally {
			workers.forEach(Worker::close);
		}
	}

	/**
	 * Starts {@value #PROCESSES} workers, waits until each is ready, and releases them together.
	 * @param mode the worker's mode
	 * @param operations operations per thread
	 * @param extra the mode's further arguments
	 * @return the running workers; the caller closes them
	 */
	private List<Worker> start(String mode, int operations, List<String> extra) throws Exception {
		RedisEndpoint endpoint = TestRedis.endpoint();
		List<Worker> workers = new ArrayList<>();
		try {
			for (int p = 0; p < PROCESSES; p++) {
				List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx256m", "-cp",
						System.getProperty("java.class.path"), MultiProcessWorker.class.getName(), mode, endpoint.host(),
						Integer.toString(endpoint.port()), this.prefix, Integer.toString(THREADS),
						Integer.toString(operations)));
				command.addAll(extra);
				workers.add(new Worker(p, command));
			}
			for (Worker worker : workers) {
				worker.expect("READY");
			}
			for (Worker worker : workers) { // every process is ready: release them together
				worker.send("go");
			}
			return workers;
		}
		catch (Exception | AssertionError ex) {
			workers.forEach(Worker::close);
			throw ex;
		}
	}

	/** One worker process: its standard output as a queue of lines, its standard error in a file. */
	private static final class Worker implements AutoCloseable {

		private final int index;

		private final Process process;

		private final Path error;

		private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

		private final List<String> transcript = new CopyOnWriteArrayList<>();

		Worker(int index, List<String> command) throws IOException {
			this.index = index;
			this.error = Files.createTempFile("distkit-worker-", ".err");
			this.process = new ProcessBuilder(command).redirectError(this.error.toFile()).start();
			Thread reader = new Thread(() -> {
				try (BufferedReader in = new BufferedReader(
						new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
					for (String line = in.readLine(); line != null; line = in.readLine()) {
						this.lines.add(line);
					}
				}
				catch (IOException ex) {
					// the process is gone
				}
			}, "worker-output-" + index);
			reader.setDaemon(true);
			reader.start();
		}

		void send(String line) throws IOException {
			OutputStream in = this.process.getOutputStream();
			in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
			in.flush();
		}

		/** The next output line starting with {@code prefix}, within {@link #PROCESS_TIMEOUT}. */
		String expect(String prefix) throws InterruptedException, IOException {
			long deadline = System.nanoTime() + PROCESS_TIMEOUT.toNanos();
			while (System.nanoTime() < deadline) {
				String line = this.lines.poll(100, TimeUnit.MILLISECONDS);
				if (line != null) {
					this.transcript.add(line);
					if (line.startsWith(prefix)) {
						return line;
					}
				}
				else if (!this.process.isAlive() && this.lines.isEmpty()) {
					break;
				}
			}
			throw new AssertionError("Worker " + this.index + " printed no line starting with " + prefix
					+ "; its output: " + this.transcript + "; stderr: " + Files.readString(this.error));
		}

		Result result() throws InterruptedException, IOException {
			return Result.parse(List.of(expect("RESULT ")));
		}

		/** Asks for the totals of every key: {@code [cumulative, slice]} per key. */
		long[][] totals() throws InterruptedException, IOException {
			send("GET");
			String[] fields = expect("TOTALS").split(" ");
			long[][] totals = new long[MultiProcessWorker.KEYS][2];
			for (int k = 0; k < MultiProcessWorker.KEYS; k++) {
				totals[k][0] = Long.parseLong(fields[1 + 2 * k]);
				totals[k][1] = Long.parseLong(fields[2 + 2 * k]);
			}
			return totals;
		}

		/** SIGKILL: no flush, no removal, no more heartbeats. */
		void kill() throws InterruptedException {
			this.process.destroyForcibly();
			assertThat(this.process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
				.as("worker %d killed", this.index)
				.isTrue();
		}

		void awaitExit() throws InterruptedException, IOException {
			assertThat(this.process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
				.as("worker %d finished", this.index)
				.isTrue();
			assertThat(this.process.exitValue())
				.as("worker %d exit value; stderr: %s", this.index, Files.readString(this.error))
				.isZero();
		}

		@Override
		public void close() {
			this.process.destroyForcibly();
			try {
				Files.deleteIfExists(this.error);
			}
			catch (IOException ex) {
				// a temporary file
			}
		}

	}

	private static String javaExecutable() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private static long sum(List<Result> results, String name) {
		return results.stream().mapToLong((result) -> result.value(name)).sum();
	}

	private record Result(Map<String, Long> values) {

		static Result parse(List<String> lines) {
			for (String line : lines) {
				if (line.startsWith("RESULT ")) {
					Map<String, Long> values = new HashMap<>();
					for (String pair : line.substring("RESULT ".length()).split(" ")) {
						int equals = pair.indexOf('=');
						values.put(pair.substring(0, equals), Long.parseLong(pair.substring(equals + 1)));
					}
					return new Result(values);
				}
			}
			throw new AssertionError("No RESULT line in the worker's output: " + lines);
		}

		long value(String name) {
			Long value = this.values.get(name);
			if (value == null) {
				throw new AssertionError("No " + name + " in " + this.values);
			}
			return value;
		}

	}

}
