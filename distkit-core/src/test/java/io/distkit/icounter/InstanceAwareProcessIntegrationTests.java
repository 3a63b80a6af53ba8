package io.distkit.icounter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.distkit.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 6, item 7: two separate JVMs ({@link InstanceAwareProcessMain}) increment the same key; one is killed with
 * SIGKILL, and the survivor's heartbeat removes exactly the dead one's slice within the dead-instance threshold plus
 * one heartbeat; then a graceful stop of the survivor removes its slice within 1 s. The cumulative is read from Redis
 * without a script, so only the survivor's own heartbeat can have reaped.
 */
class InstanceAwareProcessIntegrationTests extends InstanceAwareTestSupport {

	private static final Logger logger = LoggerFactory.getLogger(InstanceAwareProcessIntegrationTests.class);

	private static final Duration THRESHOLD = Duration.ofMillis(2000);

	private static final Duration HEARTBEAT = Duration.ofMillis(500);

	/** Slack for scheduling two JVMs and Redis on a shared 2-core machine, and for the 10 ms poll. */
	private static final Duration SLACK = Duration.ofMillis(500);

	private final List<Child> children = new ArrayList<>();

	@AfterEach
	void killChildren() {
		this.children.forEach((child) -> child.process.destroyForcibly());
	}

	@ParameterizedTest
	@ValueSource(strings = { "strict", "lax" })
	void killedProcessIsReapedByTheSurvivorAndAGracefulStopRemovesItsSlice(String type) throws Exception {
		String tag = type.equals("strict") ? "ia" : "lia";
		Child dead = start(type, 3);
		Child survivor = start(type, 5);
		dead.expect("READY");
		survivor.expect("READY");
		assertThat(storedCumulative(tag, "k")).isEqualTo(8);

		dead.process.destroyForcibly(); // SIGKILL: no flush, no removal, no more heartbeats
		assertThat(dead.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
		long killedAt = System.nanoTime();
		await().atMost(THRESHOLD.plus(HEARTBEAT).plusSeconds(10))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> storedCumulative(tag, "k") != 8);
		Duration reapedAfter = Duration.ofNanos(System.nanoTime() - killedAt);
		logger.info("{}: the killed instance's slice left the cumulative {} ms after SIGKILL", type,
				reapedAfter.toMillis());
		assertThat(storedCumulative(tag, "k")).as("exactly the dead one's slice").isEqualTo(5);
		assertThat(reapedAfter).isLessThanOrEqualTo(THRESHOLD.plus(HEARTBEAT).plus(SLACK));
		assertThat(reapedAfter).as("not before the threshold since its last heartbeat")
			.isGreaterThanOrEqualTo(THRESHOLD.minus(HEARTBEAT).minus(HEARTBEAT));
		survivor.send("GET");
		assertThat(survivor.expect("VALUE")).isEqualTo("VALUE 5 5");

		long stopAt = System.nanoTime();
		survivor.send("STOP");
		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(5))
			.until(() -> storedCumulative(tag, "k") == 0);
		Duration removedAfter = Duration.ofNanos(System.nanoTime() - stopAt);
		logger.info("{}: a graceful stop removed the survivor's slice {} ms after STOP", type, removedAfter.toMillis());
		assertThat(removedAfter).isLessThan(Duration.ofSeconds(1));
		survivor.expect("STOPPED");
		assertThat(survivor.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
		assertThat(survivor.process.exitValue()).isZero();
		assertThat(admin.template().opsForZSet().size("{" + this.prefix + ":" + tag + "}:instances")).isZero();
	}

	private Child start(String type, long amount) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
				System.getProperty("java.class.path"), InstanceAwareProcessMain.class.getName(),
				TestRedis.endpoint().url(), this.prefix, type, "k", Long.toString(amount),
				Long.toString(THRESHOLD.toMillis()), Long.toString(HEARTBEAT.toMillis()));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		Child child = new Child(process);
		this.children.add(child);
		return child;
	}

	/** A child JVM: its output lines in a queue, its input for commands. */
	private static final class Child {

		private final Process process;

		private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

		private final StringBuilder transcript = new StringBuilder();

		Child(Process process) {
			this.process = process;
			Thread reader = new Thread(() -> {
				try (BufferedReader in = new BufferedReader(
						new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
					for (String line = in.readLine(); line != null; line = in.readLine()) {
						this.lines.add(line);
					}
				}
				catch (IOException ex) {
					// the process is gone
				}
			}, "child-output-" + process.pid());
			reader.setDaemon(true);
			reader.start();
		}

		void send(String command) {
			try {
				OutputStream in = this.process.getOutputStream();
				in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
				in.flush();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/** The next output line starting with {@code prefix}, waiting up to 60 s (the JVM starts first). */
		String expect(String prefix) throws InterruptedException {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
			while (System.nanoTime() < deadline) {
				String line = this.lines.poll(100, TimeUnit.MILLISECONDS);
				if (line != null) {
					this.transcript.append(line).append('\n');
					if (line.startsWith(prefix)) {
						return line;
					}
				}
				else if (!this.process.isAlive() && this.lines.isEmpty()) {
					break;
				}
			}
			throw new AssertionError("No line starting with " + prefix + " from the child; its output:\n"
					+ this.transcript);
		}

	}

}
