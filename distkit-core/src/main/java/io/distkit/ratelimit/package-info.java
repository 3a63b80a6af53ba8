/**
 * Sliding-window rate limiting: {@link io.distkit.ratelimit.RateLimiter}, limits, decisions, and the provider SPI.
 */
@NullMarked
package io.distkit.ratelimit;

import org.jspecify.annotations.NullMarked;
