/**
 * The ingest service of DESIGN.md: {@link dev.ganpipe.ingest.IngestMain} (the {@code gan ingest} command),
 * {@link dev.ganpipe.ingest.IngestService} (the Kafka Streams normaliser plus the upload API, as one
 * {@link dev.ganpipe.common.Service}) and {@link dev.ganpipe.ingest.IngestConfig} (every knob, with {@code --help}).
 * Sub-packages: {@code source} (readers), {@code normalize} (the pure image pipeline), {@code stream} (the
 * topology), {@code publish} (producing to {@code images.raw}), {@code http} (routes), {@code example} (a plain Kafka
 * producer of raw images, for users). The ingest benchmark is {@code dev.ganpipe.bench.ingest}, in the bench module.
 */
package dev.ganpipe.ingest;
