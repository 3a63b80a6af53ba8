package io.distkit.sample;

import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import io.distkit.counter.StrictCounter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The sample application's own start-up check: embedded Redis when nothing is configured or answers. */
@ExtendWith(OutputCaptureExtension.class)
class LocalRedisEnvironmentPostProcessorTests {

	@Test
	void nothingConfiguredAndNothingAnswering_startsAnEmbeddedRedis(CapturedOutput output) throws Exception {
		int unused = freePort();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.properties("server.port=0", "sample.redis.default-address=127.0.0.1:" + unused,
					"distkit.prefix=embeddedcheck")
			.run()) {
			assertThat(output).contains("started an embedded redis-server 6.2");
			int port = context.getEnvironment().getProperty("spring.data.redis.port", Integer.class);
			assertThat(port).isNotEqualTo(unused);
			assertThat(LocalRedisEnvironmentPostProcessor.answers(new java.net.InetSocketAddress("127.0.0.1", port)))
				.isTrue();
			StrictCounter counter = context.getBean(StrictCounter.class);
			assertThat(counter.inc("embedded", 2)).isEqualTo(2);
		}
	}

	@Test
	void explicitRedisThatDoesNotAnswer_stopsStartupWithAClearMessage() throws Exception {
		int unused = freePort();
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> new SpringApplicationBuilder(SampleApplication.class)
				.properties("server.port=0", "spring.data.redis.url=redis://127.0.0.1:" + unused)
				.run()
				.close())
			.withMessageContaining("configured to use the Redis at 127.0.0.1:" + unused)
			.withMessageContaining("nothing answers there");
	}

	private static int freePort() throws Exception {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
