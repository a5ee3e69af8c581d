/**
 * ONNX export of the trained generator, written without any ONNX or protobuf library.
 *
 * <p>{@link dev.ganpipe.trainer.onnx.GeneratorOnnxExporter} turns an engine-neutral description of
 * the generator ({@link dev.ganpipe.trainer.onnx.GeneratorSpec}, a list of {@link
 * dev.ganpipe.trainer.onnx.GeneratorLayer}s holding the trained weights) into the bytes of an ONNX
 * {@code ModelProto}, with the encoders of {@link dev.ganpipe.common.model.onnx.OnnxProto}, which
 * hold the generator's ONNX contract in one place for the trainer and the services that run models. Nothing here depends on DJL: the {@code gan} package
 * reads its blocks and hands the weights over as plain arrays.
 */
package dev.ganpipe.trainer.onnx;
