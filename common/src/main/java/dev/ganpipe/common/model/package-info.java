/**
 * The published-model contract between trainer and generator-service: the manifest, its mapping to the models
 * topic's headers, and the models directory layout ({@code <name>-v<version>.onnx} plus a JSON manifest, both
 * written atomically), and the keys of the model file's ONNX metadata.
 */
package dev.ganpipe.common.model;
