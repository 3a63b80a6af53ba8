package io.distkit.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The client options of distkit's dedicated connection (see docs/reliability.md). */
class DedicatedRedisConnectionFactoriesTests {

	@Test
	void standalone_rejectsCommandsWhileDisconnected() {
		DistkitProperties.Redis properties = new DistkitProperties().getRedis();
		properties.setUrl("redis://localhost:6379");
		LettuceConnectionFactory factory = DedicatedRedisConnectionFactories.create(properties);
		ClientOptions options = factory.getClientConfiguration().getClientOptions().orElseThrow();
		assertThat(options.getDisconnectedBehavior()).isEqualTo(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
	}

	@Test
	void cluster_rejectsCommandsWhileDisconnectedAndRefreshesItsTopologyAdaptivelyAndEverySecond() {
		DistkitProperties.Redis properties = new DistkitProperties().getRedis();
		properties.getCluster().setNodes(List.of("127.0.0.1:7000", "127.0.0.1:7001"));
		LettuceConnectionFactory factory = DedicatedRedisConnectionFactories.create(properties);
		ClientOptions options = factory.getClientConfiguration().getClientOptions().orElseThrow();
		assertThat(options).isInstanceOfSatisfying(ClusterClientOptions.class, (cluster) -> {
			assertThat(cluster.getDisconnectedBehavior()).isEqualTo(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
			ClusterTopologyRefreshOptions refresh = cluster.getTopologyRefreshOptions();
			assertThat(refresh.isPeriodicRefreshEnabled()).isTrue();
			assertThat(refresh.getRefreshPeriod()).isEqualTo(Duration.ofSeconds(1));
			assertThat(refresh.getAdaptiveRefreshTriggers())
				.containsExactlyInAnyOrder(ClusterTopologyRefreshOptions.RefreshTrigger.values());
		});
	}

	@Test
	void cluster_nodeWithoutPortIsRefused() {
		DistkitProperties.Redis properties = new DistkitProperties().getRedis();
		properties.getCluster().setNodes(List.of("127.0.0.1"));
		assertThatExceptionOfType(InvalidDistkitPropertyException.class)
			.isThrownBy(() -> DedicatedRedisConnectionFactories.create(properties))
			.withMessageContaining("distkit.redis.cluster.nodes")
			.withMessageContaining("host:port");
	}

}
