/**
 * Script execution, error classification and the circuit breaker. Internal: not part of the public API.
 */
@NullMarked
package io.distkit.internal.redis;

import org.jspecify.annotations.NullMarked;
