/**
 * Instance-aware counters: every instance owns a slice of each key's total, the cumulative is the sum of the live
 * instances' slices, and the slices of an instance that stops heartbeating are removed by the survivors.
 * {@link io.distkit.icounter.StrictInstanceAwareCounter} is exact (one script per call),
 * {@link io.distkit.icounter.LaxInstanceAwareCounter} buffers increments in memory.
 */
@NullMarked
package io.distkit.icounter;

import org.jspecify.annotations.NullMarked;
