/**
 * The Redis rate-limit provider: one atomic Lua script per decision.
 */
@NullMarked
package io.distkit.ratelimit.redis;

import org.jspecify.annotations.NullMarked;
