/**
 * Building blocks shared by the in-memory rate-limit providers. Internal: not part of the public API.
 */
@NullMarked
package io.distkit.internal.ratelimit;

import org.jspecify.annotations.NullMarked;
