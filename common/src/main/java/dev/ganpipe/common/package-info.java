/**
 * Contracts shared by every service: typed topics and record headers ({@code kafka}), typed configuration
 * ({@code config}), the HTTP and metrics plumbing every service exposes ({@code http}, {@code metrics}) and the
 * canonical image codec ({@code image}).
 */
package dev.ganpipe.common;
