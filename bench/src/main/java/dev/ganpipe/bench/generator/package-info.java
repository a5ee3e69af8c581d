/**
 * {@code gan bench generator}: {@link dev.ganpipe.bench.generator.GeneratorBench} measures the service against a raw
 * ONNX Runtime loop on the same model and prints the table and ratios. A benchmark, never run by the tests.
 */
package dev.ganpipe.bench.generator;
