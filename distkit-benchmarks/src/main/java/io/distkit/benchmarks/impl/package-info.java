/**
 * Adapters that put distkit and its peers behind the benchmarks' facades, and the Redis connections they share.
 */
@NullMarked
package io.distkit.benchmarks.impl;

import org.jspecify.annotations.NullMarked;
