/**
 * Typed configuration: each service declares its knobs once in a {@link dev.ganpipe.common.config.ConfigSpec}
 * (name, default, description); values come from CLI flags, then environment variables, then defaults, and
 * {@code --help} prints the spec. {@link dev.ganpipe.common.config.CommandLine} is how every command starts: it
 * parses, prints {@code --help}, or reports a configuration error with the command's name and exit code.
 */
package dev.ganpipe.common.config;
