package dev.ganpipe.generator;

import dev.ganpipe.common.image.Hashes;
import dev.ganpipe.common.model.ModelManifest;
import dev.ganpipe.common.model.ModelMetadata;
import dev.ganpipe.common.model.onnx.GeneratorTensors;
import dev.ganpipe.common.model.onnx.OnnxProto;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A small conditional generator written as ONNX with the pipeline's one ONNX writer ({@link OnnxProto}): inputs
 * {@code z} float32 [N, nz] and {@code label} int64 [N], output {@code image} float32 [N, 1, H, W] =
 * {@code tanh((z + embedding[label]) W)}; each class's embedding is strong, so classes look clearly different.
 * Its classes are named in the metadata property {@code class_names} (or counted in {@code num_classes}).
 */
public final class ConditionalTestModel {

    public static final String NAME = "conditional-test";
    public static final int SIZE = 12;
    public static final int NOISE_DIM = 8;
    public static final List<String> CLASSES = List.of("circle", "square", "cross");

    private ConditionalTestModel() {
    }

    /** The model with class names in its metadata. */
    public static byte[] onnx() {
        return onnx(Map.of(ModelMetadata.CLASS_NAMES, "[\"circle\",\"square\",\"cross\"]"));
    }

    /** The model with the given metadata (e.g. none, to see a conditional model without classes refused). */
    public static byte[] onnx(Map<String, String> metadata) {
        int k = CLASSES.size();
        int pixels = SIZE * SIZE;
        Random random = new Random(11);
        float[] embedding = new float[k * NOISE_DIM];
        for (int i = 0; i < embedding.length; i++) {
            embedding[i] = (float) (random.nextGaussian() * 3);
        }
        float[] weights = new float[NOISE_DIM * pixels];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) (random.nextGaussian() * 0.3);
        }
        List<byte[]> nodes = List.of(
                OnnxProto.node("Gather", "Gather_e", List.of("embedding", "label"), List.of("e")),
                OnnxProto.node("Add", "Add_h", List.of("z", "e"), List.of("h")),
                OnnxProto.node("MatMul", "MatMul_m", List.of("h", "weights"), List.of("m")),
                OnnxProto.node("Tanh", "Tanh_t", List.of("m"), List.of("t")),
                OnnxProto.node("Reshape", "Reshape_image", List.of("t", "shape"), List.of("image")));
        List<byte[]> initializers = List.of(
                OnnxProto.floatTensor("embedding", new long[] {k, NOISE_DIM}, embedding),
                OnnxProto.floatTensor("weights", new long[] {NOISE_DIM, pixels}, weights),
                OnnxProto.int64Tensor("shape", new long[] {4}, new long[] {-1, 1, SIZE, SIZE}));
        List<byte[]> inputs = List.of(
                OnnxProto.tensorValueInfo("z", OnnxProto.FLOAT, List.of("N", (long) NOISE_DIM)),
                OnnxProto.tensorValueInfo("label", OnnxProto.INT64, List.of("N")));
        byte[] output = OnnxProto.tensorValueInfo("image", OnnxProto.FLOAT, List.of("N", 1L, (long) SIZE, (long) SIZE));
        byte[] graph = OnnxProto.graph("conditional_generator", nodes, initializers, inputs, List.of(output));
        return OnnxProto.model(8, 17, "ganpipe-test", "", graph, new TreeMap<>(metadata));
    }

    /**
     * The model with a stand-in classifier appended as the trainer appends the real one: {@code label_confidence} is
     * {@code sigmoid(4 * mean pixel)}, so it varies from image to image and never reaches 0.99.
     */
    public static byte[] onnxWithClassifier() {
        List<byte[]> nodes = List.of(
                OnnxProto.node("ReduceMean", "classifier_mean", List.of(GeneratorTensors.IMAGE_OUTPUT), List.of("classifier_m"),
                        OnnxProto.intsAttr("axes", 1, 2, 3), OnnxProto.intAttr("keepdims", 0)),
                OnnxProto.node("Mul", "classifier_scale", List.of("classifier_m", "classifier_four"), List.of("classifier_s")),
                OnnxProto.node("Sigmoid", "classifier_sigmoid", List.of("classifier_s"), List.of(GeneratorTensors.CONFIDENCE_OUTPUT)));
        byte[] extension = OnnxProto.graphExtension(nodes,
                List.of(OnnxProto.floatTensor("classifier_four", new long[] {}, new float[] {4f})),
                List.of(OnnxProto.tensorValueInfo(GeneratorTensors.CONFIDENCE_OUTPUT, OnnxProto.FLOAT, List.of("N"))));
        return OnnxProto.extend(onnx(), extension);
    }

    /** The manifest for this model as {@code version}. */
    public static ModelManifest manifest(byte[] onnx, long version) {
        return new ModelManifest(NAME, version, Hashes.sha256(onnx), 1, Instant.parse("2025-01-01T00:00:00Z"), SIZE + "x" + SIZE + "x1",
                NOISE_DIM, Map.of());
    }
}
