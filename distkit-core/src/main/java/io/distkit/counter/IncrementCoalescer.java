package io.distkit.counter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import io.distkit.CounterOverflowException;
import io.distkit.DistkitBackendException;
import io.distkit.RedisKey;

/**
 * Coalesces concurrent plain increments of one key into one script call. While a call for a key is in flight, further
 * increments of that key queue up; when it returns, the queue goes out as the next call, carrying the sum of its
 * deltas, and its first caller makes that call. Every caller still gets the value its own increment produced: the
 * queued increments are applied as if one after another in arrival order, so caller {@code i} gets the value before
 * the call plus the deltas up to and including its own.
 *
 * <p>A caller waits at most for the call in flight and then its own (each bounded by the command timeout). When the
 * sum would leave the counter's range, the queued increments go out one by one, so only an increment that overflows
 * on its own is refused. When a coalesced call fails, every caller in it gets the failure (for callers other than
 * the one that made the call, a {@link DistkitBackendException} caused by it): like any failed strict call, the
 * increments may or may not have been applied.
 *
 * <p>Keys are tracked only while a call is in flight, so memory follows the number of keys being incremented at
 * this moment.
 */
final class IncrementCoalescer {

	/** Most increments one call carries: 2^9 deltas within ±2^53 each sum to well within a {@code long}. */
	static final int MAX_BATCH = 512;

	/** One script call for {@code key} adding {@code delta}; returns (new value, old value). */
	@FunctionalInterface
	interface Increment {

		CounterUpdate apply(RedisKey key, long delta);

	}

	private final ConcurrentHashMap<RedisKey, Lane> lanes = new ConcurrentHashMap<>();

	private final Increment increment;

	IncrementCoalescer(Increment increment) {
		this.increment = increment;
	}

	/**
	 * Adds {@code delta} to {@code key}, in one call with whatever other increments of the key queue meanwhile.
	 * @return the value this increment produced
	 */
	long inc(RedisKey key, long delta) {
		Request request = new Request(delta);
		Lane lane;
		boolean leads;
		for (;;) {
			lane = this.lanes.computeIfAbsent(key, (k) -> new Lane());
			synchronized (lane) {
				if (lane.retired) {
					continue; // went idle and left the map just now: take the new lane
				}
				leads = !lane.busy;
				if (leads) {
					lane.busy = true;
				}
				else {
					lane.queue.add(request);
				}
			}
			break;
		}
		// a follower waits for its result, or for its turn to send the queue it is first in
		List<Request> batch = leads ? List.of(request) : request.turn.join();
		if (batch != null) {
			lead(key, lane, batch);
		}
		return request.value();
	}

	/** Keys with a call in flight. */
	int activeKeys() {
		return this.lanes.size();
	}

	/**
	 * Makes the call for {@code batch} (whose first request is the caller's), hands the queue on, then wakes the
	 * batch's callers: the next call goes out before they run.
	 */
	private void lead(RedisKey key, Lane lane, List<Request> batch) {
		try {
			settle(key, batch);
		}
		finally {
			handOff(key, lane);
			for (Request request : batch) {
				request.release(key);
			}
		}
	}

	private void settle(RedisKey key, List<Request> batch) {
		long total = 0;
		for (Request request : batch) {
			total += request.delta; // at most MAX_BATCH deltas within ±2^53 each: no long overflow
		}
		try {
			if (batch.size() > 1) {
				CounterOverflowException.requireInRange(key.value(), total);
			}
			CounterUpdate update = this.increment.apply(key, total);
			long value = update.oldValue();
			for (Request request : batch) {
				value += request.delta;
				request.succeeded(value);
			}
		}
		catch (CounterOverflowException ex) {
			if (batch.size() == 1) {
				batch.get(0).failed(ex);
				return;
			}
			for (Request request : batch) { // only an increment that overflows on its own is refused
				settle(key, List.of(request));
			}
		}
		catch (RuntimeException ex) {
			batch.get(0).failed(ex);
			for (int i = 1; i < batch.size(); i++) {
				batch.get(i).failed(new DistkitBackendException(
						"distkit: the coalesced increment of \"" + DistkitBackendException.abbreviate(key.value())
								+ "\" (" + batch.size() + " increments in one call) failed: " + ex.getMessage(),
						ex));
			}
		}
	}

	/** Passes the queued requests on as the next call, or retires the lane when nothing is queued. */
	private void handOff(RedisKey key, Lane lane) {
		List<Request> next;
		synchronized (lane) {
			if (lane.queue.isEmpty()) {
				lane.busy = false;
				lane.retired = true;
				this.lanes.remove(key, lane);
				return;
			}
			if (lane.queue.size() <= MAX_BATCH) {
				next = lane.queue;
				lane.queue = new ArrayList<>();
			}
			else {
				next = new ArrayList<>(lane.queue.subList(0, MAX_BATCH));
				lane.queue = new ArrayList<>(lane.queue.subList(MAX_BATCH, lane.queue.size()));
			}
		}
		next.get(0).turn.complete(next);
	}

	/** The keys with a call in flight: each has a busy flag and the increments waiting for the next call. */
	private static final class Lane {

		boolean busy;

		boolean retired;

		List<Request> queue = new ArrayList<>();

	}

	/** One caller's increment and, once settled, its result. */
	private static final class Request {

		final long delta;

		/** Completed with the batch this request must send, or with {@code null} once its outcome is set. */
		final CompletableFuture<@Nullable List<Request>> turn = new CompletableFuture<>();

		private long value;

		private @Nullable RuntimeException failure;

		private boolean settled;

		Request(long delta) {
			this.delta = delta;
		}

		void succeeded(long value) {
			this.value = value;
			this.settled = true;
		}

		void failed(RuntimeException failure) {
			this.failure = failure;
			this.settled = true;
		}

		/**
		 * Wakes the caller with its outcome; a request the call left unsettled (the leader died of an {@link Error})
		 * fails, so nobody waits forever.
		 */
		void release(RedisKey key) {
			if (!this.settled) {
				failed(new DistkitBackendException("distkit: the coalesced increment of \""
						+ DistkitBackendException.abbreviate(key.value()) + "\" did not complete"));
			}
			this.turn.complete(null);
		}

		long value() {
			if (this.failure != null) {
				throw this.failure;
			}
			return this.value;
		}

	}

}
