package io.distkit.icounter;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.distkit.RedisBackend;
import io.distkit.test.RedisEndpoint;

/**
 * A separate JVM holding one instance-aware counter, driven by {@link InstanceAwareProcessIntegrationTests} over
 * standard input and output. Arguments: Redis URL, prefix, {@code strict} or {@code lax}, key, amount, dead-instance
 * threshold (ms), heartbeat (ms). It increments the key by the amount (the lax counter also flushes), prints
 * {@code READY <instanceId>}, then answers {@code GET} with {@code VALUE <cumulative> <slice>} and {@code STOP} with a
 * graceful close ({@code STOPPED}) until it is killed.
 */
public final class InstanceAwareProcessMain {

	private InstanceAwareProcessMain() {
	}

	public static void main(String[] args) throws Exception {
		RedisEndpoint endpoint = RedisEndpoint.fromUrl(args[0], "parent test");
		LettuceConnectionFactory connectionFactory = endpoint.connectionFactory(Duration.ofSeconds(2));
		RedisBackend backend = RedisBackend.create(connectionFactory);
		InstanceAwareOptions options = InstanceAwareOptions.builder()
			.prefix(args[1])
			.deadInstanceThreshold(Duration.ofMillis(Long.parseLong(args[5])))
			.heartbeat(Duration.ofMillis(Long.parseLong(args[6])))
			.instanceIdPrefix("process")
			.build();
		InstanceAwareCounter counter;
		if ("lax".equals(args[2])) {
			LaxInstanceAwareCounter lax = LaxInstanceAwareCounter.create(backend, options);
			lax.inc(args[3], Long.parseLong(args[4]));
			lax.flush();
			counter = lax;
		}
		else {
			counter = StrictInstanceAwareCounter.create(backend, options);
			counter.inc(args[3], Long.parseLong(args[4]));
		}
		System.out.println("READY " + counter.instanceId());
		System.out.flush();
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		for (String line = in.readLine(); line != null; line = in.readLine()) {
			if (line.equals("GET")) {
				Totals totals = counter.get(args[3]);
				System.out.println("VALUE " + totals.cumulative() + " " + totals.slice());
			}
			else if (line.equals("STOP")) {
				counter.close();
				System.out.println("STOPPED");
				System.out.flush();
				break;
			}
			System.out.flush();
		}
		connectionFactory.destroy();
	}

}
