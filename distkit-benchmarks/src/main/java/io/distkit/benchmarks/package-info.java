/**
 * JMH benchmarks of distkit side by side with the libraries a Spring user would pick instead; contestants are chosen
 * by a {@code contestant} parameter and run behind tiny facades (peer adapters in {@code impl}).
 */
@NullMarked
package io.distkit.benchmarks;

import org.jspecify.annotations.NullMarked;
