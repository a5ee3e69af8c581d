package dev.ganpipe.common.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProtoWriterTest {

    @Test
    void encodesVarintsAsTheProtobufSpecificationShows() {
        // Examples from https://protobuf.dev/programming-guides/encoding/
        assertThat(new ProtoWriter().varint(1, 150).toByteArray()).containsExactly(0x08, 0x96, 0x01);
        assertThat(new ProtoWriter().varint(1, 0).toByteArray()).containsExactly(0x08, 0x00);
        assertThat(new ProtoWriter().varint(2, 300).toByteArray()).containsExactly(0x10, 0xAC, 0x02);
        // Negative int64 values take ten bytes.
        assertThat(new ProtoWriter().varint(1, -1).toByteArray())
                .containsExactly(0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01);
        // Field numbers above 15 need a two-byte tag.
        assertThat(new ProtoWriter().varint(20, 1).toByteArray()).containsExactly(0xA0, 0x01, 0x01);
    }

    @Test
    void encodesStringsMessagesAndFloats() {
        assertThat(new ProtoWriter().string(2, "testing").toByteArray())
                .containsExactly(0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67);
        ProtoWriter inner = new ProtoWriter().varint(1, 150);
        assertThat(new ProtoWriter().message(3, inner).toByteArray()).containsExactly(0x1a, 0x03, 0x08, 0x96, 0x01);
        // 1.0f is 0x3F800000, written little-endian with wire type 5.
        assertThat(new ProtoWriter().fixed32(2, 1.0f).toByteArray()).containsExactly(0x15, 0x00, 0x00, 0x80, 0x3F);
    }

    @Test
    void rejectsFieldNumberZero() {
        assertThatThrownBy(() -> new ProtoWriter().varint(0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("field numbers start at 1");
    }
}
