package dev.ganpipe.quality.classifier;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import dev.ganpipe.common.model.onnx.GeneratorTensors;
import dev.ganpipe.common.model.onnx.OnnxProto;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a classifier as ONNX nodes that read a generator's {@value GeneratorTensors#IMAGE_OUTPUT} and
 * {@value GeneratorTensors#LABEL_INPUT} and give {@value GeneratorTensors#CONFIDENCE_OUTPUT}: the softmax probability
 * of each image's own label, in inference mode (BatchNorm on its running statistics), as
 * {@link ClassifierNetwork#extract} computes it. Appended to the generator's model with
 * {@link OnnxProto#graphExtension}, so one file, one checksum and one signature cover both.
 */
final class ClassifierOnnx {

    /** DJL's BatchNorm default, which the classifier's blocks use. */
    private static final float BATCH_NORM_EPSILON = 1e-5f;
    private static final String P = "classifier_";

    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();

    private ClassifierOnnx() {
    }

    /** The graph extension for {@code network}'s current weights. */
    static byte[] confidenceExtension(ClassifierNetwork network) {
        ClassifierOnnx g = new ClassifierOnnx();
        ClassifierArchitecture architecture = network.architecture();
        List<Block> blocks = network.network().getChildren().values();
        List<Block> features = blocks.get(0).getChildren().values();
        String x = GeneratorTensors.IMAGE_OUTPUT;
        int at = 0;
        for (int i = 0; i < architecture.convWidths().size(); i++) {
            // Each block: Conv2d (3x3, pad 1, no bias), BatchNorm, ReLU, 2x2 max pooling (ClassifierNetwork.build).
            String p = P + "b" + i + "_";
            Block conv = features.get(at);
            Block norm = features.get(at + 1);
            at += 4;
            g.nodes.add(OnnxProto.node("Conv", p + "conv", List.of(x, g.weight(p + "w", conv, "weight")), List.of(p + "c"),
                    OnnxProto.intsAttr("kernel_shape", 3, 3), OnnxProto.intsAttr("pads", 1, 1, 1, 1), OnnxProto.intsAttr("strides", 1, 1)));
            if (!(norm instanceof BatchNorm)) {
                throw new IllegalStateException("The classifier's block " + i + " has no BatchNorm where ClassifierNetwork puts one; "
                        + "update ClassifierOnnx with the layout.");
            }
            g.nodes.add(OnnxProto.node("BatchNormalization", p + "bn",
                    List.of(p + "c", g.weight(p + "gamma", norm, "gamma"), g.weight(p + "beta", norm, "beta"),
                            g.weight(p + "mean", norm, "runningMean"), g.weight(p + "var", norm, "runningVar")),
                    List.of(p + "n"), OnnxProto.floatAttr("epsilon", BATCH_NORM_EPSILON)));
            g.nodes.add(OnnxProto.node("Relu", p + "relu", List.of(p + "n"), List.of(p + "r")));
            g.nodes.add(OnnxProto.node("MaxPool", p + "pool", List.of(p + "r"), List.of(p + "out"),
                    OnnxProto.intsAttr("kernel_shape", 2, 2), OnnxProto.intsAttr("strides", 2, 2)));
            x = p + "out";
        }
        // Then: flatten, dense + ReLU (the feature layer), dense head, softmax, the requested label's probability.
        Block dense = features.get(at + 1);
        Block head = blocks.get(1);
        g.nodes.add(OnnxProto.node("Flatten", P + "flatten", List.of(x), List.of(P + "flat"), OnnxProto.intAttr("axis", 1)));
        g.gemm(P + "dense", P + "flat", dense, P + "dense_out");
        g.nodes.add(OnnxProto.node("Relu", P + "dense_relu", List.of(P + "dense_out"), List.of(P + "features")));
        g.gemm(P + "head", P + "features", head, P + "logits");
        g.nodes.add(OnnxProto.node("Softmax", P + "softmax", List.of(P + "logits"), List.of(P + "probs"), OnnxProto.intAttr("axis", 1)));
        g.initializers.add(OnnxProto.int64Tensor(P + "axis1", new long[] {1}, new long[] {1}));
        g.nodes.add(OnnxProto.node("Unsqueeze", P + "label_column", List.of(GeneratorTensors.LABEL_INPUT, P + "axis1"), List.of(P + "labels")));
        g.nodes.add(OnnxProto.node("GatherElements", P + "pick", List.of(P + "probs", P + "labels"), List.of(P + "picked"),
                OnnxProto.intAttr("axis", 1)));
        g.nodes.add(OnnxProto.node("Squeeze", P + "squeeze", List.of(P + "picked", P + "axis1"), List.of(GeneratorTensors.CONFIDENCE_OUTPUT)));
        byte[] output = OnnxProto.tensorValueInfo(GeneratorTensors.CONFIDENCE_OUTPUT, OnnxProto.FLOAT, List.of("N"));
        return OnnxProto.graphExtension(g.nodes, g.initializers, List.of(output));
    }

    private void gemm(String name, String in, Block linear, String out) {
        // Gemm with transB=1 takes DJL's [out, in] weight as it is: y = x W^T + b.
        nodes.add(OnnxProto.node("Gemm", name, List.of(in, weight(name + "_w", linear, "weight"), weight(name + "_b", linear, "bias")),
                List.of(out), OnnxProto.intAttr("transB", 1)));
    }

    private String weight(String name, Block block, String parameter) {
        Parameter p = block.getParameters().get(parameter);
        if (p == null || !p.isInitialized()) {
            throw new IllegalStateException("The classifier's " + block.getClass().getSimpleName() + " has no initialised '" + parameter
                    + "'; train or load the classifier before exporting it.");
        }
        initializers.add(OnnxProto.floatTensor(name, p.getArray().getShape().getShape(), p.getArray().toFloatArray()));
        return name;
    }
}
