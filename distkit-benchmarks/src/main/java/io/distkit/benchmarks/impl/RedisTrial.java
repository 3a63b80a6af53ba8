package io.distkit.benchmarks.impl;

import java.util.function.BiFunction;

/**
 * The Redis side of one benchmark trial: a namespace of its own on {@code REDIS_URL}, the clients, and the contestant
 * built on them. {@link #close()} closes the contestant first, then deletes the trial's keys and closes the clients.
 * A contestant that fails to build closes everything before the failure is rethrown, because JMH skips the tear-down
 * of a failed set-up and Redisson's threads would keep the fork alive.
 *
 * @param <T> the contestant's type
 */
public final class RedisTrial<T extends AutoCloseable> implements AutoCloseable {

	private final String prefix = BenchmarkRedis.uniquePrefix();

	private final BenchmarkRedis redis = BenchmarkRedis.fromEnvironment();

	private final T contestant;

	private RedisTrial(BiFunction<BenchmarkRedis, String, T> factory) {
		try {
			this.contestant = factory.apply(this.redis, this.prefix);
		}
		catch (RuntimeException ex) {
			try {
				cleanUp();
			}
			catch (RuntimeException cleanup) {
				ex.addSuppressed(cleanup);
			}
			throw ex;
		}
	}

	/**
	 * Opens a trial and builds its contestant.
	 * @param factory builds the contestant from the trial's Redis and namespace
	 * @return the trial
	 */
	public static <T extends AutoCloseable> RedisTrial<T> open(BiFunction<BenchmarkRedis, String, T> factory) {
		return new RedisTrial<>(factory);
	}

	public T contestant() {
		return this.contestant;
	}

	@Override
	public void close() throws Exception {
		try {
			this.contestant.close();
		}
		finally {
			cleanUp();
		}
	}

	private void cleanUp() {
		try {
			this.redis.deleteKeys(this.prefix);
		}
		finally {
			this.redis.close();
		}
	}

}
