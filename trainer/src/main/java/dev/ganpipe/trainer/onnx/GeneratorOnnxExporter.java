package dev.ganpipe.trainer.onnx;

import dev.ganpipe.common.model.onnx.GeneratorTensors;
import dev.ganpipe.common.model.onnx.OnnxProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Writes a {@link GeneratorSpec} as an ONNX model (IR version 8, default-domain opset 17).
 *
 * <p>The graph has one input {@value #INPUT_NAME}, float32 {@code [N, noiseDim]}, and one output
 * {@value #OUTPUT_NAME}, float32 {@code [N, channels, height, width]}, where {@code N} is the
 * symbolic dimension {@value #BATCH_DIM}. A conditional generator has a second input {@value
 * #LABEL_INPUT_NAME}, int64 {@code [N]}, with labels in {@code [0, classes)} ({@code Gather} fails on
 * others, so callers must check them). Every operator is chosen so the model reproduces the
 * training-side inference forward exactly up to float rounding: nearest upsampling becomes {@code
 * Resize} with {@code asymmetric}/{@code floor}, which copies pixels exactly like repeating them.
 */
public final class GeneratorOnnxExporter {

    /** Name of the graph input: noise, float32 {@code [N, noiseDim]}. */
    public static final String INPUT_NAME = GeneratorTensors.NOISE_INPUT;
    /** Name of the second graph input of a conditional generator: class labels, int64 {@code [N]}. */
    public static final String LABEL_INPUT_NAME = GeneratorTensors.LABEL_INPUT;
    /** Name of the graph output: images in [-1, 1], float32 {@code [N, C, H, W]}. */
    public static final String OUTPUT_NAME = GeneratorTensors.IMAGE_OUTPUT;
    /** Symbolic name of the batch dimension of input and output. */
    public static final String BATCH_DIM = "N";
    /** ONNX IR version written into the model. */
    public static final long IR_VERSION = 8;
    /** Version of the default ONNX operator set the graph uses. */
    public static final long OPSET_VERSION = 17;
    /** {@code producer_name} written into the model. */
    public static final String PRODUCER_NAME = "ganpipe-trainer";

    private static final String PRODUCER_VERSION = "1";

    private GeneratorOnnxExporter() {}

    /**
     * Encodes the generator as a serialized ONNX {@code ModelProto}.
     *
     * @param spec the generator and its trained values
     * @param metadataProps key/value pairs stored as {@code metadata_props} (written in key order so
     *     the same input gives the same bytes)
     * @return the model bytes, ready to write to a {@code .onnx} file or hand to ONNX Runtime
     * @throws IllegalArgumentException if the layers do not chain from {@code [noiseDim]} to {@code
     *     [channels, height, width]}
     */
    public static byte[] export(GeneratorSpec spec, Map<String, String> metadataProps) {
        Objects.requireNonNull(spec, "spec is null; describe the generator first.");
        Objects.requireNonNull(metadataProps, "metadataProps is null; pass Map.of() for none.");
        Map<String, String> metadata = new TreeMap<>();
        metadataProps.forEach(
                (k, v) -> {
                    if (k == null || v == null) {
                        throw new IllegalArgumentException(
                                "ONNX metadata keys and values must not be null; drop or fill the entry for key "
                                        + k + ".");
                    }
                    metadata.put(k, v);
                });

        GraphBuilder g = new GraphBuilder();
        long[] shape = {spec.noiseDim()};
        String current = INPUT_NAME;
        List<GeneratorLayer> layers = spec.layers();
        for (int i = 0; i < layers.size(); i++) {
            String out = i == layers.size() - 1 ? OUTPUT_NAME : "t" + i;
            shape = g.add(i, layers.get(i), current, out, shape);
            current = out;
        }
        long[] expected = {spec.channels(), spec.height(), spec.width()};
        if (!Arrays.equals(shape, expected)) {
            throw new IllegalArgumentException(
                    "The generator layers produce per-sample shape " + Arrays.toString(shape)
                            + " but the spec declares " + Arrays.toString(expected)
                            + "; fix the layer list or the declared image shape.");
        }

        List<byte[]> inputs = new ArrayList<>();
        inputs.add(OnnxProto.tensorValueInfo(INPUT_NAME, OnnxProto.FLOAT, List.of(BATCH_DIM, (long) spec.noiseDim())));
        if (spec.classes() > 0) {
            inputs.add(OnnxProto.tensorValueInfo(LABEL_INPUT_NAME, OnnxProto.INT64, List.of(BATCH_DIM)));
        }
        byte[] output =
                OnnxProto.tensorValueInfo(
                        OUTPUT_NAME,
                        OnnxProto.FLOAT,
                        List.of(BATCH_DIM, (long) spec.channels(), (long) spec.height(), (long) spec.width()));
        byte[] graph =
                OnnxProto.graph("generator", g.nodes, g.initializers, inputs, List.of(output));
        return OnnxProto.model(IR_VERSION, OPSET_VERSION, PRODUCER_NAME, PRODUCER_VERSION, graph, metadata);
    }

    /** Accumulates nodes and initializers while checking that each layer fits the running shape. */
    private static final class GraphBuilder {
        private final List<byte[]> nodes = new ArrayList<>();
        private final List<byte[]> initializers = new ArrayList<>();

        /** Adds the nodes of one layer and returns the per-sample shape it produces. */
        long[] add(int index, GeneratorLayer layer, String in, String out, long[] shape) {
            String p = "l" + index + "_";
            return switch (layer) {
                case GeneratorLayer.LabelEmbedding e -> {
                    if (shape.length != 1) {
                        throw mismatch(index, layer, shape, "the noise vector [noiseDim]");
                    }
                    String table = floats(p + "table", e.table(), e.classes(), e.dim());
                    nodes.add(OnnxProto.node("Gather", p + "gather", List.of(table, LABEL_INPUT_NAME),
                            List.of(p + "embedding"), OnnxProto.intAttr("axis", 0)));
                    nodes.add(OnnxProto.node("Concat", p + "concat", List.of(in, p + "embedding"), List.of(out),
                            OnnxProto.intAttr("axis", 1)));
                    yield new long[] {shape[0] + e.dim()};
                }
                case GeneratorLayer.Dense d -> {
                    requireShape(index, layer, shape, new long[] {d.inFeatures()});
                    // Gemm with transB=1 takes DJL's [out, in] weight as it is: y = x W^T + b.
                    String weight = floats(p + "weight", d.weight(), d.outFeatures(), d.inFeatures());
                    List<String> inputs = new ArrayList<>(List.of(in, weight));
                    if (d.bias() != null) {
                        inputs.add(floats(p + "bias", d.bias(), d.outFeatures()));
                    }
                    nodes.add(OnnxProto.node(
                            "Gemm", p + "gemm", inputs, List.of(out), OnnxProto.intAttr("transB", 1)));
                    yield new long[] {d.outFeatures()};
                }
                case GeneratorLayer.Reshape r -> {
                    if (product(shape) != product(r.perSampleShape())) {
                        throw mismatch(index, layer, shape,
                                "the same number of elements as " + Arrays.toString(r.perSampleShape()));
                    }
                    long[] target = new long[r.perSampleShape().length + 1];
                    target[0] = -1; // keeps the batch dynamic
                    System.arraycopy(r.perSampleShape(), 0, target, 1, r.perSampleShape().length);
                    String shapeName = p + "shape";
                    initializers.add(OnnxProto.int64Tensor(shapeName, new long[] {target.length}, target));
                    nodes.add(OnnxProto.node("Reshape", p + "reshape", List.of(in, shapeName), List.of(out)));
                    yield r.perSampleShape().clone();
                }
                case GeneratorLayer.BatchNorm b -> {
                    if (shape.length < 1 || shape[0] != b.channels()) {
                        throw mismatch(index, layer, shape, b.channels() + " channels on axis 1");
                    }
                    List<String> inputs =
                            List.of(
                                    in,
                                    floats(p + "gamma", b.gamma(), b.channels()),
                                    floats(p + "beta", b.beta(), b.channels()),
                                    floats(p + "mean", b.mean(), b.channels()),
                                    floats(p + "var", b.variance(), b.channels()));
                    nodes.add(
                            OnnxProto.node(
                                    "BatchNormalization",
                                    p + "batchnorm",
                                    inputs,
                                    List.of(out),
                                    OnnxProto.floatAttr("epsilon", b.epsilon())));
                    yield shape;
                }
                case GeneratorLayer.Relu r -> {
                    nodes.add(OnnxProto.node("Relu", p + "relu", List.of(in), List.of(out)));
                    yield shape;
                }
                case GeneratorLayer.Tanh t -> {
                    nodes.add(OnnxProto.node("Tanh", p + "tanh", List.of(in), List.of(out)));
                    yield shape;
                }
                case GeneratorLayer.NearestUpsample u -> {
                    if (shape.length != 3) {
                        throw mismatch(index, layer, shape, "a [C, H, W] feature map");
                    }
                    String scales = p + "scales";
                    initializers.add(
                            OnnxProto.floatTensor(scales, new long[] {4}, new float[] {1f, 1f, u.factor(), u.factor()}));
                    // asymmetric + floor maps output pixel o to input pixel floor(o / factor): an exact copy.
                    nodes.add(
                            OnnxProto.node(
                                    "Resize",
                                    p + "upsample",
                                    List.of(in, "", scales),
                                    List.of(out),
                                    OnnxProto.stringAttr("mode", "nearest"),
                                    OnnxProto.stringAttr("coordinate_transformation_mode", "asymmetric"),
                                    OnnxProto.stringAttr("nearest_mode", "floor")));
                    yield new long[] {shape[0], shape[1] * u.factor(), shape[2] * u.factor()};
                }
                case GeneratorLayer.Conv c -> {
                    if (shape.length != 3 || shape[0] != c.inChannels()) {
                        throw mismatch(index, layer, shape, "a [" + c.inChannels() + ", H, W] feature map");
                    }
                    long h = (shape[1] + 2L * c.padding() - c.kernel()) / c.stride() + 1;
                    long w = (shape[2] + 2L * c.padding() - c.kernel()) / c.stride() + 1;
                    if (h < 1 || w < 1) {
                        throw mismatch(index, layer, shape, "a feature map at least as large as the kernel");
                    }
                    List<String> inputs = new ArrayList<>(List.of(
                            in, floats(p + "weight", c.weight(), c.outChannels(), c.inChannels(), c.kernel(), c.kernel())));
                    if (c.bias() != null) {
                        inputs.add(floats(p + "bias", c.bias(), c.outChannels()));
                    }
                    nodes.add(
                            OnnxProto.node(
                                    "Conv",
                                    p + "conv",
                                    inputs,
                                    List.of(out),
                                    OnnxProto.intsAttr("kernel_shape", c.kernel(), c.kernel()),
                                    OnnxProto.intsAttr("strides", c.stride(), c.stride()),
                                    OnnxProto.intsAttr("pads", c.padding(), c.padding(), c.padding(), c.padding()),
                                    OnnxProto.intsAttr("dilations", 1, 1),
                                    OnnxProto.intAttr("group", 1)));
                    yield new long[] {c.outChannels(), h, w};
                }
            };
        }

        private String floats(String name, float[] values, long... dims) {
            initializers.add(OnnxProto.floatTensor(name, dims, values));
            return name;
        }

        private static void requireShape(int index, GeneratorLayer layer, long[] shape, long[] expected) {
            if (!Arrays.equals(shape, expected)) {
                throw mismatch(index, layer, shape, Arrays.toString(expected));
            }
        }

        private static IllegalArgumentException mismatch(int index, GeneratorLayer layer, long[] shape, String needs) {
            return new IllegalArgumentException(
                    "Generator layer " + index + " (" + layer.getClass().getSimpleName() + ") needs "
                            + needs + " but receives per-sample shape " + Arrays.toString(shape)
                            + "; the layer list does not chain, fix its order or sizes.");
        }

        private static long product(long[] dims) {
            long p = 1;
            for (long d : dims) {
                p = Math.multiplyExact(p, d);
            }
            return p;
        }
    }
}
