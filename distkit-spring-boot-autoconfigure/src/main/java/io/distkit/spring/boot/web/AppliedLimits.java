package io.distkit.spring.boot.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import io.distkit.ratelimit.BoundLimit;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.Usage;

/**
 * The rate limits applied to one web request, in the order they decided: what the response's header fields list. One
 * instance per request, created by distkit's servlet {@code Filter} or {@code WebFilter} and found by whoever decides
 * for that request: URL limits, and {@code @RateLimited} methods that run for it.
 *
 * <ul>
 * <li>Servlet: a request attribute named {@link #ATTRIBUTE}, and bound to the request's thread while the filter
 * chain runs ({@link #current()}), so that an annotated method finds it without Spring Web on its path.</li>
 * <li>WebFlux: an exchange attribute named {@link #ATTRIBUTE}, and an entry of the request's Reactor context under
 * {@link #CONTEXT_KEY}.</li>
 * </ul>
 *
 * <p>{@link #decide} uses {@code incDetailed} when admitted responses carry header fields and {@code inc} otherwise,
 * and records the decision. A {@code fail-open} decision ({@link RateLimitDecision.Allowed#DEGRADED}) is not recorded:
 * a request admitted without Redis carries no rate-limit fields. A limit applied twice (a URL limit and an annotation
 * naming the same limit) is listed once, with its latest decision. Thread-safe.
 *
 * @since 0.1.0
 */
public final class AppliedLimits {

	/** The name of the request (servlet) or exchange (WebFlux) attribute holding a request's applied limits. */
	public static final String ATTRIBUTE = AppliedLimits.class.getName();

	/** The key of the Reactor context entry holding a WebFlux request's applied limits. */
	public static final String CONTEXT_KEY = ATTRIBUTE;

	private static final ThreadLocal<@Nullable AppliedLimits> current = new ThreadLocal<>();

	private final boolean detailed;

	private final @Nullable Consumer<AppliedLimits> listener;

	private final List<AppliedLimit> applied = new ArrayList<>(2);

	/**
	 * Creates the applied limits of one request.
	 * @param detailed whether admitted responses carry header fields, so decisions need {@code incDetailed}
	 * @param listener told after each change, on the deciding thread (the servlet filter writes the fields at once,
	 * before the response can be committed); {@code null} for none
	 */
	public AppliedLimits(boolean detailed, @Nullable Consumer<AppliedLimits> listener) {
		this.detailed = detailed;
		this.listener = listener;
	}

	/**
	 * The applied limits bound to the current thread: those of the servlet request the thread handles.
	 * @return the applied limits, or {@code null} outside a request distkit's filter handles
	 */
	public static @Nullable AppliedLimits current() {
		return current.get();
	}

	/**
	 * Binds {@code applied} to the current thread; restore the returned value when the request is done.
	 * @param applied the applied limits of the thread's request, or {@code null} to unbind
	 * @return what was bound before
	 */
	public static @Nullable AppliedLimits bind(@Nullable AppliedLimits applied) {
		AppliedLimits previous = current.get();
		if (applied != null) {
			current.set(applied);
		}
		else {
			current.remove();
		}
		return previous;
	}

	/** Whether admitted responses carry header fields, so decisions use {@code incDetailed}. */
	public boolean isDetailed() {
		return this.detailed;
	}

	/**
	 * Decides {@code cost} units of {@code limit} for {@code key} and records the decision.
	 * @param limit the limit
	 * @param key the key
	 * @param cost the units
	 * @return the decision
	 * @throws io.distkit.ratelimit.RateLimitBackendUnavailableException if Redis failed and the policy is
	 * {@code fail-closed}
	 */
	public RateLimitDecision decide(BoundLimit limit, String key, long cost) {
		RateLimitDecision decision = this.detailed ? limit.incDetailed(key, cost) : limit.inc(key, cost);
		record(limit, key, cost, decision);
		return decision;
	}

	/**
	 * Records a decision made for this request. A refusal of several units reads the key's usage (without I/O where
	 * the provider can) to tell how many units remain; a refusal of one unit leaves none.
	 * @param limit the limit that decided
	 * @param key the key
	 * @param cost the units asked for
	 * @param decision the decision
	 */
	public void record(BoundLimit limit, String key, long cost, RateLimitDecision decision) {
		if (decision instanceof RateLimitDecision.Allowed allowed && allowed.isDegraded()) {
			return;
		}
		AppliedLimit entry = entry(limit, key, cost, decision);
		synchronized (this) {
			this.applied.removeIf((existing) -> existing.name().equals(entry.name()));
			this.applied.add(entry);
		}
		changed();
	}

	/**
	 * Records that {@code cost} units were given back to {@code limit} after a later limit refused the request: the
	 * units it lists as remaining grow by as much.
	 * @param limit the limit
	 * @param cost the units given back
	 */
	public void refunded(RateLimit limit, long cost) {
		boolean found = false;
		synchronized (this) {
			for (int i = 0; i < this.applied.size(); i++) {
				AppliedLimit entry = this.applied.get(i);
				if (entry.name().equals(limit.name()) && entry.isAdmitted() && entry.remaining() >= 0) {
					long remaining = Math.min(entry.quota(), entry.remaining() + cost);
					this.applied.set(i, new AppliedLimit(entry.limit(), entry.cost(), entry.decision(), remaining,
							entry.reset()));
					found = true;
				}
			}
		}
		if (found) {
			changed();
		}
	}

	/**
	 * The applied limits, in the order they decided.
	 * @return a snapshot
	 */
	public synchronized List<AppliedLimit> list() {
		return List.copyOf(this.applied);
	}

	/**
	 * The applied limit named {@code name}.
	 * @param name the limit's name
	 * @return the entry, or {@code null}
	 */
	public synchronized @Nullable AppliedLimit find(String name) {
		for (AppliedLimit entry : this.applied) {
			if (entry.name().equals(name)) {
				return entry;
			}
		}
		return null;
	}

	private void changed() {
		if (this.listener != null) {
			this.listener.accept(this);
		}
	}

	private static AppliedLimit entry(BoundLimit bound, String key, long cost, RateLimitDecision decision) {
		RateLimit limit = bound.limit();
		if (decision instanceof RateLimitDecision.Allowed allowed) {
			return allowed.hasDetails()
					? new AppliedLimit(limit, cost, decision, Math.min(allowed.remaining(), limit.capacity()),
							allowed.resetAfter())
					: new AppliedLimit(limit, cost, decision, -1, null);
		}
		// A refusal of one unit leaves none; admitted above the soft capacity, none is left below it.
		boolean noneLeft = cost <= 1 || decision.isAdmitted();
		long used = noneLeft ? limit.capacity() : used(bound, key);
		long remaining = Math.max(0, limit.capacity() - used);
		if (decision instanceof RateLimitDecision.Suppressed) {
			return new AppliedLimit(limit, cost, decision, remaining, limit.suppressionFactorCache());
		}
		if (cost > limit.hardCapacity()) {
			// Waiting will not help this request; the window is empty at the latest one window from now.
			return new AppliedLimit(limit, cost, decision, remaining, (used == 0) ? Duration.ZERO : limit.window());
		}
		return new AppliedLimit(limit, cost, decision, remaining, ((RateLimitDecision.Rejected) decision).retryAfter());
	}

	/** Units the key uses now (a suppressed limit: accepted units); the capacity when the usage cannot be read. */
	private static long used(BoundLimit bound, String key) {
		RateLimit limit = bound.limit();
		try {
			Usage usage = bound.getEstimate(key);
			return (limit.strategy() == RateLimit.Strategy.SUPPRESSED) ? usage.accepted() : usage.total();
		}
		catch (RuntimeException ex) {
			return limit.capacity();
		}
	}

	@Override
	public String toString() {
		return "AppliedLimits" + list();
	}

}
