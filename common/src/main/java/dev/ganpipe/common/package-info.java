/**
 * Contracts shared by every service: typed topics and record headers ({@code kafka}), typed configuration
 * ({@code config}), the HTTP and metrics plumbing every service exposes ({@code http}, {@code metrics}) and the
 * canonical image codec ({@code image}). {@link dev.ganpipe.common.Service} is a running part the launcher starts and
 * stops; {@link dev.ganpipe.common.StartedParts} is how a service closes what it started, in reverse order.
 */
package dev.ganpipe.common;
