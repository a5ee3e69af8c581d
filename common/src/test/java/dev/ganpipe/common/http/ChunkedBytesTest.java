package dev.ganpipe.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkedBytesTest {

    @Test
    void aBodyReadInSmallPiecesAcrossManyChunksComesBackWholeAndExact() throws IOException {
        byte[] sent = new byte[3 * 1024 * 1024 + 17];
        new Random(5).nextBytes(sent);
        // A client that sends a few bytes at a time, as a slow network does.
        InputStream trickle = new ByteArrayInputStream(sent) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1000));
            }
        };
        ChunkedBytes body = new ChunkedBytes();
        while (body.readFrom(trickle) >= 0) {
            assertThat(body.size()).isLessThanOrEqualTo(sent.length);
        }

        assertThat(body.size()).isEqualTo(sent.length);
        assertThat(body.toArray()).isEqualTo(sent);
    }

    @Test
    void anEmptyBodyIsAnEmptyArray() throws IOException {
        ChunkedBytes body = new ChunkedBytes();
        while (body.readFrom(new ByteArrayInputStream(new byte[0])) >= 0) {
            // nothing arrives
        }
        assertThat(body.toArray()).isEmpty();
    }
}
