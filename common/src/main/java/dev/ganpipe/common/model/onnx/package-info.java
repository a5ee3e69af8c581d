/**
 * The generator model contract in ONNX, in one place for the service that writes models (the trainer) and those that
 * run them (generator-service, quality): {@link dev.ganpipe.common.model.onnx.GeneratorSignature} reads and checks a
 * model's inputs, outputs and metadata (keys in {@link dev.ganpipe.common.model.ModelMetadata});
 * {@link dev.ganpipe.common.model.onnx.OnnxProto} and {@link dev.ganpipe.common.model.onnx.ProtoWriter} write the
 * subset of {@code onnx.proto} a generator needs, without any ONNX or protobuf library, for the trainer's export and
 * for the tiny models tests build.
 *
 * <p>The reader needs ONNX Runtime, which common holds as an optional dependency (see common's pom): the services that
 * run models declare it themselves, and the trainer, which only writes them, carries none at run time.
 */
package dev.ganpipe.common.model.onnx;
