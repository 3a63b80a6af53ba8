package io.distkit.spring.boot.web;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

import io.distkit.ratelimit.RateLimitBackendUnavailableException;
import io.distkit.ratelimit.RateLimitExceededException;

/**
 * Answers rate-limit failures in WebFlux, from URL limits and from handlers alike: {@link RateLimitExceededException}
 * with {@code 429} and {@link RateLimitBackendUnavailableException} with {@code 503}, an RFC 9457 problem body
 * ({@code application/problem+json}) from the {@link RateLimitProblemFactory}, {@code Retry-After} and the rate-limit
 * fields of the request's {@link AppliedLimits}. Ordered before Spring Boot's error handler ({@value #ORDER}); an
 * {@code @ExceptionHandler} of the application's handles a handler's exception before it gets here. Other failures
 * pass through.
 *
 * @since 0.1.0
 */
public final class RateLimitWebExceptionHandler implements WebExceptionHandler, Ordered {

	/** The order: before Spring Boot's {@code DefaultErrorWebExceptionHandler} ({@code -1}). */
	public static final int ORDER = -2;

	private static final ResolvableType PROBLEM = ResolvableType.forClass(ProblemDetail.class);

	private final RateLimitProblemFactory problems;

	private final RateLimitHeaderStyle style;

	private final List<HttpMessageWriter<?>> writers;

	/**
	 * Creates the handler.
	 * @param problems the problem factory
	 * @param style which legacy fields rejected responses carry too
	 * @param writers the writers, one of which writes {@code application/problem+json}
	 */
	public RateLimitWebExceptionHandler(RateLimitProblemFactory problems, RateLimitHeaderStyle style,
			List<HttpMessageWriter<?>> writers) {
		this.problems = problems;
		this.style = style;
		this.writers = List.copyOf(writers);
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
		ServerHttpResponse response = exchange.getResponse();
		AppliedLimits applied = exchange.getAttribute(AppliedLimits.ATTRIBUTE);
		RateLimitResponse answer = RateLimitResponse.of(failure, applied, this.style, this.problems);
		if (answer == null || response.isCommitted()) {
			return Mono.error(failure);
		}
		exchange.getAttributes().put(RateLimitWebFilter.ANSWERED, Boolean.TRUE);
		response.setStatusCode(answer.status());
		answer.headers().forEach((name, values) -> response.getHeaders().put(name, values));
		ProblemDetail body = answer.body();
		if (body.getInstance() == null) {
			body.setInstance(URI.create(exchange.getRequest().getPath().pathWithinApplication().value()));
		}
		for (HttpMessageWriter<?> writer : this.writers) {
			if (writer.canWrite(PROBLEM, MediaType.APPLICATION_PROBLEM_JSON)) {
				@SuppressWarnings("unchecked")
				HttpMessageWriter<ProblemDetail> problemWriter = (HttpMessageWriter<ProblemDetail>) writer;
				return problemWriter.write(Mono.just(body), PROBLEM, MediaType.APPLICATION_PROBLEM_JSON, response,
						Map.of());
			}
		}
		return response.setComplete();
	}

}
