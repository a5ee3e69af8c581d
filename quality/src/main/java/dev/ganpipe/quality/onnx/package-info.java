/**
 * Generators in ONNX files (DESIGN.md, "Model file"), run with ONNX Runtime on the CPU, as
 * {@link dev.ganpipe.quality.Generator}s for the evaluator.
 */
package dev.ganpipe.quality.onnx;
