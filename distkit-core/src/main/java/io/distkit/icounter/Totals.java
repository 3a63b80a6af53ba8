package io.distkit.icounter;

/**
 * A key's state as an instance-aware counter sees it: the cumulative of every live instance, and this instance's
 * slice of it.
 *
 * @param cumulative the sum of the live instances' slices
 * @param slice this instance's contribution (0 when it has none, or when a global write by another instance made it
 * stop counting)
 * @since 0.1.0
 */
public record Totals(long cumulative, long slice) {

}
