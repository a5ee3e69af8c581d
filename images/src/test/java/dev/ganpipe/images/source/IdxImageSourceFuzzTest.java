package dev.ganpipe.images.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;

/**
 * Hostile IDX files (raw or gzipped, with or without a labels file): the reader yields PNG images with numeric
 * labels, or stops with an {@link IOException} that says what is wrong, never another exception, an out-of-memory
 * or a hang.
 *
 * <p>Input layout, so that seeds can be written by hand: byte 0 bit 0 says whether a labels file follows; if so,
 * bytes 1-2 (big-endian) are its length and the labels bytes come next; the rest is the images file.
 */
class IdxImageSourceFuzzTest {

    /** Enough images to cross header, pixels and labels; the reader holds one at a time whatever the header says. */
    private static final int MAX_IMAGES_READ = 16;

    @FuzzTest(maxDuration = "10s")
    void anIdxFileGivesPngImagesOrAnIOExceptionThatSaysWhy(byte[] input) {
        Optional<InputStream> labels = Optional.empty();
        int offset = Math.min(1, input.length);
        if (input.length >= 3 && (input[0] & 1) == 1) {
            int length = Math.min(((input[1] & 0xff) << 8) | (input[2] & 0xff), input.length - 3);
            labels = Optional.of(new ByteArrayInputStream(Arrays.copyOfRange(input, 3, 3 + length)));
            offset = 3 + length;
        }
        InputStream images = new ByteArrayInputStream(Arrays.copyOfRange(input, offset, input.length));
        try (IdxImageSource source = IdxImageSource.of("fuzz-images-idx3-ubyte", images, labels)) {
            for (int i = 0; i < MAX_IMAGES_READ; i++) {
                Optional<SourceImage> image = source.next();
                if (image.isEmpty()) {
                    break;
                }
                assertThat(image.get().encodedBytes()).startsWith(0x89, 'P', 'N', 'G');
                assertThat(image.get().label().isPresent()).isEqualTo(source.labelled());
                image.get().label().ifPresent(label -> assertThat(Integer.parseInt(label)).isBetween(0, 255));
            }
        } catch (IOException e) {
            assertThat(e.getMessage()).as("an IOException says what is wrong").isNotBlank();
        }
    }
}
