package io.distkit.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private {@code redis-server} process on a free loopback port, for tests that stop, kill, pause or restart
 * Redis. The data directory survives {@link #kill()} and {@link #stop()} so a {@link #restart()} with persistence
 * on ({@code --appendonly yes}) finds the data again.
 *
 * <pre>{@code
 * try (RedisProcess redis = RedisProcess.builder().option("--appendonly", "yes").start()) {
 *     redis.kill();
 *     redis.restart();
 * }
 * }</pre>
 */
public final class RedisProcess implements AutoCloseable {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

	private final Path binary;

	private final List<String> options;

	private final int port;

	private final Path dir;

	private Process process;

	private boolean paused;

	private RedisProcess(Path binary, List<String> options, int port, Path dir) {
		this.binary = binary;
		this.options = options;
		this.port = port;
		this.dir = dir;
	}

	/** A builder for a process of the preferred binary ({@link RedisBinaries#preferred()}). */
	public static Builder builder() {
		return new Builder();
	}

	/** Starts a server with default options (no persistence). */
	public static RedisProcess start() {
		return builder().start();
	}

	public String host() {
		return "127.0.0.1";
	}

	public int port() {
		return this.port;
	}

	/** The endpoint of this process. */
	public RedisEndpoint endpoint() {
		return new RedisEndpoint(host(), this.port, null, "process " + this.binary);
	}

	/** The operating-system process id of the running server. */
	public synchronized long pid() {
		requireRunning();
		return this.process.pid();
	}

	public synchronized boolean isRunning() {
		return this.process != null && this.process.isAlive();
	}

	/** Stops the server with {@code SIGTERM} (a graceful shutdown) and waits for it to exit. */
	public synchronized void stop() {
		requireRunning();
		resumeIfPaused();
		this.process.destroy();
		awaitExit();
	}

	/** Kills the server with {@code SIGKILL}: nothing is flushed or closed. */
	public synchronized void kill() {
		requireRunning();
		this.process.destroyForcibly();
		awaitExit();
		this.paused = false;
	}

	/** Freezes the server with {@code SIGSTOP}: connections stay open, nothing answers. */
	public synchronized void pause() {
		requireRunning();
		signal("STOP");
		this.paused = true;
	}

	/** Resumes a paused server with {@code SIGCONT}. */
	public synchronized void resume() {
		requireRunning();
		signal("CONT");
		this.paused = false;
	}

	/** Starts the server again on the same port and data directory after {@link #stop()} or {@link #kill()}. */
	public synchronized void restart() {
		if (isRunning()) {
			throw new IllegalStateException("redis-server on port " + this.port + " is still running");
		}
		launch();
	}

	/** Sends {@code command} with arguments and returns the raw first reply line (for tests only). */
	public String command(String... args) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host(), this.port), 1000);
			socket.setSoTimeout(2000);
			OutputStream out = socket.getOutputStream();
			StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
			for (String arg : args) {
				byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
				request.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
			}
			out.write(request.toString().getBytes(StandardCharsets.UTF_8));
			out.flush();
			return readLine(socket.getInputStream());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Redis on port " + this.port + " did not answer " + String.join(" ", args),
					ex);
		}
	}

	/**
	 * Sends {@code command} with arguments and decodes the whole reply (for tests only): a simple or bulk string as
	 * {@link String} ({@code null} for a nil bulk), an integer as {@link Long}, an array as a {@link List}.
	 * @throws IllegalStateException if Redis answered with an error reply (its text is the message)
	 * @throws UncheckedIOException if Redis did not answer within 2 seconds
	 */
	public Object query(String... args) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host(), this.port), 1000);
			socket.setSoTimeout(2000);
			OutputStream out = socket.getOutputStream();
			out.write(encode(args));
			out.flush();
			return readReply(new java.io.BufferedInputStream(socket.getInputStream()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Redis on port " + this.port + " did not answer " + String.join(" ", args),
					ex);
		}
	}

	private static byte[] encode(String... args) {
		java.io.ByteArrayOutputStream request = new java.io.ByteArrayOutputStream();
		byte[] header = ("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8);
		request.writeBytes(header);
		for (String arg : args) {
			byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
			request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
			request.writeBytes(bytes);
			request.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
		}
		return request.toByteArray();
	}

	private static Object readReply(InputStream in) throws IOException {
		String line = readLine(in);
		if (line.isEmpty()) {
			throw new IOException("Connection closed before a reply");
		}
		char type = line.charAt(0);
		String rest = line.substring(1);
		switch (type) {
			case '+':
				return rest;
			case '-':
				throw new IllegalStateException(rest);
			case ':':
				return Long.parseLong(rest);
			case '$': {
				int length = Integer.parseInt(rest);
				if (length < 0) {
					return null;
				}
				byte[] bytes = in.readNBytes(length + 2);
				return new String(bytes, 0, length, StandardCharsets.UTF_8);
			}
			case '*': {
				int count = Integer.parseInt(rest);
				if (count < 0) {
					return null;
				}
				List<Object> items = new ArrayList<>(count);
				for (int i = 0; i < count; i++) {
					items.add(readReply(in));
				}
				return items;
			}
			default:
				throw new IOException("Unexpected reply line: " + line);
		}
	}

	@Override
	public String toString() {
		return "RedisProcess[127.0.0.1:" + this.port + "]";
	}

	@Override
	public synchronized void close() {
		if (isRunning()) {
			resumeIfPaused();
			this.process.destroyForcibly();
			awaitExit();
		}
		deleteDir();
	}

	private synchronized void launch() {
		List<String> command = new ArrayList<>();
		command.add(this.binary.toString());
		command.add("--port");
		command.add(Integer.toString(this.port));
		command.add("--bind");
		command.add("127.0.0.1");
		command.add("--dir");
		command.add(this.dir.toString());
		command.add("--save");
		command.add("");
		command.add("--protected-mode");
		command.add("no");
		command.addAll(this.options);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(this.dir.resolve("redis.log").toFile());
		try {
			this.process = builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start " + command, ex);
		}
		awaitReady();
	}

	private void awaitReady() {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("redis-server on port " + this.port + " exited at start: " + log());
			}
			try {
				if ("+PONG".equals(command("PING"))) {
					return;
				}
			}
			catch (UncheckedIOException ex) {
				// not listening yet
			}
			try {
				this.process.waitFor(20, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		throw new IllegalStateException("redis-server on port " + this.port + " did not answer within "
				+ START_TIMEOUT + ": " + log());
	}

	private String log() {
		try {
			return Files.readString(this.dir.resolve("redis.log"));
		}
		catch (IOException ex) {
			return "(no log)";
		}
	}

	private void awaitExit() {
		try {
			if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
				throw new IllegalStateException("redis-server on port " + this.port + " did not exit");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private void resumeIfPaused() {
		if (this.paused) {
			signal("CONT");
			this.paused = false;
		}
	}

	private void signal(String name) {
		try {
			Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(this.process.pid())).inheritIO()
				.start();
			if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
				throw new IllegalStateException("kill -" + name + " " + this.process.pid() + " failed");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private void requireRunning() {
		if (!isRunning()) {
			throw new IllegalStateException("redis-server on port " + this.port + " is not running");
		}
	}

	private void deleteDir() {
		try (Stream<Path> paths = Files.walk(this.dir)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// best effort: a temporary directory
		}
	}

	private static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		int c;
		while ((c = in.read()) != -1) {
			if (c == '\r') {
				in.read();
				break;
			}
			line.append((char) c);
		}
		return line.toString();
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Options of a {@link RedisProcess}. */
	public static final class Builder {

		private Path binary;

		private final List<String> options = new ArrayList<>();

		private int port;

		private Builder() {
		}

		/** Which executable to run; default {@link RedisBinaries#preferred()}. */
		public Builder binary(Path binary) {
			this.binary = binary;
			return this;
		}

		/** Runs the Redis 6.2 binary packaged in embedded-redis. */
		public Builder embeddedBinary() {
			return binary(RedisBinaries.embedded());
		}

		/** Adds a command-line option such as {@code option("--appendonly", "yes")}. */
		public Builder option(String name, String... values) {
			this.options.add(name);
			this.options.addAll(List.of(values));
			return this;
		}

		/** Adds command-line options as they are, such as {@code List.of("--appendonly", "yes")}. */
		public Builder options(List<String> options) {
			this.options.addAll(options);
			return this;
		}

		/** Appends {@code --appendonly yes --appendfsync always}: every acknowledged write survives a kill. */
		public Builder durable() {
			return option("--appendonly", "yes").option("--appendfsync", "always");
		}

		/** A fixed port instead of a free one. */
		public Builder port(int port) {
			this.port = port;
			return this;
		}

		/** Starts the process and waits until it answers {@code PING}. */
		public RedisProcess start() {
			Path executable = (this.binary != null) ? this.binary : RedisBinaries.preferred();
			IllegalStateException last = null;
			for (int attempt = 0; attempt < 3; attempt++) {
				int chosen = (this.port != 0) ? this.port : freePort();
				Path dir;
				try {
					dir = Files.createTempDirectory("distkit-redis-" + chosen + "-");
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
				RedisProcess process = new RedisProcess(executable, List.copyOf(this.options), chosen, dir);
				try {
					process.launch();
					Runtime.getRuntime().addShutdownHook(new Thread(process::close, "redis-process-" + chosen));
					return process;
				}
				catch (IllegalStateException ex) {
					process.close();
					last = ex;
				}
			}
			throw last;
		}

	}

}
