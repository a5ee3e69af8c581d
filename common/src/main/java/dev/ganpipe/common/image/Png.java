package dev.ganpipe.common.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * PNG encoding and decoding of canonical images (deterministic: the same pixels give the same bytes). Both directions
 * avoid ImageIO for the PNGs this project writes: {@link PngEncoder} writes them, {@link PngDecoder} reads them back
 * (ImageIO took 0.2-0.5 ms of CPU per 28x28 image either way, which the trainer's feed thread took from training on
 * a 2-core machine). Other PNGs still go through ImageIO, which {@link #encode(BufferedImage)} also uses.
 */
public final class Png {

    /** One decoder a thread: {@link PngDecoder} reuses its inflater and row buffer and is not thread-safe. */
    private static final ThreadLocal<PngDecoder> DECODERS = ThreadLocal.withInitial(PngDecoder::new);

    private Png() {
    }

    /**
     * Encodes a canonical image as PNG (8-bit gray or 8-bit RGB) with {@link PngEncoder}, which is many times faster
     * than ImageIO's writer (that one caches through a temporary file per image).
     */
    public static byte[] encode(CanonicalImage image) {
        try (PngEncoder encoder = PngEncoder.compressed()) {
            return encoder.encode(image);
        }
    }

    /** Encodes any BufferedImage as PNG. */
    public static byte[] encode(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024 + image.getWidth() * image.getHeight());
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("This JVM has no PNG writer; use a standard JDK build.");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Writing a PNG into memory failed.", e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes a PNG produced by {@link #encode(CanonicalImage)} (the format of {@code images.train}) into an image of
     * the expected shape. 8-bit gray and RGB PNGs that are not interlaced, which is all {@link PngEncoder} writes, are
     * decoded by {@link PngDecoder} (one per thread). Any other PNG is decoded by ImageIO, once {@link PngDecoder} has
     * checked its width and height and its chunks, and has left out the ancillary chunks but {@code tRNS}. A file
     * with other channels than expected is converted as {@link #fromBufferedImage(BufferedImage, int)} converts what
     * ImageIO reads: the same bytes either way. Bytes without the PNG signature are refused, even an image ImageIO
     * could read in another format.
     *
     * @throws IllegalArgumentException when the bytes are not a PNG of the expected shape, or are truncated or corrupt
     */
    public static CanonicalImage decode(byte[] png, ImageShape expected) {
        PngDecoder decoder = DECODERS.get();
        Optional<CanonicalImage> direct = decoder.decode(png, expected);
        if (direct.isEmpty()) {
            return decodeWithImageIo(decoder.withoutAncillaryChunks(png), expected);
        }
        CanonicalImage image = direct.get();
        if (image.shape().channels() == expected.channels()) {
            return image;
        }
        // ImageIO reads these PNGs as TYPE_BYTE_GRAY or TYPE_3BYTE_BGR, which is what toBufferedImage builds.
        return fromBufferedImage(toBufferedImage(image), expected.channels());
    }

    /** The ImageIO path of {@link #decode}, for PNGs that {@link PngDecoder} leaves to it. */
    private static CanonicalImage decodeWithImageIo(byte[] png, ImageShape expected) {
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(png));
        } catch (IOException e) {
            throw new IllegalArgumentException("The record is not a readable PNG: " + sentence(e.getMessage()), e);
        } catch (RuntimeException e) {
            // ImageIO's readers throw index and size errors on some corrupt input: still a record that is not a PNG.
            throw new IllegalArgumentException("The record is not a readable PNG: ImageIO failed with " + e + ".", e);
        }
        if (image == null) {
            throw new IllegalArgumentException("The record is not an image ImageIO can read.");
        }
        if (image.getWidth() != expected.width() || image.getHeight() != expected.height()) {
            throw new IllegalArgumentException("Expected a " + expected.width() + "x" + expected.height()
                    + " image but got " + image.getWidth() + "x" + image.getHeight() + "; ingest and trainer must agree on --image-shape.");
        }
        return fromBufferedImage(image, expected.channels());
    }

    /** A reason from ImageIO as the end of a sentence. */
    private static String sentence(String reason) {
        if (reason == null || reason.isBlank()) {
            return "no reason given.";
        }
        String trimmed = reason.strip();
        return trimmed.endsWith(".") ? trimmed : trimmed + ".";
    }

    /** Converts to a BufferedImage of type BYTE_GRAY or 3BYTE_BGR. */
    public static BufferedImage toBufferedImage(CanonicalImage image) {
        ImageShape s = image.shape();
        if (s.channels() == 1) {
            BufferedImage out = new BufferedImage(s.width(), s.height(), BufferedImage.TYPE_BYTE_GRAY);
            byte[] data = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
            System.arraycopy(image.pixels(), 0, data, 0, data.length);
            return out;
        }
        BufferedImage out = new BufferedImage(s.width(), s.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] data = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        byte[] rgb = image.pixels();
        for (int i = 0; i < rgb.length; i += 3) {
            data[i] = rgb[i + 2];
            data[i + 1] = rgb[i + 1];
            data[i + 2] = rgb[i];
        }
        return out;
    }

    /** Reads any decoded image into canonical bytes with the given channel count (no resizing). */
    public static CanonicalImage fromBufferedImage(BufferedImage image, int channels) {
        ImageShape shape = new ImageShape(image.getWidth(), image.getHeight(), channels);
        byte[] pixels = new byte[shape.values()];
        if (channels == 1 && image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            image.getRaster().getDataElements(0, 0, image.getWidth(), image.getHeight(), pixels);
            return new CanonicalImage(shape, pixels);
        }
        int i = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int argb = image.getRGB(x, y);
                int r = (argb >> 16) & 0xff;
                int g = (argb >> 8) & 0xff;
                int b = argb & 0xff;
                if (channels == 1) {
                    pixels[i++] = (byte) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
                } else {
                    pixels[i++] = (byte) r;
                    pixels[i++] = (byte) g;
                    pixels[i++] = (byte) b;
                }
            }
        }
        return new CanonicalImage(shape, pixels);
    }
}
