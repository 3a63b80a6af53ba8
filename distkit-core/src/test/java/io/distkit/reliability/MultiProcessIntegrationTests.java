package io.distkit.reliability;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;

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

/**
 * Two JVM processes × 16 threads sharing the test Redis, each a {@link MultiProcessWorker} started from this test's
 * class path and released at the same moment.
 */
class MultiProcessIntegrationTests extends RedisIntegrationSupport {

	private static final Log logger = LogFactory.getLog(MultiProcessIntegrationTests.class);

	private static final int PROCESSES = 2;

	private static final int THREADS = 16;

	private static final Duration PROCESS_TIMEOUT = Duration.ofMinutes(2);

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
		RedisEndpoint endpoint = TestRedis.endpoint();
		List<Process> processes = new ArrayList<>();
		List<CompletableFuture<List<String>>> outputs = new ArrayList<>();
		List<Path> errors = new ArrayList<>();
		try {
			for (int p = 0; p < PROCESSES; p++) {
				List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx256m", "-cp",
						System.getProperty("java.class.path"), MultiProcessWorker.class.getName(), mode, endpoint.host(),
						Integer.toString(endpoint.port()), this.prefix, Integer.toString(THREADS),
						Integer.toString(operations)));
				if (capacity != null) {
					command.add(Long.toString(capacity));
				}
				Path error = Files.createTempFile("distkit-worker-", ".err");
				errors.add(error);
				Process process = new ProcessBuilder(command).redirectError(error.toFile()).start();
				processes.add(process);
				BufferedReader reader = new BufferedReader(
						new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
				CompletableFuture<Void> ready = new CompletableFuture<>();
				outputs.add(CompletableFuture.supplyAsync(() -> readAll(reader, ready)));
				ready.get(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			}
			for (Process process : processes) { // every process is ready: release them together
				OutputStream in = process.getOutputStream();
				in.write("go\n".getBytes(StandardCharsets.UTF_8));
				in.flush();
			}
			List<Result> results = new ArrayList<>();
			for (int p = 0; p < PROCESSES; p++) {
				Process process = processes.get(p);
				assertThat(process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
					.as("worker %d finished", p).isTrue();
				List<String> lines = outputs.get(p).get(10, TimeUnit.SECONDS);
				assertThat(process.exitValue()).as("worker %d exit value; stderr: %s", p, Files.readString(errors.get(p)))
					.isZero();
				results.add(Result.parse(lines));
			}
			logger.info(mode + " across " + PROCESSES + " processes x " + THREADS + " threads: " + results);
			return results;
		}
		finally {
			processes.forEach(Process::destroyForcibly);
			for (Path error : errors) {
				Files.deleteIfExists(error);
			}
		}
	}

	private static List<String> readAll(BufferedReader reader, CompletableFuture<Void> ready) {
		List<String> lines = new ArrayList<>();
		try {
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				lines.add(line);
				if ("READY".equals(line)) {
					ready.complete(null);
				}
			}
		}
		catch (IOException ex) {
			ready.completeExceptionally(ex);
		}
		ready.completeExceptionally(new IllegalStateException("Worker exited before READY: " + lines));
		return lines;
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
