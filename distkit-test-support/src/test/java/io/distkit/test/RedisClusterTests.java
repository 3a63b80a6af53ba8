package io.distkit.test;

import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RedisClusterTests {

	@Test
	void builder_rejectsInvalidOptions() {
		assertThatIllegalArgumentException().isThrownBy(() -> RedisCluster.builder().masters(2))
			.withMessage("A Redis Cluster needs at least 3 masters (masters=2)");
		assertThatIllegalArgumentException().isThrownBy(() -> RedisCluster.builder().replicasPerMaster(-1))
			.withMessage("replicasPerMaster must not be negative (value=-1)");
		assertThatIllegalArgumentException().isThrownBy(() -> RedisCluster.builder().nodeTimeout(Duration.ofMillis(50)))
			.withMessage("nodeTimeout must be at least 100ms (value=PT0.05S)");
	}

	@Test
	@Tag("cluster")
	void start_formsThreeMastersWithOneReplicaEach_andFailoverSwapsRoles() {
		try (RedisCluster cluster = RedisCluster.start()) {
			assertThat(cluster.nodes()).hasSize(6);
			RedisProcess master = cluster.masterOf("{any}");
			RedisProcess replica = cluster.replicaOf(master);
			assertThat(replica).isNotEqualTo(master);
			assertThatIllegalArgumentException().isThrownBy(() -> cluster.failover(master))
				.withMessageContaining("is not a replica");
			cluster.failover(replica);
			assertThat(cluster.masterOf("{any}")).isEqualTo(replica);
			assertThat(cluster.replicaOf(replica)).isEqualTo(master);
		}
	}

}
