/**
 * What the counters share: batch chunking, script reply decoding, and the lax engine (buffered entries, numbered
 * idempotent chunks, fixed-rate flush) that both lax counter types run on. Internal: not part of the public API.
 */
@NullMarked
package io.distkit.internal.counter;

import org.jspecify.annotations.NullMarked;
