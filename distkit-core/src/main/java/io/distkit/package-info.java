/**
 * Keys, errors and time shared by every distkit primitive.
 */
@NullMarked
package io.distkit;

import org.jspecify.annotations.NullMarked;
