/**
 * Spring AOP support of distkit's annotations: the interceptors of {@code @RateLimited} and {@code @Counted}, the
 * lookup of the annotations and their expressions, the strategies for reactive and asynchronous return types, and the
 * post-processor that adds the interceptors to beans. Wired by {@code DistkitAnnotationsAutoConfiguration}; the
 * public types are for that wiring and may change in any release.
 */
@NullMarked
package io.distkit.spring.boot.aop;

import org.jspecify.annotations.NullMarked;
