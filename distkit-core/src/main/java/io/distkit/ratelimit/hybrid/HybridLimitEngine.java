package io.distkit.ratelimit.hybrid;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.distkit.DistkitBackendException;
import io.distkit.NanoClock;
import io.distkit.RedisBackend;
import io.distkit.RedisKey;
import io.distkit.counter.CounterComparator;
import io.distkit.internal.redis.ScriptRunner;
import io.distkit.ratelimit.ConditionalSetOutcome;
import io.distkit.ratelimit.HistoryPreservation;
import io.distkit.ratelimit.LimitEngine;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.RateLimitDecision.Allowed;
import io.distkit.ratelimit.Usage;
import io.distkit.ratelimit.redis.RedisLimitEngine;

/**
 * The hybrid provider: decisions in memory from a budget synchronised with Redis. Each key remembers Redis' window
 * total at its last synchronisation and the units it admitted since; a decision that fits the budget never waits
 * for Redis. Every {@code syncInterval} a fixed-rate tick commits the admitted units of every key that has some, in
 * one pipeline of numbered, idempotent commits (a commit sent again after a lost reply is applied once), and reads
 * each key's fresh total back. A key whose last synchronisation is older than ten sync intervals, or a decision the
 * local state cannot make (unknown key, budget exhausted with a stale view, expired suppression factor), synchronises
 * at once on the caller's thread.
 *
 * <p>At most {@code commitQueueCapacity} keys wait for a commit; when the queue is full a decision on another key
 * waits at most one sync interval, then fails as a backend failure. During a Redis outage, keys with a usable local
 * state keep deciding; only decisions that needed Redis fail.
 *
 * <p>Cross-instance accuracy: an instance admits a unit only while its own view fits the capacity: Redis' window
 * total at its last synchronisation (which holds every unit it committed) plus its own units not yet confirmed. So
 * one instance never admits more than the capacity in a window, and N instances sharing a limit admit at most
 * N × capacity in one window; the overshoot above the capacity is the units the others admitted that an instance had
 * not yet seen: those since their last commit (at most one sync interval old) and since its own last
 * synchronisation (at most ten sync intervals old while it keeps deciding locally). Under a burst from an empty
 * window every instance may spend the whole budget it saw before their commits meet, hence the N × capacity worst
 * case; under a steady load the overshoot is about N × the units admitted per sync interval. Within one instance
 * the window never overshoots.
 *
 * @since 0.1.0
 */
public final class HybridLimitEngine implements LimitEngine {

	private static final Log logger = LogFactory.getLog(HybridLimitEngine.class);

	private final ScriptRunner runner;

	private final String prefix;

	private final Options options;

	private final NanoClock clock;

	private final RandomGenerator random;

	private final RedisLimitEngine direct;

	private final String writerId = UUID.randomUUID().toString().replace("-", "");

	private final AtomicLong sequence = new AtomicLong();

	private final long syncIntervalNanos;

	private final long staleAfterNanos;

	private final ConcurrentHashMap<String, Cache<String, HybridWindow>> windows = new ConcurrentHashMap<>();

	private final ArrayBlockingQueue<HybridWindow> commitQueue;

	/** Windows whose commit failed, sent again first at the next tick (tick thread only). */
	private final ArrayDeque<HybridWindow> retry = new ArrayDeque<>();

	private final ScheduledExecutorService scheduler;

	private volatile boolean closed;

	public HybridLimitEngine(RedisBackend backend, RedisKey prefix, Options options, NanoClock clock,
			RandomGenerator random) {
		this.runner = backend.scriptRunner();
		this.prefix = prefix.value();
		this.options = options;
		this.clock = clock;
		this.random = random;
		this.direct = new RedisLimitEngine(backend, prefix, random);
		this.syncIntervalNanos = options.syncInterval().toNanos();
		this.staleAfterNanos = 10 * this.syncIntervalNanos;
		this.commitQueue = new ArrayBlockingQueue<>(options.commitQueueCapacity());
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "distkit-hybrid-sync");
			thread.setDaemon(true);
			return thread;
		});
		this.scheduler.scheduleAtFixedRate(this::tick, this.syncIntervalNanos, this.syncIntervalNanos,
				TimeUnit.NANOSECONDS);
	}

	/** How many keys wait for a commit. */
	public int commitQueueLength() {
		return this.commitQueue.size() + this.retry.size();
	}

	@Override
	public RateLimitDecision inc(RateLimit limit, String key, long count) {
		return decide(limit, key, count, true, false);
	}

	@Override
	public RateLimitDecision incDetailed(RateLimit limit, String key, long count) {
		return decide(limit, key, count, true, true);
	}

	@Override
	public RateLimitDecision isAllowed(RateLimit limit, String key) {
		return decide(limit, key, 1, false, false);
	}

	/** Finds the limit's windows once, instead of by the limit's name on every decision. */
	@Override
	public Decider decider(RateLimit limit) {
		Cache<String, HybridWindow> cache = cache(limit);
		return (key, count, detailed) -> decide(limit, window(cache, limit, key), count, true, detailed);
	}

	private RateLimitDecision decide(RateLimit limit, String key, long count, boolean record, boolean detailed) {
		return decide(limit, window(cache(limit), limit, key), count, record, detailed);
	}

	private RateLimitDecision decide(RateLimit limit, HybridWindow window, long count, boolean record,
			boolean detailed) {
		long now = this.clock.nanoTime();
		RateLimitDecision decision = (record && !detailed && window.admitFromLease(limit, count, now))
				? Allowed.ADMITTED : window.decide(limit, count, record, detailed, now, this.staleAfterNanos, false,
						this.random);
		if (decision == null) {
			window.syncLock.lock();
			try {
				decision = window.decide(limit, count, record, detailed, this.clock.nanoTime(), this.staleAfterNanos,
						false, this.random);
				if (decision == null) {
					sync(window);
					decision = window.decide(limit, count, record, detailed, this.clock.nanoTime(),
							this.staleAfterNanos, true, this.random);
				}
			}
			finally {
				window.syncLock.unlock();
			}
		}
		if (record && (decision.isAdmitted() || decision instanceof RateLimitDecision.Suppressed)
				&& window.markQueued()) {
			queue(window, limit, count, !decision.isAdmitted());
		}
		return decision;
	}

	private void queue(HybridWindow window, RateLimit limit, long count, boolean declined) {
		if (this.commitQueue.offer(window)) {
			return;
		}
		try {
			if (this.commitQueue.offer(window, this.syncIntervalNanos, TimeUnit.NANOSECONDS)) {
				return;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		window.unqueue();
		window.undo(count, declined);
		throw new DistkitBackendException("Hybrid commit queue is full (" + this.options.commitQueueCapacity()
				+ " keys wait for Redis); decision for limit '" + limit.name() + "' counts as a backend failure");
	}

	@Override
	public Usage get(RateLimit limit, String key) {
		HybridWindow window = existing(limit, key);
		if (window == null) {
			return this.direct.get(limit, key);
		}
		window.follow(limit);
		window.syncLock.lock();
		try {
			sync(window);
		}
		finally {
			window.syncLock.unlock();
		}
		return window.usage();
	}

	@Override
	public Usage estimate(RateLimit limit, String key) {
		HybridWindow window = existing(limit, key);
		if (window != null) {
			window.follow(limit);
			// a view too old to decide on is too old to report: read Redis again, as a decision would
			if (window.isValid(this.clock.nanoTime(), this.staleAfterNanos)) {
				return window.usage();
			}
		}
		return get(limit, key);
	}

	@Override
	public double suppressionFactor(RateLimit limit, String key) {
		if (limit.strategy() == RateLimit.Strategy.ABSOLUTE) {
			return 0.0;
		}
		HybridWindow window = existing(limit, key);
		if (window == null) {
			return this.direct.suppressionFactor(limit, key);
		}
		window.follow(limit);
		double valid = window.validFactor(this.clock.nanoTime());
		if (valid >= 0) {
			return valid;
		}
		window.syncLock.lock();
		try {
			sync(window);
		}
		finally {
			window.syncLock.unlock();
		}
		return window.usage().suppressionFactor();
	}

	@Override
	public ConditionalSetOutcome setIf(RateLimit limit, String key, CounterComparator comparator, long count,
			HistoryPreservation preservation) {
		HybridWindow window = existing(limit, key);
		if (window == null) {
			return this.direct.setIf(limit, key, comparator, count, preservation);
		}
		window.follow(limit);
		window.syncLock.lock();
		try {
			sync(window); // pending units reach Redis first, so the comparator sees them
			ConditionalSetOutcome outcome = this.direct.setIf(limit, key, comparator, count, preservation);
			if (outcome.matched()) {
				window.invalidate();
			}
			return outcome;
		}
		finally {
			window.syncLock.unlock();
		}
	}

	@Override
	public void refund(RateLimit limit, String key, long count) {
		HybridWindow window = existing(limit, key);
		long left = (window != null) ? window.refundPending(count) : count;
		if (left > 0) {
			this.direct.refund(limit, key, left);
		}
	}

	@Override
	public long size() {
		long size = 0;
		for (Cache<String, HybridWindow> cache : this.windows.values()) {
			cache.cleanUp();
			size += cache.estimatedSize();
		}
		return size;
	}

	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			this.scheduler.submit(this::tick).get(5, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			logger.warn("distkit hybrid rate limiter: final commit failed: " + ex.getMessage());
		}
		this.scheduler.shutdownNow();
	}

	/** Commits the window's units and reads Redis' state. Under the window's sync lock. */
	private void sync(HybridWindow window) {
		window.prepareCommit(this.sequence.incrementAndGet());
		Object reply = this.runner.run(RedisLimitEngine.syncScript(), window.redisKeys,
				syncArgs(window));
		apply(window, reply);
	}

	private List<String> syncArgs(HybridWindow window) {
		RateLimit limit = window.limit;
		long now = this.clock.nanoTime();
		long count;
		long declined;
		long sequence;
		long ageMillis;
		synchronized (window) {
			count = window.inFlight;
			declined = window.inFlightDeclined;
			sequence = window.inFlightSequence;
			ageMillis = (count != 0 || declined != 0) ? Math.max(0, (now - window.inFlightSince) / 1_000_000) : 0;
		}
		return List.of((limit.strategy() == RateLimit.Strategy.ABSOLUTE) ? "absolute" : "suppressed",
				Long.toString(limit.bucket().toMillis()), Integer.toString(limit.windowBuckets()),
				Long.toString(Math.min(limit.capacity(), RateLimit.MAX_COUNT)),
				Long.toString(Math.min(limit.hardCapacity(), RateLimit.MAX_COUNT)),
				Long.toString(limit.suppressionFactorCache().toMillis()), this.writerId, Long.toString(sequence),
				Long.toString(count), Long.toString(declined), Long.toString(ageMillis));
	}

	private void apply(HybridWindow window, Object reply) {
		if (!(reply instanceof List<?> values) || values.size() != 6) {
			throw new DistkitBackendException("Unexpected reply of rl_sync.lua: " + reply);
		}
		window.synced(toLong(values.get(0)), toLong(values.get(1)), toLong(values.get(2)), toLong(values.get(3)),
				Double.parseDouble(String.valueOf(values.get(4))), toLong(values.get(5)), this.clock.nanoTime());
	}

	private static long toLong(Object value) {
		if (value instanceof Long number) {
			return number;
		}
		throw new DistkitBackendException("Unexpected value in reply of rl_sync.lua: " + value);
	}

	/** Commits every queued window in pipelines of {@code chunkSize}; failed ones are retried next tick. */
	private void tick() {
		try {
			List<HybridWindow> batch = new ArrayList<>();
			for (HybridWindow window = this.retry.poll(); window != null; window = this.retry.poll()) {
				batch.add(window);
			}
			this.commitQueue.drainTo(batch);
			if (batch.isEmpty()) {
				return;
			}
			List<HybridWindow> locked = new ArrayList<>(batch.size());
			for (HybridWindow window : batch) {
				window.unqueue(); // units admitted from now on queue the window again
				if (window.syncLock.tryLock()) {
					locked.add(window);
				}
				else if (window.markQueued()) {
					this.retry.add(window); // a caller is synchronising it right now
				}
			}
			try {
				commit(locked);
			}
			finally {
				for (HybridWindow window : locked) {
					// units admitted while an unconfirmed commit was sent again stay pending: queue them, or they would
					// wait for the key's next decision (and be lost at close if none comes)
					if (window.hasUncommitted()) {
						requeue(window);
					}
					window.syncLock.unlock();
				}
			}
		}
		catch (RuntimeException ex) {
			logger.error("distkit hybrid rate limiter: synchronisation tick failed", ex);
		}
	}

	private void commit(List<HybridWindow> windows) {
		for (int from = 0; from < windows.size(); from += this.options.chunkSize()) {
			List<HybridWindow> chunk = windows.subList(from, Math.min(windows.size(), from + this.options.chunkSize()));
			List<List<String>> keys = new ArrayList<>(chunk.size());
			List<List<String>> args = new ArrayList<>(chunk.size());
			for (HybridWindow window : chunk) {
				window.prepareCommit(this.sequence.incrementAndGet());
				keys.add(window.redisKeys);
				args.add(syncArgs(window));
			}
			List<Object> replies;
			try {
				replies = this.runner.runPipelined(RedisLimitEngine.syncScript(), keys,
						args);
			}
			catch (DistkitBackendException ex) {
				for (int i = from; i < windows.size(); i++) {
					requeue(windows.get(i));
				}
				logger.debug("distkit hybrid rate limiter: commit failed, retried next tick: " + ex.getMessage());
				return;
			}
			for (int i = 0; i < chunk.size(); i++) {
				try {
					if (replies.get(i) instanceof RuntimeException failure) {
						throw failure;
					}
					apply(chunk.get(i), replies.get(i));
				}
				catch (RuntimeException ex) {
					requeue(chunk.get(i));
					logger.warn("distkit hybrid rate limiter: commit of one key failed: " + ex.getMessage());
				}
			}
		}
	}

	private void requeue(HybridWindow window) {
		if (window.markQueued()) {
			this.retry.add(window);
		}
	}

	private HybridWindow window(Cache<String, HybridWindow> cache, RateLimit limit, String key) {
		HybridWindow window = cache.getIfPresent(key);
		return (window != null) ? window : cache.get(key, (k) -> new HybridWindow(limit, redisKeys(limit, k)));
	}

	private HybridWindow existing(RateLimit limit, String key) {
		Cache<String, HybridWindow> cache = this.windows.get(limit.name());
		return (cache != null) ? cache.getIfPresent(key) : null;
	}

	private Cache<String, HybridWindow> cache(RateLimit limit) {
		Cache<String, HybridWindow> cache = this.windows.get(limit.name());
		if (cache == null) {
			// an evicted window still queued for commit is committed by the tick all the same
			cache = this.windows.computeIfAbsent(limit.name(),
					(name) -> Caffeine.newBuilder().maximumSize(this.options.maxKeys()).executor(Runnable::run).build());
		}
		return cache;
	}

	private List<String> redisKeys(RateLimit limit, String key) {
		return RedisLimitEngine.entityKeys(this.prefix, limit, key);
	}

	/**
	 * Options of the hybrid provider.
	 *
	 * @param syncInterval period of the commit tick
	 * @param commitQueueCapacity most keys waiting for a commit
	 * @param maxKeys most keys per limit kept in memory (a window still waiting for its commit is committed even when
	 * evicted)
	 * @param chunkSize commits per pipeline
	 */
	public record Options(Duration syncInterval, int commitQueueCapacity, int maxKeys, int chunkSize) {

		/** Default sync interval: 10 ms. */
		public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofMillis(10);

		/** Default commit queue capacity: 8,192 keys. */
		public static final int DEFAULT_COMMIT_QUEUE_CAPACITY = 8192;

	}

}
