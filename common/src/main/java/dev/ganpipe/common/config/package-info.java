/**
 * Typed configuration: each service declares its knobs once in a {@link dev.ganpipe.common.config.ConfigSpec}
 * (name, default, description); values come from CLI flags, then environment variables, then defaults, and
 * {@code --help} prints the spec.
 */
package dev.ganpipe.common.config;
