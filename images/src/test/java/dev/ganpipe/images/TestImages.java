package dev.ganpipe.images;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.function.IntBinaryOperator;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Images made in the tests, good and nasty, so no test depends on files it did not write itself. */
public final class TestImages {

    private TestImages() {
    }

    /** An 8-bit gray image with pixel (x, y) = f(x, y). */
    public static BufferedImage gray(int width, int height, IntBinaryOperator f) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = image.getRaster();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.setSample(x, y, 0, f.applyAsInt(x, y));
            }
        }
        return image;
    }

    /** An ARGB image with pixel (x, y) = f(x, y) as 0xAARRGGBB. */
    public static BufferedImage argb(int width, int height, IntBinaryOperator f) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, f.applyAsInt(x, y));
            }
        }
        return image;
    }

    /** An RGB image of random colours. */
    public static BufferedImage noise(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt());
            }
        }
        return image;
    }

    /** Encodes with ImageIO in the named format. */
    public static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("ImageIO has no writer for " + format + " images of type " + image.getType() + ".");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] png(BufferedImage image) {
        return encode(image, "png");
    }

    /** A 32x32 gray PNG of a gradient: a valid, ordinary input. */
    public static byte[] goodPng() {
        return png(gray(32, 32, (x, y) -> (x * 8 + y) & 0xff));
    }

    /** A PNG cut in half: its image data stops early. */
    public static byte[] truncatedPng() {
        byte[] png = png(noise(64, 64, 1));
        return Arrays.copyOf(png, png.length / 2);
    }

    /**
     * A decompression bomb: a PNG whose header (with a valid CRC) declares {@code width x height} pixels, followed by
     * no image data at all. Decoding it would allocate width x height pixels before noticing.
     */
    public static byte[] pngHeaderOnly(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a});
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /** A baseline JPEG with its frame marker changed to lossless (SOF3), which the JDK's decoder refuses. */
    public static byte[] losslessJpeg() {
        byte[] jpeg = encode(noise(32, 32, 2), "jpeg");
        for (int i = 0; i < jpeg.length - 1; i++) {
            if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == 0xc0) {
                jpeg[i + 1] = (byte) 0xc3;
                return jpeg;
            }
        }
        throw new IllegalStateException("ImageIO wrote a JPEG without a baseline frame marker.");
    }

    /** A four-channel (CMYK) JPEG written from a raster, as print workflows produce. */
    public static byte[] cmykJpeg() {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 40, 40, 4, null);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 40; x++) {
                for (int c = 0; c < 4; c++) {
                    raster.setSample(x, y, c, (x * 6 + c * 50) & 0xff);
                }
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(raster, null, null), writer.getDefaultWriteParam());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** Bytes that are no image. */
    public static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
