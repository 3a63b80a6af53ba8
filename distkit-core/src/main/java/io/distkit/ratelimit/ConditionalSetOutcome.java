package io.distkit.ratelimit;

/**
 * The outcome of a conditional set of a key's window total.
 *
 * @param matched whether the comparator matched the previous total (and the set happened)
 * @param previousTotal the live total the comparator saw
 * @param currentTotal the total after the call (the previous one when it did not match)
 * @since 0.1.0
 */
public record ConditionalSetOutcome(boolean matched, long previousTotal, long currentTotal) {

}
