package io.distkit.internal.redis;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;

import io.distkit.RedisIntegrationSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** The SHA-1 distkit sends with {@code EVALSHA} is the one Redis gives the script's body. */
class LuaScriptIntegrationTests extends RedisIntegrationSupport {

	@Test
	void sha1IsWhatRedisComputesForTheBody() {
		LuaScript script = LuaScript.load(LuaScriptIntegrationTests.class, "/io/distkit/counter/counter_prelude.lua",
				"/io/distkit/counter/strict_inc.lua");
		String loaded = admin.template()
			.execute((RedisCallback<String>) (RedisConnection connection) -> connection.scriptingCommands()
				.scriptLoad(script.body().getBytes(StandardCharsets.UTF_8)));
		assertThat(script.sha1()).isEqualTo(loaded).hasSize(40);
		assertThat(script.redisScript().getSha1()).isEqualTo(loaded);
		assertThat(script.name()).isEqualTo("strict_inc.lua");
	}

}
