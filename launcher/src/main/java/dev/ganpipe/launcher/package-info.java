/**
 * The {@code ./gan} command: one dispatcher ({@link dev.ganpipe.launcher.Gan}) over the services' mains, the
 * embedded broker, the one-process demo of the whole pipeline, and the bench module's benchmarks ({@code ./gan bench}).
 */
package dev.ganpipe.launcher;
