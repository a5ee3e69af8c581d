/**
 * The generator service: serves synthetic images from the newest published ONNX generator over HTTP, with hot
 * swap, pinning and micro-batching. {@link dev.ganpipe.generator.GeneratorService#start} wires it;
 * {@link dev.ganpipe.generator.GeneratorMain} is {@code gan generator}; {@link dev.ganpipe.generator.GeneratorConfig}
 * lists every knob.
 */
package dev.ganpipe.generator;
