package io.distkit.internal.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisSystemException;

import io.distkit.DistkitBackendException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failures as Lettuce reports them (script calls on the shared native connection) and as Spring translates them
 * (calls through the template) are classified alike.
 */
class RedisFailureTests {

	@Test
	void aClosedOrDroppedConnectionIsUnavailableInEitherForm() {
		for (String message : new String[] { "Connection is closed", "Connection closed prematurely",
				"Connection disconnected" }) {
			RedisException lettuce = new RedisException(message);
			assertThat(RedisFailure.classify(lettuce).unavailable()).as(message).isTrue();
			assertThat(RedisFailure.classify(new RedisSystemException(message, lettuce)).unavailable()).as(message)
				.isTrue();
		}
	}

	@Test
	void aTimeoutIsUnavailableInEitherForm() {
		RedisCommandTimeoutException lettuce = new RedisCommandTimeoutException("Command timed out after 2 second(s)");
		assertThat(RedisFailure.classify(lettuce).unavailable()).isTrue();
		assertThat(RedisFailure.classify(new QueryTimeoutException("timed out", lettuce)).unavailable()).isTrue();
	}

	@Test
	void anErrorReplyIsAnAnswerNotAnOutage() {
		RedisCommandExecutionException reply = new RedisCommandExecutionException(
				"WRONGTYPE Operation against a key holding the wrong kind of value");
		RedisFailure failure = RedisFailure.classify(reply);
		assertThat(failure.unavailable()).isFalse();
		assertThat(failure.toException("strict_inc.lua")).isInstanceOf(DistkitBackendException.class)
			.hasMessage("Redis rejected strict_inc.lua: WRONGTYPE Operation against a key holding the wrong kind of value");
	}

	@Test
	void aDistkitErrorReplyBecomesAScriptErrorReply() {
		RedisFailure failure = RedisFailure.classify(new RedisCommandExecutionException("DISTKIT_OVERFLOW 0 5 7"));
		assertThat(failure.unavailable()).isFalse();
		assertThat(failure.toException("strict_inc.lua")).isInstanceOf(ScriptErrorReply.class);
	}

	@Test
	void noScriptIsRecognisedThroughWrappers() {
		RedisCommandExecutionException noScript = new RedisCommandExecutionException(
				"NOSCRIPT No matching script. Please use EVAL.");
		assertThat(RedisFailure.isNoScript(noScript)).isTrue();
		assertThat(RedisFailure.isNoScript(new RedisSystemException("failed", noScript))).isTrue();
		assertThat(RedisFailure.isNoScript(new RedisException("Connection is closed"))).isFalse();
	}

}
