/**
 * The ingest service of DESIGN.md: {@link dev.ganpipe.ingest.IngestMain} (the {@code gan ingest} command),
 * {@link dev.ganpipe.ingest.IngestService} (the Kafka Streams normaliser plus the upload API, as one
 * {@link dev.ganpipe.common.Service}) and {@link dev.ganpipe.ingest.IngestConfig} (every knob, with {@code --help}).
 * Sub-packages: {@code stream} (the topology), {@code publish} (producing to {@code images.raw}), {@code http}
 * (routes), {@code example} (a plain Kafka producer of raw images, for users). The readers of image collections and the
 * normaliser the topology runs are the images module's ({@code dev.ganpipe.images.source},
 * {@code dev.ganpipe.images.normalize}); the ingest benchmark is {@code dev.ganpipe.bench.ingest}, in the bench module.
 */
package dev.ganpipe.ingest;
