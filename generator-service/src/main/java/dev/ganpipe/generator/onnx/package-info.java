/**
 * ONNX Runtime plumbing: one {@link dev.ganpipe.generator.onnx.OrtSessionFactory} per process decides the execution
 * provider (CUDA when it loads, else CPU) and builds sessions; an {@link dev.ganpipe.generator.onnx.OnnxGenerator}
 * is one validated generator model ({@code z [N, nz]} to {@code image [N, C, H, W]}).
 */
package dev.ganpipe.generator.onnx;
