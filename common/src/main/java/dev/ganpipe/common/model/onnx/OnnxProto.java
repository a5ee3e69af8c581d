package dev.ganpipe.common.model.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Encoders for the subset of {@code onnx.proto} (github.com/onnx/onnx, {@code onnx/onnx.proto})
 * that a generator needs: the trainer's export and the tiny models tests build. Field numbers are copied from
 * that file.
 */
public final class OnnxProto {

    /** {@code TensorProto.DataType.FLOAT}. */
    public static final int FLOAT = 1;
    /** {@code TensorProto.DataType.INT64}. */
    public static final int INT64 = 7;

    // ModelProto
    private static final int MODEL_IR_VERSION = 1;
    private static final int MODEL_PRODUCER_NAME = 2;
    private static final int MODEL_PRODUCER_VERSION = 3;
    private static final int MODEL_GRAPH = 7;
    private static final int MODEL_OPSET_IMPORT = 8;
    private static final int MODEL_METADATA_PROPS = 14;
    // OperatorSetIdProto
    private static final int OPSET_DOMAIN = 1;
    private static final int OPSET_VERSION = 2;
    // StringStringEntryProto
    private static final int ENTRY_KEY = 1;
    private static final int ENTRY_VALUE = 2;
    // GraphProto
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_NAME = 2;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    // NodeProto
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    // AttributeProto
    private static final int ATTR_NAME = 1;
    private static final int ATTR_F = 2;
    private static final int ATTR_I = 3;
    private static final int ATTR_S = 4;
    private static final int ATTR_T = 5;
    private static final int ATTR_FLOATS = 7;
    private static final int ATTR_INTS = 8;
    private static final int ATTR_TYPE = 20;
    // AttributeProto.AttributeType
    private static final int ATTR_TYPE_FLOAT = 1;
    private static final int ATTR_TYPE_INT = 2;
    private static final int ATTR_TYPE_STRING = 3;
    private static final int ATTR_TYPE_TENSOR = 4;
    private static final int ATTR_TYPE_FLOATS = 6;
    private static final int ATTR_TYPE_INTS = 7;
    // TensorProto
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    // ValueInfoProto
    private static final int VALUE_INFO_NAME = 1;
    private static final int VALUE_INFO_TYPE = 2;
    // TypeProto and TypeProto.Tensor
    private static final int TYPE_TENSOR_TYPE = 1;
    private static final int TENSOR_TYPE_ELEM_TYPE = 1;
    private static final int TENSOR_TYPE_SHAPE = 2;
    // TensorShapeProto and TensorShapeProto.Dimension
    private static final int SHAPE_DIM = 1;
    private static final int DIM_VALUE = 1;
    private static final int DIM_PARAM = 2;

    private OnnxProto() {}

    /** An encoded {@code AttributeProto}. */
    public record Attribute(byte[] encoded) {}

    public static Attribute floatAttr(String name, float value) {
        return new Attribute(attribute(name, ATTR_TYPE_FLOAT).fixed32(ATTR_F, value).toByteArray());
    }

    public static Attribute intAttr(String name, long value) {
        return new Attribute(attribute(name, ATTR_TYPE_INT).varint(ATTR_I, value).toByteArray());
    }

    public static Attribute stringAttr(String name, String value) {
        return new Attribute(attribute(name, ATTR_TYPE_STRING).string(ATTR_S, value).toByteArray());
    }

    public static Attribute intsAttr(String name, long... values) {
        ProtoWriter w = attribute(name, ATTR_TYPE_INTS);
        for (long v : values) {
            w.varint(ATTR_INTS, v);
        }
        return new Attribute(w.toByteArray());
    }

    public static Attribute floatsAttr(String name, float... values) {
        ProtoWriter w = attribute(name, ATTR_TYPE_FLOATS);
        for (float v : values) {
            w.fixed32(ATTR_FLOATS, v);
        }
        return new Attribute(w.toByteArray());
    }

    public static Attribute tensorAttr(String name, byte[] tensor) {
        return new Attribute(attribute(name, ATTR_TYPE_TENSOR).bytes(ATTR_T, tensor).toByteArray());
    }

    /** An {@code AttributeProto} with its name and type written: every kind of attribute starts so, then adds its value. */
    private static ProtoWriter attribute(String name, int type) {
        return new ProtoWriter().string(ATTR_NAME, name).varint(ATTR_TYPE, type);
    }

    /** A float32 {@code TensorProto} with little-endian {@code raw_data}. */
    public static byte[] floatTensor(String name, long[] dims, float[] values) {
        checkSize(name, dims, values.length);
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return tensor(name, dims, FLOAT, raw.array());
    }

    /** An int64 {@code TensorProto} with little-endian {@code raw_data}. */
    public static byte[] int64Tensor(String name, long[] dims, long[] values) {
        checkSize(name, dims, values.length);
        ByteBuffer raw = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        return tensor(name, dims, INT64, raw.array());
    }

    private static byte[] tensor(String name, long[] dims, int dataType, byte[] rawData) {
        ProtoWriter w = new ProtoWriter();
        for (long d : dims) {
            w.varint(TENSOR_DIMS, d);
        }
        return w.varint(TENSOR_DATA_TYPE, dataType)
                .string(TENSOR_NAME, name)
                .bytes(TENSOR_RAW_DATA, rawData)
                .toByteArray();
    }

    private static void checkSize(String name, long[] dims, int length) {
        long expected = 1;
        for (long d : dims) {
            expected = Math.multiplyExact(expected, d);
        }
        if (expected != length) {
            throw new IllegalArgumentException(
                    "Tensor '" + name + "' declares " + expected + " elements but holds " + length
                            + "; pass dims that match the data.");
        }
    }

    /** A {@code NodeProto}; an empty input name marks an omitted optional input. */
    public static byte[] node(
            String opType, String name, List<String> inputs, List<String> outputs, Attribute... attrs) {
        ProtoWriter w = new ProtoWriter();
        for (String in : inputs) {
            w.string(NODE_INPUT, in);
        }
        for (String out : outputs) {
            w.string(NODE_OUTPUT, out);
        }
        w.string(NODE_NAME, name).string(NODE_OP_TYPE, opType);
        for (Attribute a : attrs) {
            w.bytes(NODE_ATTRIBUTE, a.encoded());
        }
        return w.toByteArray();
    }

    /**
     * A tensor {@code ValueInfoProto}. Each dimension is a {@link Long} ({@code dim_value}) or a
     * {@link String} ({@code dim_param}, a symbolic size such as the batch).
     */
    public static byte[] tensorValueInfo(String name, int elemType, List<?> dims) {
        ProtoWriter shape = new ProtoWriter();
        for (Object d : dims) {
            ProtoWriter dim = new ProtoWriter();
            if (d instanceof Long value) {
                dim.varint(DIM_VALUE, value);
            } else if (d instanceof String param) {
                dim.string(DIM_PARAM, param);
            } else {
                throw new IllegalArgumentException(
                        "A dimension must be a Long or a String, not " + d + "; fix the caller.");
            }
            shape.message(SHAPE_DIM, dim);
        }
        ProtoWriter tensorType =
                new ProtoWriter().varint(TENSOR_TYPE_ELEM_TYPE, elemType).message(TENSOR_TYPE_SHAPE, shape);
        ProtoWriter type = new ProtoWriter().message(TYPE_TENSOR_TYPE, tensorType);
        return new ProtoWriter()
                .string(VALUE_INFO_NAME, name)
                .message(VALUE_INFO_TYPE, type)
                .toByteArray();
    }

    public static byte[] graph(
            String name,
            List<byte[]> nodes,
            List<byte[]> initializers,
            List<byte[]> inputs,
            List<byte[]> outputs) {
        ProtoWriter w = new ProtoWriter();
        for (byte[] n : nodes) {
            w.bytes(GRAPH_NODE, n);
        }
        w.string(GRAPH_NAME, name);
        for (byte[] t : initializers) {
            w.bytes(GRAPH_INITIALIZER, t);
        }
        for (byte[] in : inputs) {
            w.bytes(GRAPH_INPUT, in);
        }
        for (byte[] out : outputs) {
            w.bytes(GRAPH_OUTPUT, out);
        }
        return w.toByteArray();
    }

    /**
     * Bytes that, appended to an encoded {@code ModelProto}, add {@code nodes}, {@code initializers} and {@code outputs}
     * to its graph. Protobuf merges a singular message field that occurs twice (its repeated fields concatenate), so the
     * model is extended without decoding it: how the trainer appends the classifier to a generator it exported. The
     * graph's name is left out so the model keeps its own.
     */
    public static byte[] graphExtension(List<byte[]> nodes, List<byte[]> initializers, List<byte[]> outputs) {
        ProtoWriter graph = new ProtoWriter();
        for (byte[] n : nodes) {
            graph.bytes(GRAPH_NODE, n);
        }
        for (byte[] t : initializers) {
            graph.bytes(GRAPH_INITIALIZER, t);
        }
        for (byte[] out : outputs) {
            graph.bytes(GRAPH_OUTPUT, out);
        }
        return new ProtoWriter().message(MODEL_GRAPH, graph).toByteArray();
    }

    /** {@code model} followed by {@code extension} from {@link #graphExtension}: one model with both graphs' contents. */
    public static byte[] extend(byte[] model, byte[] extension) {
        byte[] joined = Arrays.copyOf(model, model.length + extension.length);
        System.arraycopy(extension, 0, joined, model.length, extension.length);
        return joined;
    }

    /** A {@code ModelProto} importing the default ONNX domain at {@code opsetVersion}. */
    public static byte[] model(
            long irVersion,
            long opsetVersion,
            String producerName,
            String producerVersion,
            byte[] graph,
            Map<String, String> metadataProps) {
        ProtoWriter w =
                new ProtoWriter()
                        .varint(MODEL_IR_VERSION, irVersion)
                        .string(MODEL_PRODUCER_NAME, producerName)
                        .string(MODEL_PRODUCER_VERSION, producerVersion)
                        .bytes(MODEL_GRAPH, graph)
                        .message(
                                MODEL_OPSET_IMPORT,
                                new ProtoWriter().string(OPSET_DOMAIN, "").varint(OPSET_VERSION, opsetVersion));
        for (Map.Entry<String, String> e : metadataProps.entrySet()) {
            w.message(
                    MODEL_METADATA_PROPS,
                    new ProtoWriter().string(ENTRY_KEY, e.getKey()).string(ENTRY_VALUE, e.getValue()));
        }
        return w.toByteArray();
    }
}
