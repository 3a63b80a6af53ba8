package io.distkit.spring.boot.aop;

import java.util.List;

import org.jspecify.annotations.Nullable;

import io.distkit.RedisKey;

/** The evaluated counts of one call, recorded once the call ends. */
final class PreparedCounts {

	private final CountedMethod method;

	private final RedisKey[] fields;

	private final long[] increments;

	PreparedCounts(CountedMethod method, RedisKey[] fields, long[] increments) {
		this.method = method;
		this.fields = fields;
		this.increments = increments;
	}

	/** Whether recording may call Redis (a strict count). */
	boolean touchesRedis() {
		return this.method.touchesRedis();
	}

	/**
	 * Counts the call in every count its outcome matches. A failed count is logged and metered; it is returned only
	 * when failures propagate.
	 * @param failure what the call threw, {@code null} when it succeeded
	 * @return the counting failure to propagate, or {@code null}
	 */
	@Nullable RuntimeException record(@Nullable Throwable failure) {
		List<CountedOperation> operations = this.method.operations();
		RuntimeException propagated = null;
		for (int i = 0; i < this.fields.length; i++) {
			CountedOperation operation = operations.get(i);
			if (!operation.counts(failure == null)) {
				continue;
			}
			try {
				operation.counter().add(this.fields[i], this.increments[i]);
			}
			catch (RuntimeException ex) {
				RuntimeException toPropagate = this.method.failures().failed(operation, ex);
				if (toPropagate != null) {
					if (propagated == null) {
						propagated = toPropagate;
					}
					else {
						propagated.addSuppressed(toPropagate);
					}
				}
			}
		}
		return propagated;
	}

}
