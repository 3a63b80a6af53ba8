package io.distkit.spring.boot.web;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.PathContainer;

import io.distkit.ratelimit.BoundLimit;
import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.RateLimitExceededException;
import io.distkit.spring.boot.aop.AnnotationMetrics;
import io.distkit.spring.boot.aop.Refunds;

/**
 * The URL limits of an application ({@code distkit.web.limits}), decided by distkit's servlet {@code Filter} and
 * WebFlux {@code WebFilter} before the request reaches a handler (by default before Spring Security). A request takes
 * one unit of every limit it matches, in the configured order; when one refuses, the units the earlier ones took are
 * refunded (a failed refund is logged at most once a minute and metered as {@code distkit.ratelimit.refund.failures}).
 * Thread-safe.
 *
 * @since 0.1.0
 */
public final class UrlLimits {

	/**
	 * The default order of distkit's filters: before Spring Security's filter ({@code -100}, Spring Boot's
	 * {@code spring.security.filter.order} and WebFlux's {@code WebFilterChainProxy}), so that a limit protects an
	 * endpoint security would answer (a login form) and counts unauthenticated requests.
	 */
	public static final int DEFAULT_FILTER_ORDER = -110;

	/** The order of Spring Security's filter unless {@code spring.security.filter.order} says otherwise. */
	public static final int SECURITY_FILTER_ORDER = -100;

	private static final Log logger = LogFactory.getLog(UrlLimits.class);

	private final List<UrlLimit> limits;

	private final Refunds refunds;

	/**
	 * Creates the URL limits.
	 * @param limits the limits, in the order they apply
	 * @param metrics where failed refunds are metered
	 */
	public UrlLimits(List<UrlLimit> limits, AnnotationMetrics metrics) {
		this.limits = List.copyOf(limits);
		this.refunds = new Refunds(metrics, logger);
	}

	/** The limits, in the order they apply. */
	public List<UrlLimit> limits() {
		return this.limits;
	}

	/**
	 * The limits a request applies to.
	 * @param method the request's HTTP method
	 * @param path the request's path within the application
	 * @return the limits, in order; empty when none applies
	 */
	public List<UrlLimit> matching(String method, PathContainer path) {
		if (this.limits.isEmpty()) {
			return List.of();
		}
		List<UrlLimit> matching = null;
		for (UrlLimit limit : this.limits) {
			if (limit.matches(method, path)) {
				if (matching == null) {
					matching = new ArrayList<>(2);
				}
				matching.add(limit);
			}
		}
		return (matching != null) ? matching : List.of();
	}

	/**
	 * The caller variables the keys of {@code limits} use.
	 * @param limits some limits
	 * @return the variables' names
	 */
	public static Set<String> callerVariables(List<UrlLimit> limits) {
		Set<String> names = new LinkedHashSet<>();
		limits.forEach((limit) -> names.addAll(limit.key().callerVariables()));
		return names;
	}

	/**
	 * Decides a request against the limits it matches, in order, recording each decision in its applied limits. May
	 * touch Redis: reactive callers run it off the event loop.
	 * @param matching the limits the request matches
	 * @param variables the request's caller variables
	 * @param applied the request's applied limits
	 * @throws RateLimitExceededException if a limit refused the request (nothing stays taken)
	 * @throws io.distkit.ratelimit.RateLimitBackendUnavailableException if Redis failed and the policy is
	 * {@code fail-closed}
	 * @throws io.distkit.spring.boot.annotation.AnnotationExpressionException if a key expression failed
	 */
	public void apply(List<UrlLimit> matching, Map<String, @Nullable Object> variables, AppliedLimits applied) {
		List<Taken> taken = null;
		try {
			for (UrlLimit limit : matching) {
				String key = limit.key().key(variables);
				RateLimitDecision decision = applied.decide(limit.limit(), key, 1);
				if (!decision.isAdmitted()) {
					refund(taken, applied);
					throw RateLimitExceededException.of(limit.limit().limit(), decision);
				}
				if (decision != RateLimitDecision.Allowed.DEGRADED && matching.size() > 1) {
					if (taken == null) {
						taken = new ArrayList<>(matching.size());
					}
					taken.add(new Taken(limit, key));
				}
			}
		}
		catch (RateLimitExceededException ex) {
			throw ex;
		}
		catch (RuntimeException | Error ex) {
			refund(taken, applied);
			throw ex;
		}
	}

	private void refund(@Nullable List<Taken> taken, AppliedLimits applied) {
		if (taken == null) {
			return;
		}
		for (Taken units : taken) {
			BoundLimit limit = units.limit().limit();
			if (this.refunds.refund(limit, units.key(), 1,
					"(" + units.limit().source() + ") after a later URL limit rejected the request")) {
				applied.refunded(limit.limit(), 1);
			}
		}
	}

	@Override
	public String toString() {
		return "UrlLimits" + this.limits;
	}

	private record Taken(UrlLimit limit, String key) {
	}

}
