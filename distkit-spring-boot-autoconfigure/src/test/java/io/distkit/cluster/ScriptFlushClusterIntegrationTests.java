package io.distkit.cluster;

import java.time.Duration;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

import io.distkit.counter.LaxCounter;
import io.distkit.counter.StrictCounter;
import io.distkit.ratelimit.BoundLimit;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.ratelimit.hybrid.HybridLimitEngine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code SCRIPT FLUSH} on every node of the cluster: each script call meets {@code NOSCRIPT} on its own master and is
 * sent again with {@code EVAL} — single calls, lax flushes, and the hybrid tick's pipeline of commits over every
 * master — without an error reaching a caller ({@code fail-closed}).
 */
class ScriptFlushClusterIntegrationTests extends ClusterIntegrationSupport {

	private static final int KEYS = 64;

	@Test
	void scriptCacheFlushedOnEveryNode_everyOperationStillSucceeds() {
		runner().withPropertyValues("distkit.rate-limit.on-backend-failure=fail-closed").run((context) -> {
			StrictCounter strict = context.getBean(StrictCounter.class);
			LaxCounter lax = context.getBean(LaxCounter.class);
			RateLimiter limiter = context.getBean(RateLimiter.class);
			BoundLimit hybrid = limiter.limit(limit(RateLimit.Provider.HYBRID));
			BoundLimit redis = limiter.limit(limit(RateLimit.Provider.REDIS));
			strict.inc("hits", 1);
			lax.inc("views", 1);
			lax.flush();
			for (int i = 0; i < KEYS; i++) {
				assertThat(hybrid.inc("user-" + i)).isSameAs(RateLimitDecision.Allowed.ADMITTED); // loads the scripts
			}

			flushScriptsOnEveryNode();

			assertThat(strict.inc("hits", 1)).isEqualTo(2);
			lax.inc("views", 1);
			lax.flush();
			assertThat(lax.get("views")).isEqualTo(2);
			assertThat(redis.inc("direct")).isSameAs(RateLimitDecision.Allowed.ADMITTED);
			for (int i = 0; i < KEYS; i++) {
				assertThat(hybrid.inc("user-" + i)).isSameAs(RateLimitDecision.Allowed.ADMITTED); // local: the tick commits
			}
			HybridLimitEngine engine = (HybridLimitEngine) limiter.engine(RateLimit.Provider.HYBRID);
			await().atMost(Duration.ofSeconds(10)).until(() -> engine.commitQueueLength() == 0);
			// the queue empties when the tick takes the windows; their commits land a round trip later
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				for (int i = 0; i < KEYS; i++) {
					assertThat(redis.get("user-" + i).total()).as("user-%d in Redis", i).isEqualTo(2);
				}
			});
			strict.clear();
			lax.clear();
		});
	}

	private static RateLimit limit(RateLimit.Provider provider) {
		return RateLimit.builder("flush")
			.capacity(1000)
			.window(Duration.ofSeconds(60))
			.bucket(Duration.ofSeconds(1))
			.provider(provider)
			.build();
	}

	private static void flushScriptsOnEveryNode() {
		for (String node : clusterNodes()) {
			int colon = node.lastIndexOf(':');
			RedisClient client = RedisClient.create(
					RedisURI.create(node.substring(0, colon), Integer.parseInt(node.substring(colon + 1))));
			try (StatefulRedisConnection<String, String> connection = client.connect()) {
				assertThat(connection.sync().scriptFlush()).isEqualTo("OK");
			}
			finally {
				client.shutdown();
			}
		}
	}

}
