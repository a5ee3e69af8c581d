package dev.ganpipe.common.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PngDecoderTest {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @ParameterizedTest(name = "{0}x{1}x{2} stored={3} structured={4}")
    @CsvSource({"1,1,1,false,false", "1,1,3,false,false", "28,28,1,false,false", "28,28,1,false,true",
            "28,28,3,false,true", "64,64,1,false,true", "64,64,3,false,false", "64,64,3,false,true", "5,2,3,false,false",
            "300,1,1,false,false", "1,300,3,false,true",
            "1,1,1,true,false", "1,1,3,true,true", "28,28,1,true,false", "64,64,3,true,true", "64,64,1,true,true",
            "300,300,1,true,false"})
    void readsBackExactlyThePixelsThePngEncoderWrote(int width, int height, int channels, boolean stored, boolean structured) {
        CanonicalImage image = structured ? structured(width, height, channels) : random(width, height, channels, width * 31L + height);
        byte[] png;
        try (PngEncoder encoder = stored ? PngEncoder.stored() : PngEncoder.compressed()) {
            png = encoder.encode(image);
        }
        try (PngDecoder decoder = new PngDecoder()) {
            assertThat(decoder.decode(png, image.shape())).contains(image);
            assertThat(decoder.decode(png, image.shape())).as("the decoder can be reused").contains(image);
        }
        assertThat(Png.decode(png, image.shape())).isEqualTo(image);
        assertThat(Png.decode(png, image.shape())).isEqualTo(imageIo(png, channels));
    }

    @Test
    void undoesEachOfTheFiveRowFiltersForGrayAndRgb() {
        for (int channels : new int[] {1, 3}) {
            for (CanonicalImage image : List.of(structured(17, 11, channels), random(17, 11, channels, 5))) {
                int[] filters = new int[11];
                for (int y = 0; y < filters.length; y++) {
                    filters[y] = (y + 1) % 5; // the first row, whose "above" is zero, gets Sub; 4 and 9 get None
                }
                byte[] png = png(ihdr(17, 11, 8, channels == 1 ? 0 : 2, 0), idat(filteredRows(image, filters)));
                assertThat(decodeDirectly(png, image.shape())).as("%d channels", channels).isEqualTo(image);
                assertThat(imageIo(png, channels)).isEqualTo(image);
                for (int type = 0; type <= 4; type++) {
                    int[] same = new int[11];
                    Arrays.fill(same, type);
                    byte[] one = png(ihdr(17, 11, 8, channels == 1 ? 0 : 2, 0), idat(filteredRows(image, same)));
                    assertThat(decodeDirectly(one, image.shape())).as("filter %d, %d channels", type, channels).isEqualTo(image);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}x{1}x{2} structured={3}")
    @CsvSource({"1,1,1,false", "1,1,3,true", "28,28,1,true", "28,28,3,true", "64,64,3,true", "64,64,1,false",
            "200,150,3,false", "33,7,3,true"})
    void decodesPngsWrittenByImageIoLikeImageIo(int width, int height, int channels, boolean structured) {
        CanonicalImage image = structured ? structured(width, height, channels) : random(width, height, channels, 99);
        byte[] png = Png.encode(Png.toBufferedImage(image)); // ImageIO's writer: IDATs of at most 32 KiB
        assertThat(png[24]).as("bit depth").isEqualTo((byte) 8);
        assertThat(png[25]).as("colour type").isEqualTo((byte) (channels == 1 ? 0 : 2));
        assertThat(decodeDirectly(png, image.shape())).isEqualTo(image).isEqualTo(imageIo(png, channels));
        assertThat(Png.decode(png, image.shape())).isEqualTo(image);
    }

    /**
     * Which row filters the tests above meet. ImageIO's PNG writer (JDK 21-25, {@code RowFilter.filterRow}) filters
     * only palette images adaptively and writes every gray or RGB row unfiltered, so the parity test on its output
     * covers filter 0 only; {@link PngEncoder}'s RGB rows, which the trainer reads, and the hand-filtered PNGs of
     * {@link #undoesEachOfTheFiveRowFiltersForGrayAndRgb}, which ImageIO reads back too, cover the other four.
     */
    @Test
    void theRowFiltersThatTheTestsMeet() throws Exception {
        for (int channels : new int[] {1, 3}) {
            assertThat(filterTypes(Png.encode(Png.toBufferedImage(structured(64, 64, channels))))).containsExactly(0);
        }
        Set<Integer> encoder = new HashSet<>();
        encoder.addAll(filterTypes(Png.encode(structured(64, 64, 3))));
        encoder.addAll(filterTypes(Png.encode(random(64, 64, 3, 3))));
        assertThat(encoder).as("filter types in PngEncoder's RGB output").hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void aChannelMismatchConvertsToTheSameBytesAsTheImageIoPath() throws IOException {
        byte[] gray = new byte[256];
        for (int i = 0; i < gray.length; i++) {
            gray[i] = (byte) i;
        }
        CanonicalImage allGrays = new CanonicalImage(new ImageShape(16, 16, 1), gray);
        CanonicalImage colours = random(16, 16, 3, 7);
        try (PngEncoder encoder = PngEncoder.compressed()) {
            byte[] grayPng = encoder.encode(allGrays);
            ImageShape asRgb = new ImageShape(16, 16, 3);
            CanonicalImage viaImageIo = Png.fromBufferedImage(ImageIO.read(new ByteArrayInputStream(grayPng)), 3);
            assertThat(Png.decode(grayPng, asRgb)).isEqualTo(viaImageIo);
            assertThat(Png.decode(grayPng, asRgb).shape()).isEqualTo(asRgb);

            byte[] rgbPng = encoder.encode(colours);
            ImageShape asGray = new ImageShape(16, 16, 1);
            CanonicalImage grayViaImageIo = Png.fromBufferedImage(ImageIO.read(new ByteArrayInputStream(rgbPng)), 1);
            assertThat(Png.decode(rgbPng, asGray)).isEqualTo(grayViaImageIo);
            assertThat(Png.decode(rgbPng, asGray).shape()).isEqualTo(asGray);
        }
    }

    @Test
    void pngsOutsideTheSubsetAreLeftToImageIoAndDecodeAsBefore() throws IOException {
        CanonicalImage rgb = structured(20, 12, 3);
        BufferedImage source = Png.toBufferedImage(rgb);
        List<byte[]> others = new ArrayList<>();
        others.add(imageIoPng(convert(source, BufferedImage.TYPE_BYTE_INDEXED), false)); // palette
        others.add(imageIoPng(convert(source, BufferedImage.TYPE_USHORT_GRAY), false)); // 16-bit gray
        others.add(imageIoPng(convert(source, BufferedImage.TYPE_4BYTE_ABGR), false)); // RGB with alpha
        others.add(imageIoPng(convert(source, BufferedImage.TYPE_BYTE_BINARY), false)); // 1-bit
        others.add(imageIoPng(source, true)); // interlaced RGB
        others.add(imageIoPng(convert(source, BufferedImage.TYPE_BYTE_GRAY), true)); // interlaced gray
        byte[] grayAlpha = new byte[12 * (1 + 20 * 2)];
        new Random(1).nextBytes(grayAlpha);
        for (int y = 0; y < 12; y++) {
            grayAlpha[y * 41] = 0;
        }
        others.add(png(ihdr(20, 12, 8, 4, 0), idat(grayAlpha))); // gray with alpha
        CanonicalImage gray = structured(20, 12, 1);
        byte[] transparent = png(ihdr(20, 12, 8, 0, 0), chunk("tRNS", new byte[] {0, 40}), idat(filteredRows(gray, new int[12])));
        others.add(transparent); // gray with a transparent value

        for (byte[] png : others) {
            int bitDepth = png[24];
            int colourType = png[25];
            int interlace = png[28];
            assertThat(bitDepth != 8 || (colourType != 0 && colourType != 2) || interlace != 0 || png == transparent)
                    .as("a PNG outside the subset (depth %d, colour type %d, interlace %d)", bitDepth, colourType, interlace)
                    .isTrue();
            for (int channels : new int[] {1, 3}) {
                ImageShape shape = new ImageShape(20, 12, channels);
                try (PngDecoder decoder = new PngDecoder()) {
                    assertThat(decoder.decode(png, shape)).isEmpty();
                }
                assertThat(Png.decode(png, shape)).isEqualTo(imageIo(png, channels));
            }
        }
        // Out of the subset, the size is still checked first.
        assertThatThrownBy(() -> Png.decode(others.getFirst(), new ImageShape(21, 12, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Expected a 21x12 image but got 20x12");
    }

    @Test
    void imageIoGetsAPngOutsideTheSubsetWithoutItsAncillaryChunks() throws IOException {
        byte[] palette = imageIoPng(convert(Png.toBufferedImage(structured(20, 12, 3)), BufferedImage.TYPE_BYTE_INDEXED), false);
        assertThat(palette[25]).as("colour type").isEqualTo((byte) 3);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        text.writeBytes("Comment\0\0".getBytes(StandardCharsets.ISO_8859_1)); // keyword, separator, method 0
        text.writeBytes(zlib(new byte[16 << 20], Deflater.BEST_COMPRESSION)); // 16 MiB of text in about 16 KiB
        byte[] bomb = splice(palette, 33, chunk("zTXt", text.toByteArray()));
        ImageShape shape = new ImageShape(20, 12, 3);
        try (PngDecoder decoder = new PngDecoder()) {
            assertThat(decoder.withoutAncillaryChunks(bomb)).containsExactly(decoder.withoutAncillaryChunks(palette));
        }
        assertThat(Png.decode(bomb, shape)).isEqualTo(imageIo(palette, 3));

        byte[] badCrc = splice(palette, 33, chunk("tEXt", "a\0b".getBytes(StandardCharsets.US_ASCII)));
        badCrc[33 + 12 + 2] ^= 1;
        assertThatThrownBy(() -> Png.decode(badCrc, shape)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The tEXt chunk at offset 33 of the PNG fails its CRC check: the bytes are corrupt.");
        assertThatThrownBy(() -> Png.decode(Arrays.copyOf(palette, palette.length - 12), shape))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without an IEND chunk");
    }

    @Test
    void ancillaryChunksAndSplitImageDataDecodeTheSame() {
        CanonicalImage image = structured(28, 28, 1);
        byte[] data = zlib(filteredRows(image, new int[28]), Deflater.BEST_COMPRESSION);
        List<byte[]> chunks = new ArrayList<>();
        chunks.add(ihdr(28, 28, 8, 0, 0));
        chunks.add(chunk("gAMA", new byte[] {0, 0, (byte) 0xb1, (byte) 0x8f}));
        chunks.add(chunk("tEXt", "Comment\0split".getBytes(StandardCharsets.ISO_8859_1)));
        chunks.add(chunk("IDAT", new byte[0]));
        for (int i = 0; i < data.length; i++) {
            chunks.add(chunk("IDAT", new byte[] {data[i]})); // one byte a chunk
        }
        chunks.add(chunk("tRNS", new byte[] {0, 1})); // after the image data: ImageIO ignores it too
        chunks.add(chunk("tIME", new byte[7]));
        byte[] png = png(chunks.toArray(byte[][]::new));
        assertThat(decodeDirectly(png, image.shape())).isEqualTo(image);
        assertThat(Png.decode(png, image.shape())).isEqualTo(image);
        byte[] trailing = Arrays.copyOf(png, png.length + 5); // bytes after IEND are ignored, as ImageIO does
        assertThat(decodeDirectly(trailing, image.shape())).isEqualTo(image);
    }

    @Test
    void everyTruncationOfAValidPngIsRefused() {
        for (CanonicalImage image : List.of(structured(28, 28, 1), structured(9, 7, 3))) {
            for (boolean stored : new boolean[] {false, true}) {
                byte[] png;
                try (PngEncoder encoder = stored ? PngEncoder.stored() : PngEncoder.compressed()) {
                    png = encoder.encode(image);
                }
                for (int length = 0; length < png.length; length++) {
                    byte[] cut = Arrays.copyOf(png, length);
                    assertRefused(cut, image.shape(), "cut to " + length + " of " + png.length + " bytes");
                }
            }
        }
    }

    @Test
    void aChangedByteAnywhereIsRefused() {
        for (CanonicalImage image : List.of(structured(28, 28, 1), random(6, 5, 3, 2))) {
            byte[] png = Png.encode(image);
            for (int at = 0; at < png.length; at++) {
                for (int flip : new int[] {0x01, 0x80, 0xff}) {
                    byte[] changed = png.clone();
                    changed[at] ^= (byte) flip;
                    assertRefused(changed, image.shape(), "byte " + at + " xor " + flip);
                }
            }
        }
    }

    @Test
    void aWrongCrcIsRefusedWithTheChunkItIsIn() {
        byte[] png = Png.encode(structured(28, 28, 1));
        byte[] wrong = png.clone();
        wrong[8 + 8 + 13] ^= 1; // IHDR's CRC
        assertThatThrownBy(() -> Png.decode(wrong, ImageShape.FASHION_MNIST)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The IHDR chunk at offset 8 of the PNG fails its CRC check: the bytes are corrupt.");
        byte[] wrongEnd = png.clone();
        wrongEnd[png.length - 1] ^= 1; // IEND's CRC
        assertThatThrownBy(() -> Png.decode(wrongEnd, ImageShape.FASHION_MNIST)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IEND chunk").hasMessageContaining("CRC");
    }

    @Test
    void hostileHeadersAreRefusedBeforeAnythingIsAllocated() {
        ImageShape shape = ImageShape.FASHION_MNIST;
        byte[] rows = new byte[28 * 29];
        assertThatThrownBy(() -> Png.decode(png(ihdr(100_000, 100_000, 8, 0, 0), idat(rows)), shape))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Expected a 28x28 image but got 100000x100000; ingest and trainer must agree on --image-shape.");
        assertThatThrownBy(() -> Png.decode(png(ihdr(-1, -1, 8, 0, 0), idat(rows)), shape))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4294967295x4294967295");
        assertThatThrownBy(() -> Png.decode(png(ihdr(0, 28, 8, 0, 0), idat(rows)), shape))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0x28");
        assertThatThrownBy(() -> Png.decode(png(ihdr(100_000, 100_000, 8, 3, 0), idat(rows)), shape))
                .as("a palette image goes to ImageIO only once its size is right")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Expected a 28x28 image");
        byte[] badMethod = ihdr(28, 28, 8, 0, 0);
        badMethod[8 + 10] = 1; // compression method
        assertThatThrownBy(() -> Png.decode(png(fixCrc(badMethod), idat(rows)), shape))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("compression method 1");
        byte[] declaredHuge = png(ihdr(28, 28, 8, 0, 0), idat(rows));
        declaredHuge[8 + 25] = (byte) 0x7f; // the IDAT's length: 2 GB and some
        assertThatThrownBy(() -> Png.decode(declaredHuge, shape)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching("A chunk at offset 33 of the PNG declares 21307\\d+ bytes of data, but only \\d+ are left\\.");
    }

    @Test
    void imageDataThatInflatesBeyondTheExpectedSizeIsRefusedAsABomb() {
        byte[] bomb = zlib(new byte[4 << 20], Deflater.BEST_COMPRESSION); // 4 MiB of zeros in about 4 KiB
        byte[] png = png(ihdr(28, 28, 8, 0, 0), chunk("IDAT", bomb));
        assertThatThrownBy(() -> Png.decode(png, ImageShape.FASHION_MNIST)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The PNG's image data inflates to more than the 812 bytes a 28x28 gray image needs; it is refused as a possible decompression bomb.");
        byte[] oneTooMany = png(ihdr(28, 28, 8, 0, 0), idat(new byte[28 * 29 + 1]));
        assertThatThrownBy(() -> Png.decode(oneTooMany, ImageShape.FASHION_MNIST)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("decompression bomb");
    }

    @Test
    void inconsistentImageDataIsRefusedWithASentence() {
        ImageShape shape = ImageShape.FASHION_MNIST;
        byte[] rows = new byte[28 * 29];
        byte[] header = ihdr(28, 28, 8, 0, 0);
        List<byte[]> cases = new ArrayList<>();
        cases.add(png(header)); // no IDAT
        cases.add(png(header, idat(Arrays.copyOf(rows, rows.length - 1)))); // one byte short
        cases.add(png(header, chunk("IDAT", Arrays.copyOf(zlib(rows, 6), zlib(rows, 6).length - 6)))); // stream cut
        cases.add(png(header, chunk("IDAT", "not a zlib stream".getBytes(StandardCharsets.US_ASCII))));
        byte[] badAdler = zlib(rows, 6);
        badAdler[badAdler.length - 1] ^= 1;
        cases.add(png(header, chunk("IDAT", badAdler)));
        byte[] badFilter = rows.clone();
        badFilter[29 * 3] = 5;
        cases.add(png(header, idat(badFilter))); // filter type 5 in row 3
        cases.add(png(header, header, idat(rows))); // two IHDR
        cases.add(png(header, idat(rows), chunk("tEXt", "a\0b".getBytes(StandardCharsets.US_ASCII)), idat(new byte[0])));
        byte[] dictionary = {0x78, (byte) 0xbb, 0, 0, 0, 1}; // FDICT set: a preset dictionary
        cases.add(png(header, chunk("IDAT", dictionary)));
        byte[] noEnd = png(header, idat(rows));
        cases.add(Arrays.copyOf(noEnd, noEnd.length - 12)); // no IEND
        cases.add(Arrays.copyOfRange(noEnd, 8, noEnd.length)); // no signature
        cases.add(new byte[0]);
        cases.add(jpeg()); // ImageIO would read it, but it is not a PNG
        for (int i = 0; i < cases.size(); i++) {
            assertRefused(cases.get(i), shape, "case " + i);
        }
        assertThatThrownBy(() -> Png.decode(cases.get(5), shape)).hasMessage("Row 3 of the PNG has filter type 5, but PNG defines filter types 0 to 4 only.");
        assertThatThrownBy(() -> Png.decode(cases.getFirst(), shape)).hasMessage("The PNG has no IDAT chunk, so it holds no image data.");
        assertThatThrownBy(() -> Png.decode(cases.get(1), shape)).hasMessage("The PNG's image data inflates to 811 bytes, but a 28x28 gray image needs 812.");
    }

    @Test
    void corruptImageDataBehindValidCrcsDecodesOrIsRefusedButNeverFailsOtherwise() {
        Random random = new Random(42);
        for (CanonicalImage image : List.of(structured(28, 28, 1), random(12, 9, 3, 1))) {
            byte[] rows = filteredRows(image, IntStream.range(0, image.shape().height()).map(y -> y % 5).toArray());
            byte[] data = zlib(rows, 6);
            try (PngDecoder decoder = new PngDecoder()) {
                for (int round = 0; round < 2_000; round++) {
                    byte[] changed = data.clone();
                    int flips = 1 + random.nextInt(4);
                    for (int i = 0; i < flips; i++) {
                        changed[random.nextInt(changed.length)] ^= (byte) (1 + random.nextInt(255));
                    }
                    byte[] png = png(ihdr(image.shape().width(), image.shape().height(), 8, image.shape().channels() == 1 ? 0 : 2, 0),
                            chunk("IDAT", changed));
                    try {
                        Optional<CanonicalImage> decoded = decoder.decode(png, image.shape());
                        assertThat(decoded).hasValueSatisfying(d -> assertThat(d.shape()).isEqualTo(image.shape()));
                    } catch (IllegalArgumentException e) {
                        assertThat(e.getMessage()).isNotBlank().endsWith(".");
                    }
                }
                // After all that, the same decoder still reads a good image.
                assertThat(decoder.decode(Png.encode(image), image.shape())).contains(image);
            }
        }
    }

    @Test
    void decodesOnManyThreadsAtOnce() {
        List<CanonicalImage> images = IntStream.range(0, 200).mapToObj(i -> random(28, 28, 1, i)).toList();
        List<byte[]> pngs = images.stream().map(Png::encode).toList();
        List<CanonicalImage> decoded = IntStream.range(0, 200).parallel()
                .mapToObj(i -> Png.decode(pngs.get(i), ImageShape.FASHION_MNIST)).toList();
        assertThat(decoded).isEqualTo(images);
    }

    private static void assertRefused(byte[] png, ImageShape shape, String what) {
        try {
            CanonicalImage decoded = Png.decode(png, shape);
            throw new AssertionError(what + ": decoded to " + decoded + " instead of being refused");
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).as(what).isNotBlank().endsWith(".");
        }
    }

    private static CanonicalImage decodeDirectly(byte[] png, ImageShape shape) {
        try (PngDecoder decoder = new PngDecoder()) {
            return decoder.decode(png, shape).orElseThrow(() -> new AssertionError("left to ImageIO"));
        }
    }

    /** What the ImageIO path makes of a PNG. */
    private static CanonicalImage imageIo(byte[] png, int channels) {
        try {
            return Png.fromBufferedImage(ImageIO.read(new ByteArrayInputStream(png)), channels);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static BufferedImage convert(BufferedImage source, int type) {
        BufferedImage out = new BufferedImage(source.getWidth(), source.getHeight(), type);
        out.getGraphics().drawImage(source, 0, 0, null);
        return out;
    }

    private static byte[] imageIoPng(BufferedImage image, boolean interlaced) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(interlaced ? ImageWriteParam.MODE_DEFAULT : ImageWriteParam.MODE_DISABLED);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static byte[] jpeg() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(Png.toBufferedImage(structured(28, 28, 1)), "jpeg", out);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    /** The row filter types in a PNG's image data. */
    private static Set<Integer> filterTypes(byte[] png) throws Exception {
        int width = readInt(png, 16);
        int height = readInt(png, 20);
        int channels = png[25] == 0 ? 1 : 3;
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (int at = 8; at < png.length; at += 12 + readInt(png, at)) {
            if (new String(png, at + 4, 4, StandardCharsets.US_ASCII).equals("IDAT")) {
                data.write(png, at + 8, readInt(png, at));
            }
        }
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data.toByteArray());
            byte[] rows = new byte[height * (1 + width * channels)];
            int n = 0;
            while (n < rows.length && !inflater.finished()) {
                n += inflater.inflate(rows, n, rows.length - n);
            }
            Set<Integer> types = new HashSet<>();
            for (int y = 0; y < height; y++) {
                types.add(rows[y * (1 + width * channels)] & 0xff);
            }
            return types;
        } finally {
            inflater.end();
        }
    }

    /** The rows of an image, row y filtered with {@code filters[y]} (PNG specification, section 9). */
    private static byte[] filteredRows(CanonicalImage image, int[] filters) {
        int stride = image.shape().width() * image.shape().channels();
        int bpp = image.shape().channels();
        byte[] p = image.pixels();
        byte[] out = new byte[image.shape().height() * (stride + 1)];
        for (int y = 0; y < image.shape().height(); y++) {
            int row = y * stride;
            out[y * (stride + 1)] = (byte) filters[y];
            for (int x = 0; x < stride; x++) {
                int raw = p[row + x] & 0xff;
                int left = x >= bpp ? p[row + x - bpp] & 0xff : 0;
                int up = y > 0 ? p[row - stride + x] & 0xff : 0;
                int upLeft = y > 0 && x >= bpp ? p[row - stride + x - bpp] & 0xff : 0;
                int value = switch (filters[y]) {
                    case 0 -> raw;
                    case 1 -> raw - left;
                    case 2 -> raw - up;
                    case 3 -> raw - ((left + up) >>> 1);
                    default -> raw - paeth(left, up, upLeft);
                };
                out[y * (stride + 1) + 1 + x] = (byte) value;
            }
        }
        return out;
    }

    private static int paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        if (pa <= pb && pa <= pc) {
            return a;
        }
        return pb <= pc ? b : c;
    }

    private static byte[] splice(byte[] png, int at, byte[] chunk) {
        byte[] out = new byte[png.length + chunk.length];
        System.arraycopy(png, 0, out, 0, at);
        System.arraycopy(chunk, 0, out, at, chunk.length);
        System.arraycopy(png, at, out, at + chunk.length, png.length - at);
        return out;
    }

    private static byte[] png(byte[]... chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SIGNATURE);
        for (byte[] chunk : chunks) {
            out.writeBytes(chunk);
        }
        out.writeBytes(chunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    private static byte[] ihdr(int width, int height, int bitDepth, int colourType, int interlace) {
        byte[] data = new byte[13];
        putInt(data, 0, width);
        putInt(data, 4, height);
        data[8] = (byte) bitDepth;
        data[9] = (byte) colourType;
        data[12] = (byte) interlace;
        return chunk("IHDR", data);
    }

    private static byte[] idat(byte[] rows) {
        return chunk("IDAT", zlib(rows, 6));
    }

    private static byte[] chunk(String type, byte[] data) {
        byte[] out = new byte[12 + data.length];
        putInt(out, 0, data.length);
        System.arraycopy(type.getBytes(StandardCharsets.US_ASCII), 0, out, 4, 4);
        System.arraycopy(data, 0, out, 8, data.length);
        return fixCrc(out);
    }

    /** A chunk with its CRC recomputed over its type and data. */
    private static byte[] fixCrc(byte[] chunk) {
        CRC32 crc = new CRC32();
        crc.update(chunk, 4, chunk.length - 8);
        putInt(chunk, chunk.length - 4, (int) crc.getValue());
        return chunk;
    }

    private static byte[] zlib(byte[] data, int level) {
        Deflater deflater = new Deflater(level);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    private static CanonicalImage random(int width, int height, int channels, long seed) {
        byte[] pixels = new byte[width * height * channels];
        new Random(seed).nextBytes(pixels);
        return new CanonicalImage(new ImageShape(width, height, channels), pixels);
    }

    /** Gradients, stripes and a disc: rows and columns that the filters predict well, as in real images. */
    private static CanonicalImage structured(int width, int height, int channels) {
        byte[] pixels = new byte[width * height * channels];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int dx = x - width / 2;
                int dy = y - height / 2;
                boolean disc = dx * dx + dy * dy < width * height / 8;
                for (int c = 0; c < channels; c++) {
                    int v = disc ? 200 - c * 30 + (x ^ y) % 7 : x * 3 + y * 2 + c * 50 + ((y / 4) % 2) * 60;
                    pixels[(y * width + x) * channels + c] = (byte) v;
                }
            }
        }
        return new CanonicalImage(new ImageShape(width, height, channels), pixels);
    }
}
