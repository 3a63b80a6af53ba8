/**
 * The {@code distkit} Actuator endpoint and health indicator.
 */
@NullMarked
package io.distkit.spring.boot.actuate;

import org.jspecify.annotations.NullMarked;
