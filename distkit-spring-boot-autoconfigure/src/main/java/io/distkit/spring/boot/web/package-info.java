/**
 * HTTP support of rate limiting: a rejected request becomes {@code 429} with an RFC 9457 problem body, a backend
 * failure under {@code fail-closed} becomes {@code 503}, responses carry the {@code RateLimit-Policy} and
 * {@code RateLimit} header fields of draft-ietf-httpapi-ratelimit-headers-10, and URL limits apply without code. Spring
 * MVC (a servlet {@code Filter} and a {@code @ControllerAdvice}) and WebFlux (a {@code WebFilter} and a
 * {@code WebExceptionHandler}) share the stack-neutral types of this package. Wired by
 * {@code DistkitWebAutoConfiguration}.
 */
@NullMarked
package io.distkit.spring.boot.web;

import org.jspecify.annotations.NullMarked;
