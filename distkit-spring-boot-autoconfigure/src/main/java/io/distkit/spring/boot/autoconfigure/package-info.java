/**
 * Auto-configuration of distkit from {@code distkit.*} properties.
 */
@NullMarked
package io.distkit.spring.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
