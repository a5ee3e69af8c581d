/**
 * Micro-batching and admission: concurrent generate calls on the same model are merged into ONNX Runtime runs,
 * trading at most {@code --max-wait} of latency for the throughput of large batches; each run is shared fairly
 * between the calls waiting, so large calls are generated in turns with small ones; and {@code ImageAdmission}
 * bounds the images HTTP requests may have queued.
 */
package dev.ganpipe.generator.batch;
