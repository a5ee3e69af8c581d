package dev.ganpipe.images.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.image.Png;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Hostile records on {@code images.train}, which the normaliser writes and the trainer's feed thread decodes with
 * {@link Png#decode}: whatever arrives, that gives an image of the expected shape or an
 * {@link IllegalArgumentException} with a sentence (the feed counts and skips those), never another exception (which
 * would stop the feed), an out-of-memory (a decompression bomb, a huge declared size) or a hang. Seeds and past
 * findings are in {@code CanonicalPngFuzzTestInputs}.
 *
 * <p>Input layout, so that seeds can be written by hand: bits 0-1 of byte 0 pick the expected shape from
 * {@link #SHAPES}; with bit 2 set, every chunk's CRC is recomputed before decoding, so that mutations reach the image
 * data and the row filters instead of stopping at the CRC check; the rest is the record.
 */
class CanonicalPngFuzzTest {

    private static final ImageShape[] SHAPES = {ImageShape.FASHION_MNIST, new ImageShape(28, 28, 3), new ImageShape(5, 4, 1),
            new ImageShape(5, 4, 3)};

    @FuzzTest(maxDuration = "10s")
    void aTrainRecordDecodesToTheExpectedShapeOrIsRefusedWithASentence(byte[] input) {
        int layout = input.length == 0 ? 0 : input[0];
        ImageShape shape = SHAPES[layout & 3];
        byte[] record = Arrays.copyOfRange(input, Math.min(1, input.length), input.length);
        if ((layout & 4) != 0) {
            fixCrcs(record);
        }
        try {
            assertThat(Png.decode(record, shape).shape()).isEqualTo(shape);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).as("the exception says what is wrong").isNotBlank().endsWith(".");
        }
    }

    /** Rewrites the CRC of every whole chunk after the 8-byte signature, as far as the chunk lengths make sense. */
    private static void fixCrcs(byte[] png) {
        CRC32 crc = new CRC32();
        int at = 8;
        while (png.length - at >= 12) {
            int length = readInt(png, at);
            if (length < 0 || length > png.length - at - 12) {
                return;
            }
            crc.reset();
            crc.update(png, at + 4, 4 + length);
            int value = (int) crc.getValue();
            for (int i = 0; i < 4; i++) {
                png[at + 8 + length + i] = (byte) (value >>> (24 - 8 * i));
            }
            at += 12 + length;
        }
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}
