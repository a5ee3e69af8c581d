/**
 * {@code ./gan bench ingest}: the ingest path's throughput on a real (embedded) broker, beside Kafka's own
 * producer performance tool at the same record size and the trainer's demand. A benchmark, never run by the tests.
 */
package dev.ganpipe.bench.ingest;
