/**
 * The local rate-limit provider: sliding windows in this process's memory.
 */
@NullMarked
package io.distkit.ratelimit.local;

import org.jspecify.annotations.NullMarked;
