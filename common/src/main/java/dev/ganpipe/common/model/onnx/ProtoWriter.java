package dev.ganpipe.common.model.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Appends protobuf wire-format fields to a growing byte buffer.
 *
 * <p>Only the three wire types ONNX needs are supported: varint (0), length-delimited (2) and
 * fixed32 (5). Repeated scalars are written unpacked, one tag per element, which is the proto2
 * default that {@code onnx.proto} uses; every protobuf parser accepts it.
 */
public final class ProtoWriter {

    private static final int WIRE_VARINT = 0;
    private static final int WIRE_LENGTH_DELIMITED = 2;
    private static final int WIRE_FIXED32 = 5;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Writes an int32/int64/enum/bool field; negative values take ten bytes, as protobuf does. */
    public ProtoWriter varint(int field, long value) {
        tag(field, WIRE_VARINT);
        rawVarint(value);
        return this;
    }

    /** Writes a float field (wire type fixed32, little-endian IEEE 754). */
    public ProtoWriter fixed32(int field, float value) {
        tag(field, WIRE_FIXED32);
        int bits = Float.floatToIntBits(value);
        out.write(bits);
        out.write(bits >>> 8);
        out.write(bits >>> 16);
        out.write(bits >>> 24);
        return this;
    }

    /** Writes a bytes field, or an already encoded embedded message. */
    public ProtoWriter bytes(int field, byte[] value) {
        tag(field, WIRE_LENGTH_DELIMITED);
        rawVarint(value.length);
        out.writeBytes(value);
        return this;
    }

    /** Writes a string field as UTF-8. */
    public ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes an embedded message field. */
    public ProtoWriter message(int field, ProtoWriter message) {
        return bytes(field, message.toByteArray());
    }

    /** The fields written so far. */
    public byte[] toByteArray() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        if (field < 1) {
            throw new IllegalArgumentException(
                    "Protobuf field numbers start at 1, but " + field + " was given; fix the caller.");
        }
        rawVarint(((long) field << 3) | wireType);
    }

    private void rawVarint(long value) {
        long v = value;
        // Unsigned shift so negative int64 values end after ten bytes, as the wire format says.
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
