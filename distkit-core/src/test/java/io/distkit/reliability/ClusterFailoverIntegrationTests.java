package io.distkit.reliability;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.lettuce.core.ClientOptions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.distkit.CircuitBreakerOptions;
import io.distkit.CircuitState;
import io.distkit.RedisBackend;
import io.distkit.RedisKey;
import io.distkit.counter.CounterOptions;
import io.distkit.counter.LaxCounter;
import io.distkit.counter.StrictCounter;
import io.distkit.icounter.InstanceAwareCounter;
import io.distkit.icounter.InstanceAwareOptions;
import io.distkit.icounter.LaxInstanceAwareCounter;
import io.distkit.icounter.StrictInstanceAwareCounter;
import io.distkit.ratelimit.BackendFailurePolicy;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.test.RedisCluster;
import io.distkit.test.RedisProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Failover of a private Redis Cluster (3 masters + 3 replicas, node timeout 1500 ms) under load, through a Lettuce
 * cluster connection with adaptive and periodic (1 s) topology refresh that rejects commands while disconnected (as
 * distkit's dedicated connection does). Profile {@code cluster}.
 */
@Tag("cluster")
class ClusterFailoverIntegrationTests {

	private static final Log logger = LogFactory.getLog(ClusterFailoverIntegrationTests.class);

	private static final Duration DEADLINE = Duration.ofSeconds(1);

	private static final Duration OPEN_FOR = Duration.ofSeconds(2);

	private RedisCluster cluster;

	private LettuceConnectionFactory connectionFactory;

	private RedisBackend backend;

	private LaxCounter laxCounter;

	private RateLimiter limiter;

	private final List<InstanceAwareCounter> instanceAwareCounters = new ArrayList<>();

	@BeforeEach
	void start() {
		this.cluster = RedisCluster.start();
		this.connectionFactory = RedisCluster.connectionFactory(this.cluster.nodes(), DEADLINE,
				(options) -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS));
		this.backend = RedisBackend.builder(this.connectionFactory)
			.circuitBreaker(new CircuitBreakerOptions(5, OPEN_FOR))
			.build();
	}

	@AfterEach
	void stop() {
		this.instanceAwareCounters.forEach(InstanceAwareCounter::close);
		if (this.laxCounter != null) {
			this.laxCounter.close();
		}
		if (this.limiter != null) {
			this.limiter.close();
		}
		this.connectionFactory.destroy();
		this.cluster.close();
	}

	private StrictWorkload strict() {
		return new StrictWorkload(StrictCounter.create(this.backend, CounterOptions.builder().prefix("failover").build()),
				"hits");
	}

	private LaxWorkload lax() {
		this.laxCounter = LaxCounter.create(this.backend, CounterOptions.builder().prefix("failover").build());
		return new LaxWorkload(this.laxCounter, this.backend);
	}

	private HybridWorkload hybrid() {
		this.limiter = RateLimiter.builder()
			.redis(this.backend, RedisKey.prefix("failover"))
			.onBackendFailure(BackendFailurePolicy.FAIL_OPEN, OPEN_FOR)
			.build();
		return new HybridWorkload(this.limiter, "failover");
	}

	/** Default liveness (threshold 30 s): a failover takes far less, so nobody may be reaped. */
	private InstanceAwareOptions instanceAwareOptions() {
		return InstanceAwareOptions.builder().prefix("failover").shutdownTimeout(Duration.ofSeconds(2)).build();
	}

	private StrictInstanceAwareWorkload strictInstanceAware() {
		List<StrictInstanceAwareCounter> instances = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			instances.add(StrictInstanceAwareCounter.create(this.backend, instanceAwareOptions()));
		}
		this.instanceAwareCounters.addAll(instances);
		return new StrictInstanceAwareWorkload(instances, "connections");
	}

	private LaxInstanceAwareWorkload laxInstanceAware() {
		List<LaxInstanceAwareCounter> instances = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			instances.add(LaxInstanceAwareCounter.create(this.backend, instanceAwareOptions()));
		}
		this.instanceAwareCounters.addAll(instances);
		return new LaxInstanceAwareWorkload(instances, this.backend);
	}

	@Test
	void manualFailoverOfEveryMasterInUse_losesNothing() {
		StrictWorkload strict = strict();
		LaxWorkload lax = lax();
		HybridWorkload hybrid = hybrid();
		StrictInstanceAwareWorkload strictInstanceAware = strictInstanceAware();
		LaxInstanceAwareWorkload laxInstanceAware = laxInstanceAware();
		List<Workload> workloads = List.of(strict, lax, hybrid, strictInstanceAware, laxInstanceAware);
		Set<RedisProcess> masters = new LinkedHashSet<>();
		for (Workload workload : workloads) {
			workload.redisKeys().forEach((key) -> masters.add(this.cluster.masterOf(key)));
		}
		try (LoadRunner load = LoadRunner.start(2, workloads.toArray(Workload[]::new))) {
			load.awaitProgress(200, Duration.ofSeconds(20));
			for (RedisProcess master : masters) {
				this.cluster.failover(this.cluster.replicaOf(master));
				load.awaitProgress(200, Duration.ofSeconds(20));
			}
			load.stop(DEADLINE.multipliedBy(3));
		}
		logger.info("Manual failover of " + masters.size() + " masters: " + workloads);
		for (Workload workload : workloads) {
			workload.verify(Duration.ofSeconds(10));
		}
	}

	@Test
	void masterKilled_strictCallsFailWithinTheDeadlineAndSucceedWithinOpenForAfterTheReplicaTakesOver() {
		StrictWorkload strict = strict();
		String key = strict.redisKeys().get(0);
		RedisProcess master = this.cluster.masterOf(key);
		RedisProcess replica = this.cluster.replicaOf(master);
		try (LoadRunner load = LoadRunner.start(4, strict)) {
			load.awaitProgress(200, Duration.ofSeconds(20));
			long killedAt = System.nanoTime();
			master.kill();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.backend.circuitOpenings() > 0);
			this.cluster.awaitMaster(replica, Duration.ofSeconds(30));
			long takenOverAt = System.nanoTime();
			strict.watchFirstSuccessFrom(takenOverAt);
			// the client learns the new topology from its adaptive and periodic (1 s) refreshes
			await().atMost(Duration.ofSeconds(10)).until(() -> clientSeesMaster(key, replica));
			long clientSawAt = System.nanoTime();
			await().atMost(Duration.ofSeconds(30)).until(() -> strict.firstSuccessAfterWatch().isPresent());
			long firstSuccessAt = strict.firstSuccessAfterWatch().getAsLong();
			load.awaitProgress(200, Duration.ofSeconds(20));
			load.stop(DEADLINE.multipliedBy(3));
			logger.info("Master killed: the replica took over after " + Duration.ofNanos(takenOverAt - killedAt)
					+ ", the client saw it " + Duration.ofNanos(clientSawAt - takenOverAt) + " later, first success "
					+ Duration.ofNanos(firstSuccessAt - takenOverAt) + " after the takeover; " + strict);
			assertThat(strict.failures()).as("calls failed while the slot had no master").isPositive();
			assertThat(strict.slowestFailure()).as("slowest failure (%s)", strict.slowestFailureDetail())
				.isLessThan(DEADLINE.plusMillis(750));
			assertThat(strict.slowestRefusal()).as("slowest refusal by the open breaker: no I/O, never the deadline")
				.isLessThan(DEADLINE);
			// one probe per open period, counted from the probe's start: within OPEN_FOR of the moment the client
			// routes the slot to the new master, plus the successful call's own round trip
			assertThat(Duration.ofNanos(firstSuccessAt - Math.max(takenOverAt, clientSawAt)))
				.as("first success after the replica took over and the client saw it")
				.isLessThanOrEqualTo(OPEN_FOR.plusMillis(250));
			assertThat(this.backend.circuitState()).isEqualTo(CircuitState.CLOSED);
		}
		long total = strict.total(Duration.ofSeconds(10));
		logger.info("Master killed: stored total " + total + ", acknowledged " + strict.acknowledged()
				+ " (acknowledged writes lost with the master: " + Math.max(0, strict.acknowledged() - total) + ")");
		assertThat(total).as("a killed master may lose acknowledged writes, never invent any")
			.isLessThanOrEqualTo(strict.attempted());
	}

	/** Whether the client's own view of the topology routes {@code key} to {@code node}. */
	private boolean clientSeesMaster(String key, RedisProcess node) {
		try (RedisClusterConnection connection = this.connectionFactory.getClusterConnection()) {
			RedisClusterNode master = connection.clusterGetNodeForKey(key.getBytes(StandardCharsets.UTF_8));
			return master.getPort() != null && master.getPort() == node.port();
		}
	}

}
