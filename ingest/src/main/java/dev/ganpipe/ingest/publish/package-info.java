/**
 * Getting images onto {@code images.raw}: an idempotent producer behind the small {@link dev.ganpipe.ingest.publish.RawSink}
 * interface, and the {@code gan ingest PATH...} command that reads sources and publishes them (with a limit, a
 * rate, a dry run that validates without producing, a progress bar from {@code me.tongfei:progressbar} or plain
 * progress lines when stderr is no terminal, and a summary).
 */
package dev.ganpipe.ingest.publish;
