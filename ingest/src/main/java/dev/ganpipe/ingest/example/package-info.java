/**
 * Examples for users of the pipeline, compiled with the project so they never drift from the contracts:
 * {@link dev.ganpipe.ingest.example.RawImageProducerExample} puts images on {@code images.raw} with nothing but the
 * Kafka client.
 */
package dev.ganpipe.ingest.example;
