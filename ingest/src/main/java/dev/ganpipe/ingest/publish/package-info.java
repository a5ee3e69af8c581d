/**
 * Getting images onto {@code images.raw}: an idempotent producer behind the small {@link dev.ganpipe.ingest.publish.RawSink}
 * interface, and the {@code gan ingest PATH...} command that reads sources and publishes them (with a limit, a
 * rate, a dry run that validates without producing, progress lines and a summary).
 */
package dev.ganpipe.ingest.publish;
