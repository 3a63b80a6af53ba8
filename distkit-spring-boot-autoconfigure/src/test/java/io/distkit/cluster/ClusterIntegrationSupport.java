package io.distkit.cluster;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInfo;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.distkit.spring.boot.autoconfigure.DistkitCounterAutoConfiguration;
import io.distkit.spring.boot.autoconfigure.DistkitRateLimitAutoConfiguration;
import io.distkit.spring.boot.autoconfigure.DistkitRedisAutoConfiguration;
import io.distkit.test.RedisCluster;
import io.distkit.test.TestRedis;

/**
 * Base of the Redis Cluster suite (Maven profile {@code cluster}): an application context built by Spring Boot's
 * Redis auto-configuration from {@code spring.data.redis.cluster.nodes} (Lettuce adaptive and periodic topology
 * refresh on) plus distkit's auto-configurations, against the cluster {@code .ci/run} exports in
 * {@value RedisCluster#NODES_VARIABLE}, else a private cluster started once per JVM. Each test gets a unique
 * {@code distkit.prefix}. Suites of new primitives extend this class and add their auto-configuration with
 * {@link #runner()}{@code .withConfiguration(…)}.
 */
@Tag("cluster")
abstract class ClusterIntegrationSupport {

	private static List<String> nodes;

	protected String prefix;

	/** The nodes of the cluster every suite shares. */
	protected static synchronized List<String> clusterNodes() {
		if (nodes == null) {
			nodes = RedisCluster.environmentNodes().orElseGet(() -> RedisCluster.start().nodes());
		}
		return nodes;
	}

	/** Spring Boot's Redis client configuration for a cluster, as an application would write it. */
	static String[] clusterProperties(String nodesProperty) {
		return clusterProperties(nodesProperty, "2s");
	}

	/** As {@link #clusterProperties(String)} with the given command timeout (the deadline of every distkit call). */
	static String[] clusterProperties(String nodesProperty, String timeout) {
		return new String[] { "spring.data.redis.cluster.nodes=" + nodesProperty, "spring.data.redis.timeout=" + timeout,
				"spring.data.redis.lettuce.cluster.refresh.adaptive=true",
				"spring.data.redis.lettuce.cluster.refresh.period=1s" };
	}

	@BeforeEach
	void choosePrefix(TestInfo info) {
		this.prefix = TestRedis.uniquePrefix(info.getTestMethod().map((method) -> method.getName()).orElse("cluster"));
	}

	/** A runner of Boot's Redis and distkit's auto-configurations against the shared cluster, with this test's prefix. */
	protected ApplicationContextRunner runner() {
		return autoConfigurations().withPropertyValues(clusterProperties(String.join(",", clusterNodes())))
			.withPropertyValues("distkit.prefix=" + this.prefix);
	}

	/** Boot's Redis auto-configuration and distkit's, without properties. */
	static ApplicationContextRunner autoConfigurations() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
				DistkitRedisAutoConfiguration.class, DistkitCounterAutoConfiguration.class,
				DistkitRateLimitAutoConfiguration.class));
	}

}
