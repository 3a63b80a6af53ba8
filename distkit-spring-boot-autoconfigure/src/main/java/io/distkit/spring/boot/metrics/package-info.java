/**
 * distkit's Micrometer meters.
 */
@NullMarked
package io.distkit.spring.boot.metrics;

import org.jspecify.annotations.NullMarked;
