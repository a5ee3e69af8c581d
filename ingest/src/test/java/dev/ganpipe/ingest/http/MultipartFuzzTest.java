package dev.ganpipe.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ganpipe.common.http.HttpError;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Hostile multipart uploads on {@code POST /v1/images}: the Content-Type's boundary and the body either parse into
 * at most {@code maxParts} parts of at most {@code maxPartBytes} each, or are refused with a 400 or 413 whose message
 * says what is wrong; never another exception (a 500), an out-of-memory or a hang.
 *
 * <p>Input layout, so that seeds can be written by hand: the Content-Type header, a newline, then the body.
 */
class MultipartFuzzTest {

    private static final int MAX_PARTS = 8;
    private static final int MAX_PART_BYTES = 1024;

    @FuzzTest(maxDuration = "10s")
    void aMultipartBodyGivesBoundedPartsOr400Or413(byte[] input) {
        int newline = indexOf(input, (byte) '\n');
        String contentType = new String(input, 0, newline < 0 ? input.length : newline, StandardCharsets.ISO_8859_1);
        byte[] body = newline < 0 ? new byte[0] : Arrays.copyOfRange(input, newline + 1, input.length);
        try {
            if (!Multipart.isMultipart(contentType)) {
                return;
            }
            List<Multipart.Part> parts = Multipart.parse(body, Multipart.boundary(contentType), MAX_PARTS, MAX_PART_BYTES);
            assertThat(parts).hasSizeLessThanOrEqualTo(MAX_PARTS);
            for (Multipart.Part part : parts) {
                assertThat(part.body().length).isLessThanOrEqualTo(MAX_PART_BYTES);
                assertThat(part.name()).isNotNull();
                assertThat(part.describe()).isNotBlank();
            }
        } catch (HttpError e) {
            assertThat(e.status()).isIn(400, 413);
            assertThat(e.getMessage()).isNotBlank().endsWith(".");
        }
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
