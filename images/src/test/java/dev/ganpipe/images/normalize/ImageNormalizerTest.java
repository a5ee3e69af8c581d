package dev.ganpipe.images.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.Hashes;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.image.Png;
import dev.ganpipe.images.TestImages;
import dev.ganpipe.images.source.IdxImageSource;
import dev.ganpipe.images.source.SampleData;
import dev.ganpipe.images.source.SourceImage;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageNormalizerTest {

    private final ImageNormalizer normalizer = new ImageNormalizer(NormalizerSettings.defaults());

    @Test
    void fashionMnistImagesPassThroughPixelForPixel() throws Exception {
        try (IdxImageSource sample = SampleData.fashionMnist()) {
            for (int i = 0; i < 20; i++) {
                SourceImage image = sample.next().orElseThrow();
                Outcome.Accepted accepted = accepted(normalizer.normalize(image.encodedBytes(), image.label()));
                CanonicalImage original = Png.decode(image.encodedBytes(), ImageShape.FASHION_MNIST);
                assertThat(accepted.image()).isEqualTo(original);
                assertThat(accepted.label()).isEqualTo(OptionalInt.of(Integer.parseInt(image.label().orElseThrow())));
            }
        }
    }

    @Test
    void shrinkingAveragesTheAreaEachOutputPixelCovers() {
        // 56x56 of 2x2 blocks: block (bx, by) holds four values whose mean is (bx * 9) % 256.
        BufferedImage image = TestImages.gray(56, 56, (x, y) -> {
            int mean = (x / 2 * 9) % 256;
            int delta = Math.min(mean, 255 - mean) / 2;
            return (x + y) % 2 == 0 ? mean - delta : mean + delta;
        });
        CanonicalImage out = accepted(normalizer.normalize(TestImages.png(image), Optional.empty())).image();
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                assertThat(out.value(x, y, 0)).as("pixel %d,%d", x, y).isEqualTo((x * 9) % 256);
            }
        }
    }

    @Test
    void wideImagesAreCroppedToTheCentreNotSquashed() {
        // 84x28: a white middle square between black sides; the crop keeps only the middle.
        BufferedImage image = TestImages.gray(84, 28, (x, y) -> x >= 28 && x < 56 ? 255 : 0);
        CanonicalImage out = accepted(normalizer.normalize(TestImages.png(image), Optional.empty())).image();
        assertThat(out.pixels()).containsOnly((byte) 255);
    }

    @Test
    void transparentPixelsTakeTheBackgroundColour() {
        // Left half opaque white, right half fully transparent white, on the default black background.
        byte[] png = TestImages.png(TestImages.argb(28, 28, (x, y) -> x < 14 ? 0xffffffff : 0x00ffffff));
        CanonicalImage onBlack = accepted(normalizer.normalize(png, Optional.empty())).image();
        assertThat(onBlack.value(3, 5, 0)).isEqualTo(255);
        assertThat(onBlack.value(20, 5, 0)).isEqualTo(0);

        ImageNormalizer onWhite = new ImageNormalizer(withBackground(Background.WHITE));
        assertThat(accepted(onWhite.normalize(png, Optional.empty())).image().value(20, 5, 0)).isEqualTo(255);
    }

    @Test
    void halfTransparentPixelsAreBlendedWithTheBackground() {
        byte[] png = TestImages.png(TestImages.argb(28, 28, (x, y) -> 0x80ffffff));
        CanonicalImage out = accepted(normalizer.normalize(png, Optional.empty())).image();
        assertThat(out.value(10, 10, 0)).isEqualTo(128);
    }

    @Test
    void colourImagesBecomeGrayByLuma() {
        byte[] png = TestImages.png(TestImages.argb(28, 28, (x, y) -> 0xffff0000));
        assertThat(accepted(normalizer.normalize(png, Optional.empty())).image().value(0, 0, 0)).isEqualTo(76);
    }

    @Test
    void anRgbShapeKeepsColoursAndGrayImagesAreRepeatedOnEveryChannel() {
        ImageNormalizer rgb = new ImageNormalizer(new NormalizerSettings(new ImageShape(16, 16, 3), ClassList.fashionMnist(),
                1 << 20, 1_000_000, 8, Background.BLACK));
        CanonicalImage red = accepted(rgb.normalize(TestImages.png(TestImages.argb(32, 32, (x, y) -> 0xffff0000)), Optional.empty())).image();
        assertThat(red.shape()).isEqualTo(new ImageShape(16, 16, 3));
        assertThat(new int[] {red.value(4, 4, 0), red.value(4, 4, 1), red.value(4, 4, 2)}).containsExactly(255, 0, 0);
        CanonicalImage gray = accepted(rgb.normalize(TestImages.png(TestImages.gray(32, 32, (x, y) -> 77)), Optional.empty())).image();
        assertThat(new int[] {gray.value(4, 4, 0), gray.value(4, 4, 1), gray.value(4, 4, 2)}).containsExactly(77, 77, 77);
    }

    @Test
    void sixteenBitGrayIsScaledToEightBitsWithoutAGammaShift() {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster raster = image.getRaster();
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                raster.setSample(x, y, 0, 0x8080);
            }
        }
        assertThat(accepted(normalizer.normalize(TestImages.png(image), Optional.empty())).image().value(1, 1, 0)).isEqualTo(128);
    }

    @Test
    void jpegGifAndBmpAreAccepted() {
        BufferedImage image = TestImages.gray(40, 40, (x, y) -> 200);
        for (String format : new String[] {"jpeg", "gif", "bmp"}) {
            CanonicalImage out = accepted(normalizer.normalize(TestImages.encode(image, format), Optional.empty())).image();
            assertThat(out.value(14, 14, 0)).as(format).isBetween(197, 203);
        }
    }

    @Test
    void cmykJpegsAreDecodedToo() {
        assertThat(normalizer.normalize(TestImages.cmykJpeg(), Optional.empty())).isInstanceOf(Outcome.Accepted.class);
    }

    @Test
    void theSameBytesAlwaysGiveTheSameImageAndId() {
        byte[] png = TestImages.png(TestImages.noise(100, 80, 3));
        Outcome.Accepted first = accepted(normalizer.normalize(png, Optional.empty()));
        Outcome.Accepted second = accepted(new ImageNormalizer(NormalizerSettings.defaults()).normalize(png.clone(), Optional.empty()));
        assertThat(second.image()).isEqualTo(first.image());
        assertThat(second.id()).isEqualTo(first.id()).isEqualTo(Hashes.imageId(first.image()));
        assertThat(second.png()).containsExactly(first.png());
    }

    @Test
    void labelsMayBeIndicesOrNames() {
        assertThat(accepted(normalizer.normalize(TestImages.goodPng(), Optional.of("3"))).label()).isEqualTo(OptionalInt.of(3));
        assertThat(accepted(normalizer.normalize(TestImages.goodPng(), Optional.of("Sneaker"))).label()).isEqualTo(OptionalInt.of(7));
    }

    @Test
    void emptyInputIsRejectedAsEmpty() {
        assertThat(rejected(normalizer.normalize(new byte[0], Optional.empty()))).isEqualTo(ImageRejectReason.EMPTY);
        assertThat(rejected(normalizer.normalize(null, Optional.empty()))).isEqualTo(ImageRejectReason.EMPTY);
    }

    @Test
    void inputOverTheByteLimitIsRejectedWithoutALookInside() {
        ImageNormalizer small = new ImageNormalizer(new NormalizerSettings(ImageShape.FASHION_MNIST, ClassList.fashionMnist(),
                100, 40_000_000, 8, Background.BLACK));
        assertThat(rejected(small.normalize(new byte[101], Optional.empty()))).isEqualTo(ImageRejectReason.TOO_LARGE);
    }

    @Test
    void aHeaderDeclaringTwentyThousandSquaredPixelsIsRejectedBeforeDecoding() {
        Outcome outcome = normalizer.normalize(TestImages.pngHeaderOnly(20_000, 20_000), Optional.empty());
        assertThat(rejected(outcome)).isEqualTo(ImageRejectReason.TOO_MANY_PIXELS);
        assertThat(((Outcome.Rejected) outcome).detail()).contains("20000x20000").contains("--max-pixels");
    }

    @Test
    void tinyImagesAreRejectedAsTooSmall() {
        assertThat(rejected(normalizer.normalize(TestImages.png(TestImages.gray(1, 1, (x, y) -> 9)), Optional.empty())))
                .isEqualTo(ImageRejectReason.TOO_SMALL);
        assertThat(rejected(normalizer.normalize(TestImages.png(TestImages.gray(100, 7, (x, y) -> 9)), Optional.empty())))
                .isEqualTo(ImageRejectReason.TOO_SMALL);
    }

    @Test
    void labelsOutsideTheClassListAreRejected() {
        assertThat(rejected(normalizer.normalize(TestImages.goodPng(), Optional.of("10")))).isEqualTo(ImageRejectReason.BAD_LABEL);
        assertThat(rejected(normalizer.normalize(TestImages.goodPng(), Optional.of("cats")))).isEqualTo(ImageRejectReason.BAD_LABEL);
        assertThat(rejected(normalizer.normalize(TestImages.goodPng(), Optional.of("")))).isEqualTo(ImageRejectReason.BAD_LABEL);
    }

    @Test
    void randomBytesAreUndecodable() {
        assertThat(rejected(normalizer.normalize(TestImages.randomBytes(5000, 4), Optional.empty()))).isEqualTo(ImageRejectReason.UNDECODABLE);
    }

    @Test
    void aPngWithCorruptImageDataIsUndecodable() {
        byte[] png = TestImages.png(TestImages.noise(64, 64, 5));
        for (int i = 60; i < png.length - 40; i += 7) {
            png[i] ^= 0x5a;
        }
        assertThat(rejected(normalizer.normalize(png, Optional.empty()))).isEqualTo(ImageRejectReason.UNDECODABLE);
    }

    @Test
    void cutOffFilesAreRejectedAsTruncated() {
        assertThat(rejected(normalizer.normalize(TestImages.truncatedPng(), Optional.empty()))).isEqualTo(ImageRejectReason.TRUNCATED);
        byte[] jpeg = TestImages.encode(TestImages.noise(64, 64, 6), "jpeg");
        assertThat(rejected(normalizer.normalize(Arrays.copyOf(jpeg, jpeg.length / 2), Optional.empty())))
                .isEqualTo(ImageRejectReason.TRUNCATED);
    }

    @Test
    void jpegVariantsTheDecoderRefusesAreUnsupported() {
        assertThat(rejected(normalizer.normalize(TestImages.losslessJpeg(), Optional.empty()))).isEqualTo(ImageRejectReason.UNSUPPORTED_FORMAT);
    }

    @Test
    void recognisedFormatsOutsideTheContractAreUnsupported() throws Exception {
        assertThat(ImageIO.getImageWritersByFormatName("tiff").hasNext()).as("the JDK writes TIFF").isTrue();
        byte[] tiff = TestImages.encode(TestImages.gray(32, 32, (x, y) -> 1), "tiff");
        assertThat(rejected(normalizer.normalize(tiff, Optional.empty()))).isEqualTo(ImageRejectReason.UNSUPPORTED_FORMAT);
    }

    /** Found by fuzzing: ImageIO decoded the JPEG inside this 67-byte BMP with no size limit and ran out of heap. */
    @Test
    void aBmpCarryingAnotherImageFileIsRefusedBeforeDecoding() throws Exception {
        byte[] bmp;
        try (var in = getClass().getResourceAsStream("ImageNormalizerFuzzTestInputs/"
                + "everyInputIsAcceptedAsACanonicalImageOrRejectedWithAReason/crash-bmp-embedding-a-broken-jpeg")) {
            assertThat(in).as("the kept fuzz finding").isNotNull();
            bmp = in.readAllBytes();
        }
        Outcome outcome = normalizer.normalize(bmp, Optional.empty());
        assertThat(rejected(outcome)).isEqualTo(ImageRejectReason.UNSUPPORTED_FORMAT);
        assertThat(((Outcome.Rejected) outcome).detail()).contains("carries a whole JPEG file").contains("BI_JPEG");
        assertThat(BmpHeader.embeddedFormat(TestImages.encode(TestImages.gray(32, 32, (x, y) -> 1), "bmp")))
                .as("a plain BMP").isEmpty();
    }

    private static NormalizerSettings withBackground(Background background) {
        NormalizerSettings d = NormalizerSettings.defaults();
        return new NormalizerSettings(d.shape(), d.classes(), d.maxBytes(), d.maxPixels(), d.minSide(), background);
    }

    private static Outcome.Accepted accepted(Outcome outcome) {
        assertThat(outcome).isInstanceOf(Outcome.Accepted.class);
        return (Outcome.Accepted) outcome;
    }

    private static ImageRejectReason rejected(Outcome outcome) {
        assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
        Outcome.Rejected rejected = (Outcome.Rejected) outcome;
        assertThat(rejected.detail()).isNotBlank().endsWith(".");
        return rejected.reason();
    }
}
