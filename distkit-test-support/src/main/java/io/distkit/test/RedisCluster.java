package io.distkit.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A private Redis Cluster on loopback for tests: {@code masters × (1 + replicasPerMaster)} {@code redis-server}
 * processes with {@code cluster-enabled yes}, joined by {@code redis-cli --cluster create … --cluster-replicas n
 * --cluster-yes}. Both executables come from the {@code PATH} (the packaged Redis 6.2 has no {@code redis-cli}).
 *
 * <pre>{@code
 * try (RedisCluster cluster = RedisCluster.start()) {        // 3 masters + 3 replicas, node timeout 1500 ms
 *     String nodes = cluster.nodesProperty();               // for spring.data.redis.cluster.nodes
 *     RedisProcess master = cluster.masterOf("{shop:strict}");
 *     cluster.failover(cluster.replicaOf(master));          // CLUSTER FAILOVER, waits for the new roles
 * }
 * }</pre>
 *
 * <p>Tests that only need some cluster use {@link #environmentNodes()} first: {@code .ci/run} starts one and exports
 * {@value #NODES_VARIABLE}. Tests that kill or fail over nodes start their own. Not thread-safe.
 */
public final class RedisCluster implements AutoCloseable {

	/** The environment variable holding the nodes of a running cluster, {@code host:port} separated by commas. */
	public static final String NODES_VARIABLE = "REDIS_CLUSTER_NODES";

	/** The default {@code cluster-node-timeout}: 1500 ms. */
	public static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofMillis(1500);

	private static final Duration FORMATION_TIMEOUT = Duration.ofSeconds(60);

	private final List<RedisProcess> processes;

	private final Duration nodeTimeout;

	private RedisCluster(List<RedisProcess> processes, Duration nodeTimeout) {
		this.processes = processes;
		this.nodeTimeout = nodeTimeout;
	}

	/** Starts 3 masters and 3 replicas with {@link #DEFAULT_NODE_TIMEOUT}. */
	public static RedisCluster start() {
		return builder().start();
	}

	/** A builder for a cluster of its own. */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The nodes of the cluster {@code .ci/run} started, from {@value #NODES_VARIABLE}.
	 * @return {@code host:port} of each node, or empty when the variable is unset or blank
	 */
	public static Optional<List<String>> environmentNodes() {
		String value = System.getenv(NODES_VARIABLE);
		if (value == null || value.isBlank()) {
			return Optional.empty();
		}
		List<String> nodes = new ArrayList<>();
		for (String node : value.split(",")) {
			String trimmed = node.trim();
			int colon = trimmed.lastIndexOf(':');
			if (colon <= 0 || colon == trimmed.length() - 1
					|| !trimmed.substring(colon + 1).chars().allMatch(Character::isDigit)) {
				throw new IllegalArgumentException(
						NODES_VARIABLE + " must list host:port nodes separated by commas (value=" + value + ")");
			}
			nodes.add(trimmed);
		}
		return Optional.of(List.copyOf(nodes));
	}

	/** Every node process, masters and replicas, in the order they were created. */
	public List<RedisProcess> processes() {
		return this.processes;
	}

	/** {@code 127.0.0.1:port} of every node. */
	public List<String> nodes() {
		List<String> nodes = new ArrayList<>(this.processes.size());
		for (RedisProcess process : this.processes) {
			nodes.add(process.host() + ":" + process.port());
		}
		return nodes;
	}

	/** The nodes separated by commas, the form {@code spring.data.redis.cluster.nodes} takes. */
	public String nodesProperty() {
		return String.join(",", nodes());
	}

	/**
	 * A started Lettuce connection factory for this cluster; the caller destroys it. See
	 * {@link #connectionFactory(List, Duration)}.
	 * @param timeout command deadline
	 * @return the factory
	 */
	public LettuceConnectionFactory connectionFactory(Duration timeout) {
		return connectionFactory(nodes(), timeout);
	}

	/**
	 * A started Lettuce connection factory for a cluster, configured as Spring Boot configures one with
	 * {@code spring.data.redis.lettuce.cluster.refresh.adaptive=true} and {@code ...refresh.period=1s}: topology
	 * refreshed on every adaptive trigger (redirects, persistent reconnects) and every second. The caller destroys it.
	 * @param nodes {@code host:port} of some nodes
	 * @param timeout command deadline
	 * @return the factory
	 */
	public static LettuceConnectionFactory connectionFactory(List<String> nodes, Duration timeout) {
		return connectionFactory(nodes, timeout, (options) -> {
		});
	}

	/**
	 * As {@link #connectionFactory(List, Duration)}, with further client options.
	 * @param nodes {@code host:port} of some nodes
	 * @param timeout command deadline
	 * @param options sets more options, such as {@code disconnectedBehavior(REJECT_COMMANDS)}
	 * @return the factory
	 */
	public static LettuceConnectionFactory connectionFactory(List<String> nodes, Duration timeout,
			java.util.function.Consumer<ClusterClientOptions.Builder> options) {
		if (nodes == null || nodes.isEmpty()) {
			throw new IllegalArgumentException("'nodes' must name at least one host:port");
		}
		ClusterTopologyRefreshOptions refresh = ClusterTopologyRefreshOptions.builder()
			.enableAllAdaptiveRefreshTriggers()
			.enablePeriodicRefresh(Duration.ofSeconds(1))
			.build();
		ClusterClientOptions.Builder clientOptions = ClusterClientOptions.builder().topologyRefreshOptions(refresh);
		options.accept(clientOptions);
		LettuceClientConfiguration client = LettuceClientConfiguration.builder()
			.commandTimeout(timeout)
			.clientOptions(clientOptions.build())
			.build();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisClusterConfiguration(nodes), client);
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	/** The cluster's {@code cluster-node-timeout}. */
	public Duration nodeTimeout() {
		return this.nodeTimeout;
	}

	/**
	 * The running master that serves {@code key}'s slot, as the running nodes see it.
	 * @param key a key (its hash tag decides the slot)
	 * @return the master's process
	 * @throws IllegalStateException if no running node claims the slot as a master
	 */
	public RedisProcess masterOf(String key) {
		RedisProcess any = anyRunning();
		long slot = (Long) any.query("CLUSTER", "KEYSLOT", key);
		for (Node node : topology(any)) {
			if (node.master() && node.serves(slot)) {
				return process(node.port());
			}
		}
		throw new IllegalStateException("No master serves slot " + slot + " of key \"" + key + "\": "
				+ any.query("CLUSTER", "NODES"));
	}

	/**
	 * A replica of {@code master}.
	 * @param master a master of this cluster
	 * @return one of its replicas
	 * @throws IllegalArgumentException if {@code master} is not a master of this cluster or has no replica
	 */
	public RedisProcess replicaOf(RedisProcess master) {
		List<Node> nodes = topology(anyRunning());
		Node masterNode = nodes.stream()
			.filter((node) -> node.port() == requireMember(master).port() && node.master())
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException(
					"Node " + master.port() + " is not a master of the cluster: " + nodes));
		return nodes.stream()
			.filter((node) -> masterNode.id().equals(node.masterId()))
			.findFirst()
			.map((node) -> process(node.port()))
			.orElseThrow(() -> new IllegalArgumentException("Master " + master.port() + " has no replica: " + nodes));
	}

	/**
	 * Promotes {@code replica} with a manual {@code CLUSTER FAILOVER} (its master hands over without losing a write)
	 * and waits until every running node sees it as a master and the cluster is healthy.
	 * @param replica a replica of this cluster
	 * @throws IllegalArgumentException if it is not a replica of this cluster
	 */
	public void failover(RedisProcess replica) {
		requireMember(replica);
		boolean isReplica = topology(replica).stream()
			.anyMatch((node) -> node.myself() && !node.master());
		if (!isReplica) {
			throw new IllegalArgumentException("Node " + replica.port() + " is not a replica; CLUSTER FAILOVER must be "
					+ "sent to a replica");
		}
		Object reply = replica.query("CLUSTER", "FAILOVER");
		if (!"OK".equals(reply)) {
			throw new IllegalStateException("CLUSTER FAILOVER on " + replica.port() + " answered " + reply);
		}
		awaitMaster(replica, FORMATION_TIMEOUT);
	}

	/**
	 * Waits until every running node sees {@code node} as a master, every slot is served by a running master and
	 * every running node reports {@code cluster_state:ok}.
	 * @param node the node expected to be a master
	 * @param timeout how long to wait
	 * @throws IllegalStateException if that does not happen in time
	 */
	public void awaitMaster(RedisProcess node, Duration timeout) {
		requireMember(node);
		waitFor(() -> allRunningAgree((topology) -> topology.stream()
			.anyMatch((n) -> n.port() == node.port() && n.master() && !n.failed())), timeout,
				"node " + node.port() + " to become a master");
	}

	/**
	 * Waits until every running node reports {@code cluster_state:ok}, sees every slot served by a running master
	 * that it does not consider failed and no master without slots, and every running replica has its master link
	 * up.
	 * @param timeout how long to wait
	 */
	public void awaitHealthy(Duration timeout) {
		waitFor(() -> allRunningAgree((topology) -> true), timeout, "the cluster to be healthy");
	}

	/** Stops every node and deletes their data. */
	@Override
	public void close() {
		for (RedisProcess process : this.processes) {
			process.close();
		}
	}

	private boolean allRunningAgree(java.util.function.Predicate<List<Node>> condition) {
		for (RedisProcess process : this.processes) {
			if (!process.isRunning()) {
				continue;
			}
			try {
				String info = (String) process.query("CLUSTER", "INFO");
				if (!info.contains("cluster_state:ok")) {
					return false;
				}
				List<Node> topology = topology(process);
				if (!condition.test(topology) || !coversEverySlot(topology)) {
					return false;
				}
				String replication = (String) process.query("INFO", "replication");
				if (replication.contains("role:slave") && !replication.contains("master_link_status:up")) {
					return false;
				}
			}
			catch (UncheckedIOException | IllegalStateException ex) {
				return false;
			}
		}
		return true;
	}

	private boolean coversEverySlot(List<Node> topology) {
		boolean[] served = new boolean[16384];
		for (Node node : topology) {
			if (node.master() && !node.failed() && node.slots().isEmpty()) {
				return false; // a replica whose CLUSTER REPLICATE has not reached this node yet
			}
		}
		for (Node node : topology) {
			if (!node.master() || node.failed() || !process(node.port()).isRunning()) {
				continue;
			}
			for (long[] range : node.slots()) {
				for (long slot = range[0]; slot <= range[1]; slot++) {
					served[(int) slot] = true;
				}
			}
		}
		for (boolean slot : served) {
			if (!slot) {
				return false;
			}
		}
		return true;
	}

	private RedisProcess anyRunning() {
		for (RedisProcess process : this.processes) {
			if (process.isRunning()) {
				return process;
			}
		}
		throw new IllegalStateException("No node of the cluster is running");
	}

	private RedisProcess process(int port) {
		for (RedisProcess process : this.processes) {
			if (process.port() == port) {
				return process;
			}
		}
		throw new IllegalStateException("Port " + port + " is not a node of this cluster " + nodes());
	}

	private RedisProcess requireMember(RedisProcess process) {
		if (process == null || !this.processes.contains(process)) {
			throw new IllegalArgumentException("Not a node of this cluster: " + process + " (nodes " + nodes() + ")");
		}
		return process;
	}

	private static List<Node> topology(RedisProcess process) {
		String text = (String) process.query("CLUSTER", "NODES");
		List<Node> nodes = new ArrayList<>();
		for (String line : text.split("\n")) {
			if (!line.isBlank()) {
				nodes.add(Node.parse(line.trim()));
			}
		}
		return nodes;
	}

	private static void waitFor(BooleanSupplier condition, Duration timeout, String what) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Timed out after " + timeout + " waiting for " + what);
			}
			try {
				TimeUnit.MILLISECONDS.sleep(50); // polling servers, not waiting for time to pass
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted waiting for " + what, ex);
			}
		}
	}

	/** One line of {@code CLUSTER NODES}. */
	private record Node(String id, int port, Set<String> flags, String masterId, List<long[]> slots) {

		static Node parse(String line) {
			String[] fields = line.split(" ");
			String address = fields[1];
			int at = address.indexOf('@');
			String hostPort = (at >= 0) ? address.substring(0, at) : address;
			int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
			Set<String> flags = new HashSet<>(Arrays.asList(fields[2].split(",")));
			List<long[]> slots = new ArrayList<>();
			for (int i = 8; i < fields.length; i++) {
				String range = fields[i];
				if (range.startsWith("[")) {
					continue; // a slot being migrated
				}
				int dash = range.indexOf('-');
				long from = Long.parseLong((dash >= 0) ? range.substring(0, dash) : range);
				long to = (dash >= 0) ? Long.parseLong(range.substring(dash + 1)) : from;
				slots.add(new long[] { from, to });
			}
			return new Node(fields[0], port, flags, fields[3], slots);
		}

		boolean master() {
			return this.flags.contains("master");
		}

		boolean myself() {
			return this.flags.contains("myself");
		}

		boolean failed() {
			return this.flags.contains("fail") || this.flags.contains("fail?");
		}

		boolean serves(long slot) {
			for (long[] range : this.slots) {
				if (slot >= range[0] && slot <= range[1]) {
					return true;
				}
			}
			return false;
		}

	}

	/** Options of a {@link RedisCluster}. */
	public static final class Builder {

		private int masters = 3;

		private int replicasPerMaster = 1;

		private Duration nodeTimeout = DEFAULT_NODE_TIMEOUT;

		private final List<String> options = new ArrayList<>();

		private Builder() {
		}

		/** How many masters share the slots; default 3 (Redis needs at least 3). */
		public Builder masters(int masters) {
			if (masters < 3) {
				throw new IllegalArgumentException("A Redis Cluster needs at least 3 masters (masters=" + masters + ")");
			}
			this.masters = masters;
			return this;
		}

		/** Replicas of each master; default 1. */
		public Builder replicasPerMaster(int replicas) {
			if (replicas < 0) {
				throw new IllegalArgumentException("replicasPerMaster must not be negative (value=" + replicas + ")");
			}
			this.replicasPerMaster = replicas;
			return this;
		}

		/** {@code cluster-node-timeout}: how long a node may not answer before it is considered failed. */
		public Builder nodeTimeout(Duration nodeTimeout) {
			if (nodeTimeout == null || nodeTimeout.toMillis() < 100) {
				throw new IllegalArgumentException("nodeTimeout must be at least 100ms (value=" + nodeTimeout + ")");
			}
			this.nodeTimeout = nodeTimeout;
			return this;
		}

		/** Adds a {@code redis-server} option for every node, such as {@code option("--appendonly", "yes")}. */
		public Builder option(String name, String... values) {
			this.options.add(name);
			this.options.addAll(List.of(values));
			return this;
		}

		/**
		 * Starts the nodes, creates the cluster and waits until it is healthy.
		 * @throws IllegalStateException if {@code redis-server} or {@code redis-cli} is not on the {@code PATH}, or
		 * the cluster does not form within 60 seconds
		 */
		public RedisCluster start() {
			Path server = RedisBinaries.onPath()
				.orElseThrow(() -> new IllegalStateException("A Redis Cluster needs redis-server on the PATH"));
			Path cli = server.resolveSibling("redis-cli");
			if (!Files.isExecutable(cli)) {
				cli = RedisBinaries.onPathNamed("redis-cli")
					.orElseThrow(() -> new IllegalStateException("A Redis Cluster needs redis-cli on the PATH"));
			}
			int count = this.masters * (1 + this.replicasPerMaster);
			List<RedisProcess> processes = new ArrayList<>(count);
			RedisCluster cluster = new RedisCluster(processes, this.nodeTimeout);
			try {
				for (int i = 0; i < count; i++) {
					processes.add(RedisProcess.builder()
						.binary(server)
						.port(freeClusterPort(processes))
						.option("--cluster-enabled", "yes")
						.option("--cluster-config-file", "nodes.conf")
						.option("--cluster-node-timeout", Long.toString(this.nodeTimeout.toMillis()))
						.option("--appendonly", "no")
						.options(this.options)
						.start());
				}
				create(cli, cluster);
				cluster.awaitHealthy(FORMATION_TIMEOUT);
				return cluster;
			}
			catch (RuntimeException ex) {
				cluster.close();
				throw ex;
			}
		}

		private void create(Path cli, RedisCluster cluster) {
			List<String> command = new ArrayList<>();
			command.add(cli.toString());
			command.add("--cluster");
			command.add("create");
			command.addAll(cluster.nodes());
			command.add("--cluster-replicas");
			command.add(Integer.toString(this.replicasPerMaster));
			command.add("--cluster-yes");
			try {
				Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
				process.getOutputStream().close();
				byte[] output = process.getInputStream().readAllBytes();
				if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
					throw new IllegalStateException(
							"redis-cli --cluster create failed: " + new String(output, StandardCharsets.UTF_8));
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot run " + command, ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		/** A port whose cluster bus port (+10000) is free too, away from the ephemeral range. */
		private static int freeClusterPort(List<RedisProcess> taken) {
			for (int attempt = 0; attempt < 200; attempt++) {
				int port = ThreadLocalRandom.current().nextInt(20000, 30000);
				boolean used = taken.stream().anyMatch((process) -> process.port() == port);
				if (!used && free(port) && free(port + 10000)) {
					return port;
				}
			}
			throw new IllegalStateException("No free port pair (port, port + 10000) found in 20000-39999");
		}

		private static boolean free(int port) {
			try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
				return true;
			}
			catch (IOException ex) {
				return false;
			}
		}

	}

}
