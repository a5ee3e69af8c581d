package dev.ganpipe.common.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PngEncoderTest {

    @ParameterizedTest(name = "{0}x{1}x{2} {3}")
    @CsvSource({"1,1,1,compressed", "3,7,1,compressed", "28,28,1,compressed", "64,64,3,compressed", "5,2,3,compressed",
            "300,1,1,compressed", "1,1,1,stored", "28,28,1,stored", "64,64,3,stored", "300,300,1,stored",
            // fast: below the parallel threshold, a grid above it (two halves on two threads), RGB above it
            "28,28,1,fast", "242,242,1,fast", "130,130,3,fast"})
    void theJdkDecoderReadsBackExactlyThePixelsWritten(int width, int height, int channels, String flavour) throws Exception {
        CanonicalImage image = image(width, height, channels, width * 31L + height);
        byte[] png;
        try (PngEncoder encoder = encoder(flavour)) {
            png = encoder.encode(image);
        }
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(decoded.getWidth()).isEqualTo(width);
        assertThat(decoded.getHeight()).isEqualTo(height);
        assertThat(decoded.getColorModel().getNumComponents()).isEqualTo(channels);
        assertThat(Png.decode(png, image.shape())).isEqualTo(image);
    }

    private static PngEncoder encoder(String flavour) {
        return switch (flavour) {
            case "stored" -> PngEncoder.stored();
            case "fast" -> PngEncoder.fast();
            default -> PngEncoder.compressed();
        };
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
    void aLargeImageDeflatedInTwoHalvesGivesTheSameBytesEveryTimeAndCompressesAsWellAsOneStream() throws Exception {
        // An 8x8 grid of distinct 28x28 tiles on black, as the service sends: each tile a seeded, textured blob.
        byte[] pixels = new byte[242 * 242];
        Random random = new Random(5);
        for (int tile = 0; tile < 64; tile++) {
            int left = 2 + tile % 8 * 30;
            int top = 2 + tile / 8 * 30;
            double cx = 8 + random.nextInt(12);
            double cy = 8 + random.nextInt(12);
            double radius = 5 + random.nextInt(8);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    double d = Math.hypot(x - cx, y - cy) / radius;
                    // Textured like a garment, so tiles share runs as little as real ones do.
                    pixels[(top + y) * 242 + left + x] = (byte) (d < 1 ? 255 * (1 - d * d) * (0.7 + 0.3 * random.nextDouble()) : 0);
                }
            }
        }
        assertThat(pixels.length + 242).isGreaterThanOrEqualTo(PngEncoder.PARALLEL_FROM_BYTES);
        byte[] first;
        try (PngEncoder fast = PngEncoder.fast()) {
            first = fast.encode(pixels, 242, 242, 1);
            for (int i = 0; i < 5; i++) {
                assertThat(fast.encode(pixels, 242, 242, 1)).containsExactly(first);
            }
        }
        // The same rows (filter byte 2, Up, then each pixel minus the one above) in one Huffman-only stream, plus the
        // PNG's 57 bytes of signature and chunk framing: the seam between the halves costs little.
        byte[] rows = new byte[243 * 242];
        for (int y = 0; y < 242; y++) {
            rows[y * 243] = 2;
            for (int x = 0; x < 242; x++) {
                rows[y * 243 + 1 + x] = (byte) (pixels[y * 242 + x] - (y == 0 ? 0 : pixels[(y - 1) * 242 + x]));
            }
        }
        Deflater oneStream = new Deflater(Deflater.BEST_SPEED);
        oneStream.setStrategy(Deflater.HUFFMAN_ONLY);
        oneStream.setInput(rows);
        oneStream.finish();
        byte[] buffer = new byte[rows.length];
        int oneStreamBytes = 0;
        while (!oneStream.finished()) {
            oneStreamBytes += oneStream.deflate(buffer, oneStreamBytes, buffer.length - oneStreamBytes);
        }
        oneStream.end();
        assertThat(first.length).isLessThan((oneStreamBytes + 57) * 11 / 10);
        assertThat(Png.decode(first, new ImageShape(242, 242, 1)).pixels()).containsExactly(pixels);
        assertThat(ImageIO.read(new ByteArrayInputStream(first)).getWidth()).isEqualTo(242);
    }

    @Test
    void fastEncodersOnManyThreadsAtOnceGiveTheSameBytes() throws Exception {
        byte[] noisy = new byte[242 * 242];
        new Random(9).nextBytes(noisy); // incompressible: the halves' buffers are at their fullest
        byte[] smooth = image(242, 242, 1, 3).pixels();
        byte[] noisyFirst;
        byte[] smoothFirst;
        try (PngEncoder fast = PngEncoder.fast()) {
            noisyFirst = fast.encode(noisy, 242, 242, 1);
            smoothFirst = fast.encode(smooth, 242, 242, 1);
        }
        List<Future<Boolean>> sameBytes = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            for (int task = 0; task < 64; task++) {
                boolean odd = task % 2 == 1;
                sameBytes.add(threads.submit(() -> {
                    try (PngEncoder fast = PngEncoder.fast()) {
                        return odd ? Arrays.equals(fast.encode(noisy, 242, 242, 1), noisyFirst)
                                : Arrays.equals(fast.encode(smooth, 242, 242, 1), smoothFirst);
                    }
                }));
            }
        }
        for (Future<Boolean> same : sameBytes) {
            assertThat(same.get()).isTrue();
        }
        assertThat(Png.decode(noisyFirst, new ImageShape(242, 242, 1)).pixels()).containsExactly(noisy);
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
