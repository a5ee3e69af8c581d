package dev.ganpipe.generator;

import dev.ganpipe.common.image.Hashes;
import dev.ganpipe.common.model.ModelManifest;
import dev.ganpipe.common.model.ModelMetadata;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A small conditional generator written as ONNX by hand, until the trainer exports conditional models: inputs
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
        Proto graph = new Proto()
                .message(1, node("Gather", List.of("embedding", "label"), "e"))
                .message(1, node("Add", List.of("z", "e"), "h"))
                .message(1, node("MatMul", List.of("h", "weights"), "m"))
                .message(1, node("Tanh", List.of("m"), "t"))
                .message(1, node("Reshape", List.of("t", "shape"), "image"))
                .string(2, "conditional_generator")
                .message(5, floatTensor("embedding", embedding, k, NOISE_DIM))
                .message(5, floatTensor("weights", weights, NOISE_DIM, pixels))
                .message(5, longTensor("shape", new long[] {-1, 1, SIZE, SIZE}, 4))
                .message(11, valueInfo("z", 1, "N", NOISE_DIM))
                .message(11, valueInfo("label", 7, "N"))
                .message(12, valueInfo("image", 1, "N", 1, SIZE, SIZE));
        Proto model = new Proto()
                .varint(1, 8)
                .string(2, "ganpipe-test")
                .message(7, graph)
                .message(8, new Proto().string(1, "").varint(2, 17));
        metadata.forEach((key, value) -> model.message(14, new Proto().string(1, key).string(2, value)));
        return model.bytes();
    }

    /** The manifest for this model as {@code version}. */
    public static ModelManifest manifest(byte[] onnx, long version) {
        return new ModelManifest(NAME, version, Hashes.sha256(onnx), 1, Instant.parse("2025-01-01T00:00:00Z"), SIZE + "x" + SIZE + "x1",
                NOISE_DIM, Map.of());
    }

    private static Proto node(String op, List<String> inputs, String output) {
        Proto node = new Proto();
        inputs.forEach(input -> node.string(1, input));
        return node.string(2, output).string(3, op + "_" + output).string(4, op);
    }

    private static Proto floatTensor(String name, float[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        Proto tensor = new Proto();
        for (long d : dims) {
            tensor.varint(1, d);
        }
        return tensor.varint(2, 1).string(8, name).bytes(9, raw.array());
    }

    private static Proto longTensor(String name, long[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            raw.putLong(v);
        }
        Proto tensor = new Proto();
        for (long d : dims) {
            tensor.varint(1, d);
        }
        return tensor.varint(2, 7).string(8, name).bytes(9, raw.array());
    }

    /** A tensor value info whose first dimension is symbolic ({@code batch}) and the rest fixed. */
    private static Proto valueInfo(String name, int elementType, String batch, long... dims) {
        Proto shape = new Proto().message(1, new Proto().string(2, batch));
        for (long d : dims) {
            shape.message(1, new Proto().varint(1, d));
        }
        Proto tensorType = new Proto().varint(1, elementType).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
    }

    /** Just enough protobuf wire format for an ONNX model: varints and length-delimited fields. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long value) {
            writeVarint(((long) field << 3));
            writeVarint(value);
            return this;
        }

        Proto bytes(int field, byte[] value) {
            writeVarint(((long) field << 3) | 2);
            writeVarint(value.length);
            out.writeBytes(value);
            return this;
        }

        Proto string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto value) {
            return bytes(field, value.bytes());
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private void writeVarint(long value) {
            long v = value;
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
    }
}
