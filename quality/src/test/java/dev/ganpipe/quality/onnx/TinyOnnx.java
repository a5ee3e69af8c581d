package dev.ganpipe.quality.onnx;

import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.model.onnx.OnnxProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a small but real ONNX generator for tests, {@code image = reshape(tanh(z W + b), [-1, C, H, W])}, with the
 * pipeline's one ONNX writer ({@link OnnxProto}, which the trainer's export uses too).
 */
public final class TinyOnnx {

    private TinyOnnx() {
    }

    /**
     * The model bytes.
     *
     * @param weights {@code noiseDim * C * H * W} floats, row-major {@code [noiseDim, C*H*W]}
     * @param bias {@code C * H * W} floats
     * @param declareShape whether the output declares {@code [N, C, H, W]}; otherwise its dimensions are symbolic and
     *        the reshape target is a graph input, so that ONNX Runtime cannot infer them either (such a model only
     *        loads; it cannot run without that input)
     */
    public static byte[] linearTanh(ImageShape shape, int noiseDim, float[] weights, float[] bias, boolean declareShape, Map<String, String> metadata) {
        int values = shape.values();
        List<byte[]> nodes = List.of(
                OnnxProto.node("Gemm", "Gemm_h", List.of("z", "W", "b"), List.of("h")),
                OnnxProto.node("Tanh", "Tanh_t", List.of("h"), List.of("t")),
                OnnxProto.node("Reshape", "Reshape_image", List.of("t", "target_shape"), List.of("image")));
        List<byte[]> initializers = new ArrayList<>(List.of(
                OnnxProto.floatTensor("W", new long[] {noiseDim, values}, weights),
                OnnxProto.floatTensor("b", new long[] {values}, bias)));
        List<byte[]> inputs = new ArrayList<>(List.of(OnnxProto.tensorValueInfo("z", OnnxProto.FLOAT, List.of("N", (long) noiseDim))));
        byte[] output;
        if (declareShape) {
            initializers.add(OnnxProto.int64Tensor("target_shape", new long[] {4}, new long[] {-1, shape.channels(), shape.height(), shape.width()}));
            output = OnnxProto.tensorValueInfo("image", OnnxProto.FLOAT,
                    List.of("N", (long) shape.channels(), (long) shape.height(), (long) shape.width()));
        } else {
            inputs.add(OnnxProto.tensorValueInfo("target_shape", OnnxProto.INT64, List.of(4L)));
            output = OnnxProto.tensorValueInfo("image", OnnxProto.FLOAT, List.of("N", "C", "H", "W"));
        }
        byte[] graph = OnnxProto.graph("tiny_generator", nodes, initializers, inputs, List.of(output));
        return OnnxProto.model(8, 17, "quality-test", "", graph, new TreeMap<>(metadata));
    }
}
