/**
 * The {@code ./gan} command: one dispatcher ({@link dev.ganpipe.launcher.Gan}) over the services' mains, the
 * embedded broker, and the one-process demo of the whole pipeline.
 */
package dev.ganpipe.launcher;
