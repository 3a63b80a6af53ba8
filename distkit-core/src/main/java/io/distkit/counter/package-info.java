/**
 * Distributed counters: {@link io.distkit.counter.StrictCounter} (exact, one script per call) and the types they
 * share.
 */
@NullMarked
package io.distkit.counter;

import org.jspecify.annotations.NullMarked;
