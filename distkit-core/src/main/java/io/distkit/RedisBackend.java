package io.distkit;

import io.micrometer.observation.ObservationRegistry;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;

import io.distkit.internal.redis.CircuitBreaker;
import io.distkit.internal.redis.ScriptRunner;

/**
 * distkit's access to one Redis: a {@link RedisTemplate} of its own over a {@link RedisConnectionFactory}, and the
 * circuit breaker of that factory. Every primitive built on one backend shares its breaker; create one backend per
 * connection factory. The factory's command timeout is the deadline of every call.
 *
 * <pre>{@code
 * RedisBackend backend = RedisBackend.builder(connectionFactory)
 *     .circuitBreaker(new CircuitBreakerOptions(5, Duration.ofSeconds(5)))
 *     .build();
 * StrictCounter counter = StrictCounter.create(backend, CounterOptions.builder().prefix("shop").build());
 * }</pre>
 *
 * <p>Creating a backend does not contact Redis. Thread-safe.
 *
 * @since 0.1.0
 */
public final class RedisBackend {

	private final ScriptRunner runner;

	private RedisBackend(ScriptRunner runner) {
		this.runner = runner;
	}

	/**
	 * A backend over {@code connectionFactory} with the default circuit breaker.
	 * @param connectionFactory the connection factory (not started or stopped by distkit)
	 * @return the backend
	 */
	public static RedisBackend create(RedisConnectionFactory connectionFactory) {
		return builder(connectionFactory).build();
	}

	/**
	 * Starts a builder for a backend over {@code connectionFactory}.
	 * @param connectionFactory the connection factory (not started or stopped by distkit)
	 * @return the builder
	 */
	public static Builder builder(RedisConnectionFactory connectionFactory) {
		if (connectionFactory == null) {
			throw new IllegalArgumentException("'connectionFactory' must not be null");
		}
		return new Builder(connectionFactory);
	}

	/**
	 * A template with string keys and values over {@code connectionFactory}, as distkit uses it.
	 * @param connectionFactory the connection factory
	 * @return an initialised template
	 */
	public static RedisTemplate<String, String> createTemplate(RedisConnectionFactory connectionFactory) {
		RedisTemplate<String, String> template = new RedisTemplate<>();
		template.setConnectionFactory(connectionFactory);
		template.setKeySerializer(RedisSerializer.string());
		template.setValueSerializer(RedisSerializer.string());
		template.setHashKeySerializer(RedisSerializer.string());
		template.setHashValueSerializer(RedisSerializer.string());
		// distkit's callbacks never close the connection they are given: no close-suppressing proxy per call
		template.setExposeConnection(true);
		template.afterPropertiesSet();
		return template;
	}

	/** The current state of this backend's circuit breaker. */
	public CircuitState circuitState() {
		return this.runner.circuitState();
	}

	/** How many times this backend's circuit breaker has opened since it was created. */
	public long circuitOpenings() {
		return this.runner.circuitBreaker().timesOpened();
	}

	/** How many calls failed because Redis was unavailable (connection failures and timeouts). */
	public long failures() {
		return this.runner.failures();
	}

	/** The circuit breaker's open period. */
	public java.time.Duration circuitOpenFor() {
		return this.runner.circuitBreaker().openFor();
	}

	/** The template distkit's calls go through. */
	public RedisTemplate<String, String> template() {
		return this.runner.template();
	}

	/**
	 * The script runner of this backend, for distkit's own primitives. Not part of the public API: it may change in
	 * any release.
	 * @return the runner
	 */
	public ScriptRunner scriptRunner() {
		return this.runner;
	}

	/** Options of a {@link RedisBackend}. */
	public static final class Builder {

		private final RedisConnectionFactory connectionFactory;

		private RedisTemplate<String, String> template;

		private CircuitBreakerOptions circuitBreaker = CircuitBreakerOptions.defaults();

		private NanoClock clock = NanoClock.system();

		private ObservationRegistry observations = ObservationRegistry.NOOP;

		private Builder(RedisConnectionFactory connectionFactory) {
			this.connectionFactory = connectionFactory;
		}

		/** When the circuit breaker opens and for how long; default {@link CircuitBreakerOptions#defaults()}. */
		public Builder circuitBreaker(CircuitBreakerOptions options) {
			if (options == null) {
				throw new InvalidOptionException("circuitBreaker", null, "must not be null");
			}
			this.circuitBreaker = options;
			return this;
		}

		/** The clock of the circuit breaker's open period; default {@link NanoClock#system()}. */
		public Builder clock(NanoClock clock) {
			if (clock == null) {
				throw new InvalidOptionException("clock", null, "must not be null");
			}
			this.clock = clock;
			return this;
		}

		/**
		 * Observes every script call as {@code distkit.redis.script} (a timer tagged with the script's name; traces
		 * see the Redis key as a high-cardinality value); default none.
		 * @param observations the registry
		 * @return this builder
		 */
		public Builder observationRegistry(ObservationRegistry observations) {
			if (observations == null) {
				throw new InvalidOptionException("observationRegistry", null, "must not be null");
			}
			this.observations = observations;
			return this;
		}

		/**
		 * Uses a template the caller configured (string serialisers) instead of creating one over the factory.
		 * @param template a template over this builder's connection factory
		 * @return this builder
		 */
		public Builder template(RedisTemplate<String, String> template) {
			if (template == null) {
				throw new InvalidOptionException("template", null, "must not be null");
			}
			if (template.getConnectionFactory() != this.connectionFactory) {
				throw new InvalidOptionException("template", template,
						"must use the connection factory the backend was built for");
			}
			this.template = template;
			return this;
		}

		public RedisBackend build() {
			RedisTemplate<String, String> chosen = (this.template != null) ? this.template
					: createTemplate(this.connectionFactory);
			return new RedisBackend(new ScriptRunner(chosen, new CircuitBreaker(this.circuitBreaker, this.clock),
					this.observations));
		}

	}

}
