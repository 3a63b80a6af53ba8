package io.distkit.test;

import java.net.URI;
import java.time.Duration;

import io.lettuce.core.ClientOptions;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Where a Redis for tests answers.
 *
 * @param host host name or address
 * @param port TCP port
 * @param password password, or {@code null}
 * @param source how the server was found (for logs)
 */
public record RedisEndpoint(String host, int port, String password, String source) {

	/** The default deadline of test connections: short, so a broken test fails fast. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

	/**
	 * Parses a {@code redis://[[user]:password@]host[:port]} URL.
	 * @param url the URL, such as the value of {@code REDIS_URL}
	 * @param source how the URL was found
	 * @return the endpoint
	 */
	public static RedisEndpoint fromUrl(String url, String source) {
		URI uri = URI.create(url.trim());
		if (!"redis".equals(uri.getScheme())) {
			throw new IllegalArgumentException("Only redis:// URLs are supported (url=" + url + ")");
		}
		String password = null;
		if (uri.getUserInfo() != null) {
			String info = uri.getUserInfo();
			int colon = info.indexOf(':');
			password = (colon >= 0) ? info.substring(colon + 1) : info;
		}
		int port = (uri.getPort() > 0) ? uri.getPort() : 6379;
		return new RedisEndpoint(uri.getHost(), port, password, source);
	}

	/** The endpoint as a {@code redis://} URL (the form {@code spring.data.redis.url} takes). */
	public String url() {
		return (this.password != null) ? "redis://:" + this.password + "@" + this.host + ":" + this.port
				: "redis://" + this.host + ":" + this.port;
	}

	/** A started Lettuce connection factory with {@link #DEFAULT_TIMEOUT}; the caller destroys it. */
	public LettuceConnectionFactory connectionFactory() {
		return connectionFactory(DEFAULT_TIMEOUT);
	}

	/**
	 * A started Lettuce connection factory; the caller destroys it.
	 * @param timeout command deadline
	 * @return the factory
	 */
	public LettuceConnectionFactory connectionFactory(Duration timeout) {
		return connectionFactory(timeout, ClientOptions.builder().build());
	}

	/**
	 * A started Lettuce connection factory with the given client options; the caller destroys it.
	 * @param timeout command deadline
	 * @param options Lettuce client options, such as
	 * {@code ClientOptions.builder().disconnectedBehavior(REJECT_COMMANDS).build()}
	 * @return the factory
	 */
	public LettuceConnectionFactory connectionFactory(Duration timeout, ClientOptions options) {
		RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(this.host, this.port);
		if (this.password != null) {
			configuration.setPassword(RedisPassword.of(this.password));
		}
		LettuceClientConfiguration client = LettuceClientConfiguration.builder()
			.commandTimeout(timeout)
			.clientOptions(options)
			.build();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration, client);
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	/**
	 * Opens an administrative client for raw commands in tests; the caller closes it.
	 * @return a connected client
	 */
	public RedisAdmin admin() {
		return new RedisAdmin(connectionFactory());
	}

}
