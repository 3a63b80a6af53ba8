package io.distkit.icounter;

/**
 * The outcome of a conditional write of an instance-aware counter: the totals after and before it. When the condition
 * did not match, nothing changed and both are the current totals.
 *
 * @param newTotals the totals after the operation
 * @param oldTotals the totals before it
 * @since 0.1.0
 */
public record TotalsUpdate(Totals newTotals, Totals oldTotals) {

}
