package dev.ganpipe.quality.onnx;

import dev.ganpipe.common.image.ImageShape;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a small but real ONNX generator for tests, {@code image = reshape(tanh(z W + b), [-1, C, H, W])}, with a
 * minimal protobuf encoder (the trainer's exporter cannot be used: the trainer depends on this module).
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
        byte[] gemm = node("Gemm", List.of("z", "W", "b"), "h");
        byte[] tanh = node("Tanh", List.of("h"), "t");
        byte[] reshape = node("Reshape", List.of("t", "target_shape"), "image");
        Proto graph = new Proto()
                .bytes(1, gemm).bytes(1, tanh).bytes(1, reshape)
                .string(2, "tiny_generator")
                .bytes(5, floatTensor("W", new long[] {noiseDim, values}, weights))
                .bytes(5, floatTensor("b", new long[] {values}, bias))
                .bytes(11, valueInfo("z", 1, List.of("N", (long) noiseDim)));
        if (declareShape) {
            graph.bytes(5, int64Tensor("target_shape", new long[] {4}, new long[] {-1, shape.channels(), shape.height(), shape.width()}))
                    .bytes(12, valueInfo("image", 1, List.of("N", (long) shape.channels(), (long) shape.height(), (long) shape.width())));
        } else {
            graph.bytes(11, valueInfo("target_shape", 7, List.of(4L))).bytes(12, valueInfo("image", 1, List.of("N", "C", "H", "W")));
        }
        Proto model = new Proto()
                .varint(1, 8)
                .string(2, "quality-test")
                .bytes(7, graph.toBytes())
                .bytes(8, new Proto().varint(2, 17).toBytes());
        for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
            model.bytes(14, new Proto().string(1, e.getKey()).string(2, e.getValue()).toBytes());
        }
        return model.toBytes();
    }

    private static byte[] node(String op, List<String> inputs, String output) {
        Proto p = new Proto();
        inputs.forEach(i -> p.string(1, i));
        return p.string(2, output).string(3, op + "_" + output).string(4, op).toBytes();
    }

    private static byte[] floatTensor(String name, long[] dims, float[] values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        return tensor(name, dims, 1, raw.array());
    }

    private static byte[] int64Tensor(String name, long[] dims, long[] values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            raw.putLong(v);
        }
        return tensor(name, dims, 7, raw.array());
    }

    private static byte[] tensor(String name, long[] dims, int dataType, byte[] raw) {
        Proto p = new Proto();
        for (long d : dims) {
            p.varint(1, d);
        }
        return p.varint(2, dataType).string(8, name).bytes(9, raw).toBytes();
    }

    private static byte[] valueInfo(String name, int elemType, List<?> dims) {
        Proto shape = new Proto();
        for (Object d : dims) {
            shape.bytes(1, d instanceof Long value ? new Proto().varint(1, value).toBytes() : new Proto().string(2, (String) d).toBytes());
        }
        byte[] tensorType = new Proto().varint(1, elemType).bytes(2, shape.toBytes()).toBytes();
        return new Proto().string(1, name).bytes(2, new Proto().bytes(1, tensorType).toBytes()).toBytes();
    }

    /** Protobuf wire format: varints and length-delimited fields, all this model needs. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long value) {
            raw((long) field << 3);
            raw(value);
            return this;
        }

        Proto bytes(int field, byte[] data) {
            raw(((long) field << 3) | 2);
            raw(data.length);
            out.writeBytes(data);
            return this;
        }

        Proto string(int field, String s) {
            return bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        private void raw(long value) {
            long v = value;
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        byte[] toBytes() {
            return out.toByteArray();
        }
    }
}
