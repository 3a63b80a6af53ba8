package io.distkit.spring.boot.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Builds the Lettuce connection factory of a dedicated distkit connection from {@code distkit.redis.*}: a URL, a
 * host, or cluster nodes (with adaptive and periodic topology refresh), rejecting commands while disconnected.
 */
final class DedicatedRedisConnectionFactories {

	/**
	 * Periodic topology refresh of a dedicated cluster connection. Adaptive triggers alone may fire before a failed
	 * master's replica is promoted and then stay quiet for 30 s; the periodic refresh bounds how long a killed master's
	 * slots stay routed to it.
	 */
	static final Duration TOPOLOGY_REFRESH_PERIOD = Duration.ofSeconds(1);

	private DedicatedRedisConnectionFactories() {
	}

	static LettuceConnectionFactory create(DistkitProperties.Redis properties) {
		boolean cluster = !properties.getCluster().getNodes().isEmpty();
		Endpoint endpoint = endpoint(properties);
		RedisConfiguration configuration = cluster ? clusterConfiguration(properties, endpoint)
				: standaloneConfiguration(endpoint);
		LettuceClientConfiguration.LettuceClientConfigurationBuilder client = LettuceClientConfiguration.builder();
		if (properties.getTimeout() != null) {
			client.commandTimeout(DistkitPropertiesMapper.positive("distkit.redis.timeout", properties.getTimeout()));
		}
		if (endpoint.ssl()) {
			client.useSsl();
		}
		// Rejecting commands while disconnected fails the commands in flight when a connection drops instead of
		// sending them again after the reconnect: a strict increment that already ran is never applied twice.
		if (cluster) {
			client.clientOptions(ClusterClientOptions.builder()
				.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
				.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
					.enableAllAdaptiveRefreshTriggers()
					.enablePeriodicRefresh(TOPOLOGY_REFRESH_PERIOD)
					.build())
				.build());
		}
		else {
			client.clientOptions(ClientOptions.builder()
				.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
				.build());
		}
		return new LettuceConnectionFactory(configuration, client.build());
	}

	private static RedisStandaloneConfiguration standaloneConfiguration(Endpoint endpoint) {
		RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(endpoint.host(), endpoint.port());
		configuration.setDatabase(endpoint.database());
		configuration.setUsername(endpoint.username());
		configuration.setPassword(RedisPassword.of(endpoint.password()));
		return configuration;
	}

	private static RedisClusterConfiguration clusterConfiguration(DistkitProperties.Redis properties,
			Endpoint endpoint) {
		List<String> nodes = properties.getCluster().getNodes();
		for (String node : nodes) {
			int colon = node.lastIndexOf(':');
			if (colon <= 0 || colon == node.length() - 1 || !node.substring(colon + 1).chars().allMatch(Character::isDigit)) {
				throw new InvalidDistkitPropertyException("distkit.redis.cluster.nodes", node,
						"each node must be written host:port");
			}
		}
		RedisClusterConfiguration configuration = new RedisClusterConfiguration(nodes);
		configuration.setUsername(endpoint.username());
		configuration.setPassword(RedisPassword.of(endpoint.password()));
		return configuration;
	}

	private static Endpoint endpoint(DistkitProperties.Redis properties) {
		String url = properties.getUrl();
		if (url == null || url.isBlank()) {
			if (properties.getPort() < 1 || properties.getPort() > 65535) {
				throw new InvalidDistkitPropertyException("distkit.redis.port", properties.getPort(),
						"must be between 1 and 65535");
			}
			if (properties.getDatabase() < 0) {
				throw new InvalidDistkitPropertyException("distkit.redis.database", properties.getDatabase(),
						"must not be negative");
			}
			String host = (properties.getHost() != null) ? properties.getHost() : "localhost";
			return new Endpoint(host, properties.getPort(), properties.getDatabase(), properties.getUsername(),
					properties.getPassword(), properties.getSsl().isEnabled());
		}
		return parse(url, properties);
	}

	private static Endpoint parse(String url, DistkitProperties.Redis properties) {
		URI uri;
		try {
			uri = new URI(url.trim());
		}
		catch (URISyntaxException ex) {
			throw new InvalidDistkitPropertyException("distkit.redis.url", url, "must be a valid URL", ex);
		}
		String scheme = uri.getScheme();
		if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
			throw new InvalidDistkitPropertyException("distkit.redis.url", url,
					"must start with redis:// or rediss://");
		}
		if (uri.getHost() == null) {
			throw new InvalidDistkitPropertyException("distkit.redis.url", url, "must name a host");
		}
		String username = null;
		String password = null;
		if (uri.getRawUserInfo() != null) {
			String info = uri.getUserInfo();
			int colon = info.indexOf(':');
			if (colon >= 0) {
				username = (colon > 0) ? info.substring(0, colon) : null;
				password = info.substring(colon + 1);
			}
			else {
				password = info;
			}
		}
		int database = 0;
		String path = uri.getPath();
		if (path != null && path.length() > 1) {
			try {
				database = Integer.parseInt(path.substring(1));
			}
			catch (NumberFormatException ex) {
				throw new InvalidDistkitPropertyException("distkit.redis.url", url,
						"the path must be a database index, e.g. redis://host:6379/0", ex);
			}
		}
		int port = (uri.getPort() > 0) ? uri.getPort() : 6379;
		return new Endpoint(uri.getHost(), port, database, username, password,
				"rediss".equals(scheme) || properties.getSsl().isEnabled());
	}

	private record Endpoint(String host, int port, int database, @Nullable String username,
			@Nullable String password, boolean ssl) {
	}

}
