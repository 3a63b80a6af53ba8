/**
 * Annotations that rate-limit and count method calls: {@link io.distkit.spring.boot.annotation.RateLimited} and
 * {@link io.distkit.spring.boot.annotation.Counted}.
 */
@NullMarked
package io.distkit.spring.boot.annotation;

import org.jspecify.annotations.NullMarked;
