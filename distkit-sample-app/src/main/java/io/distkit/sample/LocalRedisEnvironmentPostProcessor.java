package io.distkit.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import redis.embedded.RedisServer;

/**
 * Makes the sample application start on a machine with nothing installed: when no {@code spring.data.redis.*}
 * setting names a Redis and none answers on {@code localhost:6379}, it starts the real {@code redis-server} 6.2
 * packaged in {@code com.github.codemonstur:embedded-redis} on a free port and points the application at it. When a
 * setting names a Redis that does not answer, it stops the start-up with a message saying what to do. This is the
 * sample's own convenience: the distkit starter never starts a Redis.
 */
class LocalRedisEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/** Where the sample looks for a Redis when nothing is configured. */
	static final String DEFAULT_ADDRESS_PROPERTY = "sample.redis.default-address";

	private static final List<String> EXPLICIT = List.of("spring.data.redis.url", "spring.data.redis.host",
			"spring.data.redis.port", "spring.data.redis.cluster.nodes", "spring.data.redis.sentinel.nodes");

	private static RedisServer embedded;

	private final Log logger;

	LocalRedisEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(LocalRedisEnvironmentPostProcessor.class);
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE; // after the configuration files are loaded
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String explicit = EXPLICIT.stream().filter(environment::containsProperty).findFirst().orElse(null);
		if (explicit != null) {
			InetSocketAddress address = configuredAddress(environment);
			if (address != null && !answers(address)) {
				throw new IllegalStateException("The sample application is configured to use the Redis at "
						+ address.getHostString() + ":" + address.getPort() + " (" + explicit + "), but nothing answers "
						+ "there. Start that Redis, or remove the spring.data.redis.* settings so that the sample starts "
						+ "an embedded redis-server.");
			}
			return;
		}
		InetSocketAddress fallback = parse(environment.getProperty(DEFAULT_ADDRESS_PROPERTY, "localhost:6379"));
		if (answers(fallback)) {
			environment.getPropertySources()
				.addLast(new MapPropertySource("sample-local-redis", Map.of("spring.data.redis.host",
						fallback.getHostString(), "spring.data.redis.port", fallback.getPort())));
			this.logger.info("Using the Redis on " + fallback.getHostString() + ":" + fallback.getPort());
			return;
		}
		int port = startEmbedded();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("sample-embedded-redis",
					Map.of("spring.data.redis.host", "127.0.0.1", "spring.data.redis.port", port)));
		this.logger.warn("No Redis answered on " + fallback.getHostString() + ":" + fallback.getPort()
				+ " and none is configured: started an embedded redis-server 6.2 (from embedded-redis) on 127.0.0.1:"
				+ port + ". Set spring.data.redis.url to use your own Redis.");
	}

	private static synchronized int startEmbedded() {
		if (embedded != null) {
			return embedded.ports().get(0);
		}
		int port = freePort();
		try {
			RedisServer server = RedisServer.newRedisServer()
				.port(port)
				.bind("127.0.0.1")
				.setting("save \"\"")
				.setting("appendonly no")
				.build();
			server.start();
			embedded = server;
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					server.stop();
				}
				catch (IOException ex) {
					// the JVM is exiting
				}
			}, "sample-embedded-redis-stop"));
			return port;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start the embedded redis-server", ex);
		}
	}

	private static InetSocketAddress configuredAddress(ConfigurableEnvironment environment) {
		String url = environment.getProperty("spring.data.redis.url");
		if (url != null && !url.isBlank()) {
			URI uri = URI.create(url.trim());
			return new InetSocketAddress(uri.getHost(), (uri.getPort() > 0) ? uri.getPort() : 6379);
		}
		if (environment.containsProperty("spring.data.redis.cluster.nodes")
				|| environment.containsProperty("spring.data.redis.sentinel.nodes")) {
			return null; // Lettuce probes cluster and sentinel nodes itself
		}
		return new InetSocketAddress(environment.getProperty("spring.data.redis.host", "localhost"),
				environment.getProperty("spring.data.redis.port", Integer.class, 6379));
	}

	private static InetSocketAddress parse(String address) {
		int colon = address.lastIndexOf(':');
		return new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
	}

	/** Whether a Redis answers {@code PING} at {@code address} within a second. */
	static boolean answers(InetSocketAddress address) {
		try (Socket socket = new Socket()) {
			socket.connect(address, 1000);
			socket.setSoTimeout(1000);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] reply = new byte[5];
			int read = in.readNBytes(reply, 0, 5);
			String text = new String(reply, 0, read, StandardCharsets.US_ASCII);
			return text.startsWith("+PONG") || text.startsWith("-NOAUTH");
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
