package io.distkit.internal.redis;

import java.io.IOException;
import java.util.Arrays;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisLoadingException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;

import io.distkit.DistkitBackendException;

/**
 * What went wrong in one Redis call, classified in one place: unavailable (connection failure, timeout, server
 * loading its data set after a restart: counted by the circuit breaker), a distkit error reply (the script refused
 * its input), or another error reply.
 */
final class RedisFailure {

	private static final String DISTKIT_ERROR = "DISTKIT_";

	private final Throwable exception;

	private final boolean unavailable;

	private final String errorReply;

	private RedisFailure(Throwable exception, boolean unavailable, String errorReply) {
		this.exception = exception;
		this.unavailable = unavailable;
		this.errorReply = errorReply;
	}

	static RedisFailure classify(Throwable exception) {
		boolean unavailable = false;
		String errorReply = null;
		for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
			if (cause instanceof RedisLoadingException) {
				unavailable = true;
			}
			else if (cause instanceof RedisCommandExecutionException && errorReply == null) {
				errorReply = cause.getMessage();
			}
			if (cause instanceof RedisConnectionFailureException || cause instanceof QueryTimeoutException
					|| cause instanceof RedisConnectionException || cause instanceof RedisCommandTimeoutException
					|| cause instanceof IOException || isClosedConnection(cause)) {
				unavailable = true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		if (errorReply == null && !(exception instanceof org.springframework.dao.DataAccessException)
				&& !(exception instanceof io.lettuce.core.RedisException)) {
			// not an answer of Redis: e.g. the connection factory was stopped or the thread was interrupted
			unavailable = true;
		}
		return new RedisFailure(exception, unavailable, errorReply);
	}

	private static boolean isClosedConnection(Throwable cause) {
		// Lettuce fails commands in flight on a dropped connection with a plain RedisException ("Connection
		// disconnected" when it rejects commands while disconnected instead of replaying them, "Connection is closed"
		// for a command sent on a connection its factory closed a moment before)
		String message = cause.getMessage();
		return cause.getClass() == io.lettuce.core.RedisException.class && message != null
				&& (message.contains("Connection closed") || message.contains("Connection is closed")
						|| message.contains("Connection reset")
						|| message.contains("Connection disconnected")
						|| message.contains("not connected") || message.contains("Connection refused"));
	}

	/** Whether the failure (or, for a list, any element) is a {@code NOSCRIPT} error reply. */
	static boolean isNoScript(Object failure) {
		for (Object cause = failure; cause instanceof Throwable throwable; cause = throwable.getCause()) {
			if (throwable.getMessage() != null && throwable.getMessage().contains("NOSCRIPT")) {
				return true;
			}
			if (throwable.getCause() == throwable) {
				break;
			}
		}
		return false;
	}

	boolean unavailable() {
		return this.unavailable;
	}

	RuntimeException toException(String script) {
		if (!this.unavailable && this.errorReply != null && this.errorReply.startsWith(DISTKIT_ERROR)) {
			String[] parts = this.errorReply.substring(DISTKIT_ERROR.length()).split(" ");
			return new ScriptErrorReply(script, parts[0], Arrays.copyOfRange(parts, 1, parts.length), this.exception);
		}
		if (this.unavailable) {
			return new DistkitBackendException(
					"Redis unavailable while running " + script + ": " + describe(this.exception), this.exception);
		}
		if (this.errorReply != null) {
			return new DistkitBackendException("Redis rejected " + script + ": " + this.errorReply, this.exception);
		}
		return new DistkitBackendException("Redis call " + script + " failed: " + describe(this.exception),
				this.exception);
	}

	private static String describe(Throwable exception) {
		Throwable root = exception;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
		return (root == exception) ? message : exception.getClass().getSimpleName() + " (" + message + ")";
	}

}
