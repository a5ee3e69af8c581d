package dev.ganpipe.common.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PngEncoderTest {

    @ParameterizedTest(name = "{0}x{1}x{2} stored={3}")
    @CsvSource({"1,1,1,false", "3,7,1,false", "28,28,1,false", "64,64,3,false", "5,2,3,false", "300,1,1,false",
            "1,1,1,true", "28,28,1,true", "64,64,3,true", "300,300,1,true"})
    void theJdkDecoderReadsBackExactlyThePixelsWritten(int width, int height, int channels, boolean stored) throws Exception {
        CanonicalImage image = image(width, height, channels, width * 31L + height);
        byte[] png;
        try (PngEncoder encoder = stored ? PngEncoder.stored() : PngEncoder.compressed()) {
            png = encoder.encode(image);
        }
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(decoded.getWidth()).isEqualTo(width);
        assertThat(decoded.getHeight()).isEqualTo(height);
        assertThat(decoded.getColorModel().getNumComponents()).isEqualTo(channels);
        assertThat(Png.decode(png, image.shape())).isEqualTo(image);
    }

    @Test
    void theSamePixelsAlwaysGiveTheSameBytesAndTheEncoderCanBeReused() {
        CanonicalImage a = image(28, 28, 1, 1);
        CanonicalImage b = image(28, 28, 1, 2);
        try (PngEncoder encoder = PngEncoder.compressed(); PngEncoder other = PngEncoder.compressed()) {
            byte[] first = encoder.encode(a);
            encoder.encode(b);
            assertThat(encoder.encode(a)).containsExactly(first);
            assertThat(other.encode(a)).containsExactly(first);
        }
    }

    @Test
    void aSmoothImageCompressesWellThanksToTheRowFilters() {
        byte[] pixels = new byte[64 * 64 * 3];
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                for (int c = 0; c < 3; c++) {
                    pixels[(y * 64 + x) * 3 + c] = (byte) (x * 2 + y + c * 40);
                }
            }
        }
        try (PngEncoder encoder = PngEncoder.compressed()) {
            assertThat(encoder.encode(pixels, 64, 64, 3).length).isLessThan(pixels.length / 10);
        }
    }

    @Test
    void storedPngsHoldThePixelsUncompressedInBlocksOfAtMost64KiB() throws Exception {
        byte[] pixels = new byte[300 * 300];
        try (PngEncoder encoder = PngEncoder.stored()) {
            byte[] png = encoder.encode(pixels, 300, 300, 1);
            // 300 rows of 1 filter byte + 300 pixels = 90,300 bytes: two stored blocks, 5 header bytes each.
            assertThat(png.length).isEqualTo(8 + 25 + 12 + 2 + 90_300 + 2 * 5 + 4 + 12);
            assertThat(Png.decode(png, new ImageShape(300, 300, 1)).pixels()).containsExactly(pixels);
        }
    }

    @Test
    void pixelsThatDoNotMatchTheShapeAreRefused() {
        try (PngEncoder encoder = PngEncoder.compressed()) {
            assertThatThrownBy(() -> encoder.encode(new byte[10], 3, 3, 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("3x3x1 = 9");
            assertThatThrownBy(() -> encoder.encode(new byte[8], 2, 2, 2)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("1 (gray) or 3 (RGB)");
        }
    }

    private static CanonicalImage image(int width, int height, int channels, long seed) {
        byte[] pixels = new byte[width * height * channels];
        new Random(seed).nextBytes(pixels);
        for (int i = 0; i < pixels.length; i += 5) {
            pixels[i] = 0; // some runs, as real images have
        }
        return new CanonicalImage(new ImageShape(width, height, channels), pixels);
    }
}
