/**
 * Micro-batching: concurrent generate calls on the same model are merged into one ONNX Runtime run, trading at most
 * {@code --max-wait} of latency for the throughput of large batches.
 */
package dev.ganpipe.generator.batch;
