package io.distkit.test;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds a {@code redis-server} executable: the one on the {@code PATH}, or the Redis 6.2 binary packaged in
 * {@code com.github.codemonstur:embedded-redis}, extracted once per JVM.
 */
public final class RedisBinaries {

	private static Path embedded;

	private RedisBinaries() {
	}

	/** The {@code redis-server} on the {@code PATH}, else the packaged one. */
	public static Path preferred() {
		return onPath().orElseGet(RedisBinaries::embedded);
	}

	/** The {@code redis-server} on the {@code PATH}, if any. */
	public static Optional<Path> onPath() {
		return onPathNamed("redis-server");
	}

	/**
	 * An executable of the given name on the {@code PATH}, if any.
	 * @param name the file name, e.g. {@code redis-cli}
	 * @return its path
	 */
	public static Optional<Path> onPathNamed(String name) {
		String path = System.getenv("PATH");
		if (path == null) {
			return Optional.empty();
		}
		for (String dir : path.split(File.pathSeparator)) {
			Path candidate = Path.of(dir, name);
			if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
				return Optional.of(candidate);
			}
		}
		return Optional.empty();
	}

	/**
	 * The Redis 6.2 binary packaged for this operating system and architecture, extracted to a temporary file.
	 * @throws IllegalStateException if no binary is packaged for this platform
	 */
	public static synchronized Path embedded() {
		if (embedded == null) {
			embedded = extract(resourceName());
		}
		return embedded;
	}

	private static String resourceName() {
		String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
		String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
		boolean arm = arch.contains("aarch64") || arch.contains("arm");
		if (os.contains("linux")) {
			return arm ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64";
		}
		if (os.contains("mac")) {
			return arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
		}
		throw new IllegalStateException("No packaged redis-server for os.name=" + os + ", os.arch=" + arch
				+ "; install redis-server on the PATH or set REDIS_URL");
	}

	private static Path extract(String resource) {
		try (InputStream in = RedisBinaries.class.getClassLoader().getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("Resource " + resource + " not found: is embedded-redis on the classpath?");
			}
			Path target = Files.createTempFile("distkit-" + resource + "-", "");
			Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
			if (!target.toFile().setExecutable(true)) {
				throw new IllegalStateException("Cannot make " + target + " executable");
			}
			target.toFile().deleteOnExit();
			return target;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot extract " + resource, ex);
		}
	}

}
