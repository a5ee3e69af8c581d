package dev.ganpipe.images.normalize;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes untrusted bytes with ImageIO, in two steps: first the header alone (width and height, read without
 * touching pixel data), which is checked against the limits, then the pixels of the centre crop only. A
 * decompression bomb therefore never gets a pixel buffer. Decoder failures become rejections with the reason the
 * evidence supports: {@code truncated} when the decoder ran out of data, {@code unsupported_format} for JPEG
 * variants the decoder refuses, {@code undecodable} otherwise.
 */
final class ImageDecoder {

    /** A decoded image (the centre crop for the target shape, or the whole image), its header alone, or a refusal. */
    sealed interface Decoding permits Decoded, Header, Refused {
    }

    /** The pixels of the crop (or of the whole image), and the format they came in. */
    record Decoded(BufferedImage image, InputImageFormat format) implements Decoding {
    }

    /** A header that passed the checks: the format and the declared size; no pixel was read. */
    record Header(InputImageFormat format, int width, int height) implements Decoding {
    }

    /** How much of an image to read. */
    private enum Extent {
        /** The header alone. */
        HEADER,
        /** The centre crop with the target shape's aspect ratio: what normalising needs. */
        CROP,
        /** Every pixel: to learn what a dataset's images are. */
        WHOLE
    }

    /** The input was refused. */
    record Refused(Outcome.Rejected rejection) implements Decoding {
    }

    /** Decoders repeat warnings per scan line; a handful is evidence enough. */
    private static final int MAX_WARNINGS = 8;

    private final NormalizerSettings settings;

    ImageDecoder(NormalizerSettings settings) {
        this.settings = settings;
    }

    /** Decodes the centre crop the target shape needs. */
    Decoding decode(byte[] bytes) {
        return decode(bytes, Extent.CROP);
    }

    /** Decodes every pixel, within the same limits. */
    Decoding decodeWhole(byte[] bytes) {
        return decode(bytes, Extent.WHOLE);
    }

    /**
     * The checks {@link #decode} makes before it reads a pixel (format, declared width and height against the limits):
     * the {@link Header} when they pass, else the refusal.
     */
    Decoding header(byte[] bytes) {
        return decode(bytes, Extent.HEADER);
    }

    private Decoding decode(byte[] bytes, Extent extent) {
        Optional<InputImageFormat> sniffed = InputImageFormat.sniff(bytes);
        if (sniffed.isEmpty()) {
            return refuse(ImageRejectReason.UNDECODABLE, "The " + bytes.length + " bytes are not an image in any format this service "
                    + "knows (PNG, JPEG, GIF, BMP); send the image file itself, not a page, an archive or text.");
        }
        InputImageFormat format = sniffed.get();
        if (!format.decodable()) {
            return refuse(ImageRejectReason.UNSUPPORTED_FORMAT, "This is a " + format.name() + " image, which this service does not decode; "
                    + "convert it to PNG or JPEG.");
        }
        if (format == InputImageFormat.BMP) {
            Optional<String> embedded = BmpHeader.embeddedFormat(bytes);
            if (embedded.isPresent()) {
                return refuse(ImageRejectReason.UNSUPPORTED_FORMAT, "This BMP carries a whole " + embedded.get() + " file as its pixels "
                        + "(compression BI_" + embedded.get() + "), whose size its header does not bound; send the "
                        + embedded.get() + " itself, or a plain BMP.");
            }
        }
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
        if (!readers.hasNext()) {
            return refuse(ImageRejectReason.UNSUPPORTED_FORMAT, "This JVM has no decoder for " + format.name() + "; convert the image to PNG.");
        }
        ImageReader reader = readers.next();
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> {
            if (warnings.size() < MAX_WARNINGS) {
                warnings.add(warning);
            }
        });
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            int width;
            int height;
            try {
                width = reader.getWidth(0);
                height = reader.getHeight(0);
            } catch (IOException | RuntimeException e) {
                return new Refused(failure(format, bytes, e, warnings));
            }
            Optional<Outcome.Rejected> limits = checkDimensions(format, width, height);
            if (limits.isPresent()) {
                return new Refused(limits.get());
            }
            if (extent == Extent.HEADER) {
                return new Header(format, width, height);
            }
            ImageReadParam param = reader.getDefaultReadParam();
            if (extent == Extent.CROP) {
                CenterCrop crop = CenterCrop.of(width, height, settings.shape().width(), settings.shape().height());
                param.setSourceRegion(new Rectangle(crop.x(), crop.y(), crop.width(), crop.height()));
            }
            BufferedImage image;
            try {
                image = reader.read(0, param);
            } catch (IOException | RuntimeException e) {
                // ImageIO decoders throw runtime exceptions (index and size errors) on corrupt input: still bad input.
                return new Refused(failure(format, bytes, e, warnings));
            }
            if (warnings.stream().anyMatch(ImageDecoder::meansTruncated)) {
                return refuse(ImageRejectReason.TRUNCATED, "The " + format.name() + " stops before its image data ends (" + warnings.getFirst()
                        + "); send the complete file.");
            }
            return new Decoded(image, format);
        } catch (IOException e) {
            // Closing an in-memory stream does no I/O; treat a failure there like any decoder failure.
            return new Refused(failure(format, bytes, e, warnings));
        } finally {
            reader.dispose();
        }
    }

    private Optional<Outcome.Rejected> checkDimensions(InputImageFormat format, int width, int height) {
        if (width < 1 || height < 1) {
            return Optional.of(new Outcome.Rejected(ImageRejectReason.UNDECODABLE, "The " + format.name() + " header declares "
                    + width + "x" + height + " pixels, which is no image; the file is corrupt."));
        }
        long pixels = (long) width * height;
        if (pixels > settings.maxPixels()) {
            return Optional.of(new Outcome.Rejected(ImageRejectReason.TOO_MANY_PIXELS, "The " + format.name() + " declares "
                    + width + "x" + height + " = " + pixels + " pixels, over the limit of " + settings.maxPixels()
                    + "; it was not decoded. Downscale it first, or raise --max-pixels if it is genuine."));
        }
        if (width < settings.minSide() || height < settings.minSide()) {
            return Optional.of(new Outcome.Rejected(ImageRejectReason.TOO_SMALL, "The image is " + width + "x" + height
                    + " pixels, below the minimum of " + settings.minSide() + " on each side; send a larger image, or lower --min-side."));
        }
        return Optional.empty();
    }

    private static Outcome.Rejected failure(InputImageFormat format, byte[] bytes, Exception e, List<String> warnings) {
        String messages = messages(e);
        String lower = messages.toLowerCase(Locale.ROOT);
        if (lower.contains("unsupported jpeg process") || lower.contains("arithmetic coding") || lower.contains("unsupported image type")) {
            return new Outcome.Rejected(ImageRejectReason.UNSUPPORTED_FORMAT, "This JPEG uses a variant the decoder does not support ("
                    + messages + "); re-save it as a baseline JPEG or as PNG.");
        }
        if (hasCause(e, EOFException.class) || warnings.stream().anyMatch(ImageDecoder::meansTruncated) || endMissing(format, bytes)) {
            return new Outcome.Rejected(ImageRejectReason.TRUNCATED, "The " + format.name() + " ends after " + bytes.length
                    + " bytes, before its image data is complete (" + messages + "); send the complete file.");
        }
        return new Outcome.Rejected(ImageRejectReason.UNDECODABLE, "The " + format.name() + " could not be decoded (" + messages
                + "); check that the file opens in an image viewer and send it again.");
    }

    private static boolean meansTruncated(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        return w.contains("truncated") || w.contains("premature end");
    }

    /** Whether the format's end marker is missing: evidence of truncation once decoding has failed. */
    private static boolean endMissing(InputImageFormat format, byte[] b) {
        return switch (format) {
            case PNG -> indexOf(b, new byte[] {'I', 'E', 'N', 'D'}) < 0;
            case JPEG -> indexOf(b, new byte[] {(byte) 0xff, (byte) 0xd9}) < 0;
            case GIF -> b[b.length - 1] != 0x3b;
            case BMP -> b.length < littleEndianInt(b, 2);
            default -> false;
        };
    }

    private static int littleEndianInt(byte[] b, int offset) {
        return (b[offset] & 0xff) | (b[offset + 1] & 0xff) << 8 | (b[offset + 2] & 0xff) << 16 | (b[offset + 3] & 0xff) << 24;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = haystack.length - needle.length; i >= 0; i--) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String messages(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = e; t != null && out.length() < 300; t = t.getCause()) {
            if (!out.isEmpty()) {
                out.append(": ");
            }
            out.append(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
        }
        return out.toString();
    }

    private static Refused refuse(ImageRejectReason reason, String detail) {
        return new Refused(new Outcome.Rejected(reason, detail));
    }
}
