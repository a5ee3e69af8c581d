package dev.ganpipe.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ganpipe.common.http.HttpError;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class MultipartTest {

    private static final byte[] PNG_LIKE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', '\r', '\n', '-', '-', 0, 1, 2};

    @Test
    void filesAndFieldsComeOutInOrderWithTheirNamesTypesAndExactBytes() {
        MultipartBodies body = MultipartBodies.create()
                .field("label", "Sneaker")
                .png("a.png", PNG_LIKE)
                .file("file", "b.bin", Optional.empty(), new byte[] {1, 2, 3});
        List<Multipart.Part> parts = Multipart.parse(body.build(), MultipartBodies.BOUNDARY, 10, 1000);
        assertThat(parts).containsExactly(
                new Multipart.Part("label", Optional.empty(), Optional.empty(), "Sneaker".getBytes(StandardCharsets.UTF_8)),
                new Multipart.Part("file", Optional.of("a.png"), Optional.of("image/png"), PNG_LIKE),
                new Multipart.Part("file", Optional.of("b.bin"), Optional.empty(), new byte[] {1, 2, 3}));
    }

    @Test
    void aPreambleAnEpilogueTransportPaddingAndFoldedHeadersAreTolerated() {
        String b = "xyz";
        String text = "This is the preamble.\r\n--xyz  \r\nContent-Disposition: form-data;\r\n name=\"file\"; filename=\"q.png\"\r\n"
                + "content-type: image/png\r\n\r\nDATA\r\n--xyz--\r\nthe epilogue, ignored";
        List<Multipart.Part> parts = Multipart.parse(text.getBytes(StandardCharsets.UTF_8), b, 10, 1000);
        assertThat(parts).hasSize(1);
        assertThat(parts.getFirst().fileName()).hasValue("q.png");
        assertThat(parts.getFirst().contentType()).hasValue("image/png");
        assertThat(new String(parts.getFirst().body(), StandardCharsets.UTF_8)).isEqualTo("DATA");
    }

    @Test
    void quotedBoundariesEscapesAndUtf8FileNamesAreRead() {
        assertThat(Multipart.boundary("multipart/form-data; charset=utf-8; boundary=\"a b;c\"")).isEqualTo("a b;c");
        assertThat(Multipart.boundary("Multipart/Form-Data;boundary=plain")).isEqualTo("plain");
        assertThat(Multipart.isMultipart("Multipart/Form-Data; boundary=x")).isTrue();
        assertThat(Multipart.isMultipart("image/png")).isFalse();
        assertThat(Multipart.parameters("; name=\"say \\\"hi\\\"\"; filename*=UTF-8''%E2%82%AC.png"))
                .containsEntry("name", "say \"hi\"").containsEntry("filename*", "UTF-8''%E2%82%AC.png");
        String text = "--z\r\nContent-Disposition: form-data; name=\"f\"; filename=\"fallback.png\"; filename*=UTF-8''%E2%82%AC.png\r\n\r\nX\r\n--z--";
        assertThat(Multipart.parse(text.getBytes(StandardCharsets.UTF_8), "z", 10, 10).getFirst().fileName()).hasValue("\u20ac.png");
    }

    @Test
    void aBoundaryLookalikeInsideTheDataDoesNotEndThePart() {
        byte[] data = "--gan-test (not the boundary)\r\n--gan-tes".getBytes(StandardCharsets.US_ASCII);
        MultipartBodies body = new MultipartBodies("gan-test-boundary").png("a.png", data);
        assertThat(Multipart.parse(body.build(), "gan-test-boundary", 10, 1000).getFirst().body()).containsExactly(data);
    }

    @Test
    void malformedBodiesAre400WithAReason() {
        assertBadRequest(() -> Multipart.boundary("multipart/form-data"), "no boundary parameter");
        assertBadRequest(() -> Multipart.boundary("multipart/form-data; boundary=" + "b".repeat(71)), "1 to 70 ASCII characters");
        assertBadRequest(() -> Multipart.parse(MultipartBodies.create().png("a.png", PNG_LIKE).buildTruncated(), MultipartBodies.BOUNDARY, 10, 1000),
                "ends before the closing boundary");
        assertBadRequest(() -> Multipart.parse("no boundary here".getBytes(StandardCharsets.US_ASCII), "zzz", 10, 1000),
                "does not contain the boundary");
        assertBadRequest(() -> Multipart.parse("--z\r\nX-Other: 1\r\n\r\nX\r\n--z--".getBytes(StandardCharsets.US_ASCII), "z", 10, 10),
                "no Content-Disposition");
        assertBadRequest(() -> Multipart.parse("--z\r\nContent-Disposition: attachment\r\n\r\nX\r\n--z--".getBytes(StandardCharsets.US_ASCII),
                "z", 10, 10), "must be form-data with a name");
        assertBadRequest(() -> Multipart.parse("--zjunk\r\n".getBytes(StandardCharsets.US_ASCII), "z", 10, 10), "does not end with CRLF");
        byte[] endlessHeaders = ("--z\r\nContent-Disposition: form-data; name=\"f\"\r\nX-Pad: " + "p".repeat(9000) + "\r\n\r\nX\r\n--z--")
                .getBytes(StandardCharsets.US_ASCII);
        assertBadRequest(() -> Multipart.parse(endlessHeaders, "z", 10, 10), "headers do not end");
    }

    @Test
    void tooManyPartsOrAPartTooLargeAre413() {
        MultipartBodies three = MultipartBodies.create().png("a.png", PNG_LIKE).png("b.png", PNG_LIKE).png("c.png", PNG_LIKE);
        assertThatThrownBy(() -> Multipart.parse(three.build(), MultipartBodies.BOUNDARY, 2, 1000))
                .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(413))
                .hasMessageContaining("more than 2 parts");
        assertThatThrownBy(() -> Multipart.parse(MultipartBodies.create().png("big.png", new byte[101]).build(), MultipartBodies.BOUNDARY, 2, 100))
                .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(413))
                .hasMessageContaining("'big.png' has 101 bytes");
    }

    @Test
    void aBodyFullOfNearBoundariesIsStillSearchedCorrectly() {
        // Almost-delimiters everywhere: the case that makes a naive search quadratic.
        byte[] data = new byte[200_000];
        byte[] near = "\r\n--bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + near.length <= data.length; i += near.length) {
            System.arraycopy(near, 0, data, i, near.length);
        }
        String boundary = "b".repeat(69) + "c";
        MultipartBodies body = new MultipartBodies(boundary).png("a.png", data);
        byte[] parsed = Multipart.parse(body.build(), boundary, 10, data.length).getFirst().body();
        assertThat(Arrays.equals(parsed, data)).isTrue();
    }

    private static void assertBadRequest(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(HttpError.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("bad_multipart");
        }).hasMessageContaining(message).message().endsWith(".");
    }
}
