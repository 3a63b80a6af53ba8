package io.distkit.test;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/** A Redis in a Testcontainers container, for machines with a Docker engine. */
final class ContainerRedis {

	private static final DockerImageName IMAGE = DockerImageName.parse("redis:7.2-alpine");

	private ContainerRedis() {
	}

	static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException | LinkageError ex) {
			return false;
		}
	}

	@SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM exits
	static RedisEndpoint start() {
		GenericContainer<?> container = new GenericContainer<>(IMAGE).withExposedPorts(6379);
		container.start();
		return new RedisEndpoint(container.getHost(), container.getMappedPort(6379), null, "Testcontainers " + IMAGE);
	}

}
