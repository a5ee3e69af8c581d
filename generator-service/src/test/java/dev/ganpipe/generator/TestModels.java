package dev.ganpipe.generator;

import dev.ganpipe.common.image.Hashes;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.model.ModelManifest;
import dev.ganpipe.common.model.ModelMetadata;
import dev.ganpipe.common.model.onnx.OnnxProto;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Generators for tests, written as ONNX with the pipeline's one ONNX writer ({@link OnnxProto}), so the generator
 * service's tests need no other service: {@code z} float32 [N, 100] to {@code image} float32 [N, 1, 28, 28] =
 * a stack of tanh layers (see {@link #train}), with seeded random weights. The shape and noise size are the trainer's default
 * generator's ({@link #train(long, String, ImageShape)} makes other shapes); that the service runs what the trainer really exports is tested end to end in the launcher's and the
 * reliability module's tests, which train and export with the trainer itself.
 */
public final class TestModels {

    public static final String NAME = "fashion-dcgan28";
    public static final String SHAPE = "28x28x1";
    public static final int NOISE_DIM = 100;
    private static final int HIDDEN = 512;
    private static final int DEPTH = 16;
    private static final long STEP = 2;

    /** A generator and the bytes of its ONNX file, with the losses a trainer would report for it, its name and shape. */
    public record Trained(byte[] onnx, Map<String, Double> metrics, long step, String name, ImageShape shape) {

        /** The manifest the trainer would publish for this model as {@code version}. */
        public ModelManifest manifest(long version) {
            return new ModelManifest(name, version, Hashes.sha256(onnx), step, Instant.parse("2025-01-01T00:00:00Z").plusSeconds(version),
                    shape.toString(), NOISE_DIM, metrics);
        }
    }

    // Built once per test JVM on first use; the models never change.
    private static final class Shared {
        static final Trained FIRST = train(1);
        static final Trained SECOND = train(2);
    }

    private TestModels() {
    }

    /** A model from seed 1, shared by every test in this JVM. */
    public static Trained first() {
        return Shared.FIRST;
    }

    /** A model from seed 2: other weights than {@link #first()}, so swaps are visible in the images. */
    public static Trained second() {
        return Shared.SECOND;
    }

    /**
     * A 28x28 gray generator with weights drawn from {@code seed}; different seeds give different models. Its hidden
     * layer is applied {@link #DEPTH} times with one shared weight matrix, so a forward pass costs about what the
     * trainer's default DCGAN's does (tests of batching and fairness depend on passes taking real time) while the file
     * stays near the DCGAN's size.
     */
    public static Trained train(long seed) {
        return train(seed, NAME, ImageShape.parse(SHAPE));
    }

    /** As {@link #train(long)}, for images of {@code shape} under the model name {@code name}. */
    public static Trained train(long seed, String name, ImageShape shape) {
        int values = shape.values();
        Random random = new Random(seed);
        float[] in = gaussian(random, NOISE_DIM * HIDDEN, 1 / Math.sqrt(NOISE_DIM));
        float[] mid = gaussian(random, HIDDEN * HIDDEN, 1.2 / Math.sqrt(HIDDEN));
        float[] out = gaussian(random, HIDDEN * values, 1.5 / Math.sqrt(HIDDEN));
        List<byte[]> nodes = new ArrayList<>();
        nodes.add(OnnxProto.node("MatMul", "MatMul_in", List.of("z", "w_in"), List.of("h0")));
        nodes.add(OnnxProto.node("Tanh", "Tanh_0", List.of("h0"), List.of("a0")));
        for (int layer = 1; layer <= DEPTH; layer++) {
            nodes.add(OnnxProto.node("MatMul", "MatMul_" + layer, List.of("a" + (layer - 1), "w_mid"), List.of("h" + layer)));
            nodes.add(OnnxProto.node("Tanh", "Tanh_" + layer, List.of("h" + layer), List.of("a" + layer)));
        }
        nodes.add(OnnxProto.node("MatMul", "MatMul_out", List.of("a" + DEPTH, "w_out"), List.of("m")));
        nodes.add(OnnxProto.node("Tanh", "Tanh_out", List.of("m"), List.of("t")));
        nodes.add(OnnxProto.node("Reshape", "Reshape_image", List.of("t", "shape"), List.of("image")));
        List<byte[]> initializers = List.of(
                OnnxProto.floatTensor("w_in", new long[] {NOISE_DIM, HIDDEN}, in),
                OnnxProto.floatTensor("w_mid", new long[] {HIDDEN, HIDDEN}, mid),
                OnnxProto.floatTensor("w_out", new long[] {HIDDEN, values}, out),
                OnnxProto.int64Tensor("shape", new long[] {4}, new long[] {-1, shape.channels(), shape.height(), shape.width()}));
        List<byte[]> inputs = List.of(OnnxProto.tensorValueInfo("z", OnnxProto.FLOAT, List.of("N", (long) NOISE_DIM)));
        byte[] output = OnnxProto.tensorValueInfo("image", OnnxProto.FLOAT,
                List.of("N", (long) shape.channels(), (long) shape.height(), (long) shape.width()));
        byte[] graph = OnnxProto.graph("test_generator", nodes, initializers, inputs, List.of(output));
        Map<String, String> metadata = new TreeMap<>(Map.of(ModelMetadata.STEP, Long.toString(STEP), "dataset", "random-weights-test"));
        byte[] onnx = OnnxProto.model(8, 17, "ganpipe-test", "", graph, metadata);
        return new Trained(onnx, Map.of("loss_d", 1.3 + seed / 100.0, "loss_g", 0.7 + seed / 100.0), STEP, name, shape);
    }

    private static float[] gaussian(Random random, int count, double std) {
        float[] values = new float[count];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * std);
        }
        return values;
    }
}
