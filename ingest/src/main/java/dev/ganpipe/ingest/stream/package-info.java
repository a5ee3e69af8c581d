/**
 * The Kafka Streams normaliser: {@code images.raw} → {@code images.train} (canonical PNGs keyed by image id)
 * and rejects → {@code images.dlq} (original key and bytes, reason headers), with an optional duplicate filter
 * (a window store of image ids behind a repartition by image id). The topology and its Streams config
 * are built by static methods of {@link dev.ganpipe.ingest.stream.NormalizerTopology}, so tests drive exactly
 * the production topology with a {@code TopologyTestDriver}.
 */
package dev.ganpipe.ingest.stream;
