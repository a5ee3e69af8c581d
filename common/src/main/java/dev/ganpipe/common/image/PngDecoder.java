package dev.ganpipe.common.image;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes the PNGs {@link PngEncoder} writes (8-bit gray or 8-bit RGB, not interlaced) without ImageIO.
 * {@code ImageIO.read} looks up a reader, wraps the bytes in an image input stream, builds an inflater and a
 * raster per image: 0.2-0.5 ms of CPU for a 784-byte 28x28 image on a loaded 2-core machine, which the trainer's
 * feed thread took from training. This walks the chunks of the byte array directly: signature, IHDR, the IDAT
 * chunks inflated through one reused {@link Inflater} into the filtered rows, the five PNG row filters (None, Sub,
 * Up, Average, Paeth) undone, IEND. Every chunk's CRC is checked, ancillary chunks are skipped.
 *
 * <p>Hostile input is bounded: the width and height in IHDR must be the expected ones before anything is allocated,
 * and the image data may inflate to no more than the rows of that size need (a zlib bomb stops one byte past).
 * Truncated, corrupt or inconsistent bytes end in an {@link IllegalArgumentException} that says what is wrong.
 *
 * <p>A PNG of the expected size outside that subset (palette, 16-bit or fewer than 8 bits, alpha, gray with alpha,
 * interlaced, a {@code tRNS} transparent colour before the image data, an unknown critical chunk) gives
 * {@link Optional#empty()}: the caller decodes those with ImageIO, as {@link Png#decode} does, so they read as
 * before; {@link #withoutAncillaryChunks} keeps ImageIO's metadata parsing from inflating hostile text chunks.
 * Not thread-safe: one per thread, closed after use.
 */
public final class PngDecoder implements AutoCloseable {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int COLOR_GRAY = 0;
    private static final int COLOR_RGB = 2;

    private static final int IHDR = chunkType("IHDR");
    private static final int PLTE = chunkType("PLTE");
    private static final int IDAT = chunkType("IDAT");
    private static final int IEND = chunkType("IEND");
    private static final int TRNS = chunkType("tRNS");

    /** Length, type and CRC: the bytes of a chunk besides its data. */
    private static final int CHUNK_OVERHEAD = 12;
    private static final int IHDR_LENGTH = 13;
    /** The largest row buffer kept between images; larger images get their own. */
    private static final int MAX_KEPT_ROWS = 1 << 20;

    private final Inflater inflater = new Inflater();
    private final CRC32 crc = new CRC32();
    private byte[] rows = new byte[0];

    /** A decoder with its own {@link Inflater}, reused for every image. */
    public PngDecoder() {
    }

    /**
     * Decodes a PNG whose width and height must be {@code expected}'s. The image has the channels of the file (1 for
     * gray, 3 for RGB), whatever {@code expected.channels()} says: converting is the caller's business.
     *
     * @return the pixels, or empty for a PNG this class leaves to ImageIO (see the class comment)
     * @throws IllegalArgumentException when the bytes are not a PNG, are truncated or corrupt, or have another size
     */
    public Optional<CanonicalImage> decode(byte[] png, ImageShape expected) {
        Objects.requireNonNull(png, "png");
        Objects.requireNonNull(expected, "expected");
        if (png.length < SIGNATURE.length || !startsWithSignature(png)) {
            throw new IllegalArgumentException("The record is not a PNG: it does not start with the 8-byte PNG signature.");
        }
        int at = SIGNATURE.length;
        int length = chunkLength(png, at);
        if (type(png, at) != IHDR || length != IHDR_LENGTH) {
            throw new IllegalArgumentException("The PNG does not begin with a 13-byte IHDR chunk, as the PNG specification requires.");
        }
        checkCrc(png, at, length, "IHDR");
        int width = readInt(png, at + 8);
        int height = readInt(png, at + 12);
        int bitDepth = png[at + 16] & 0xff;
        int colorType = png[at + 17] & 0xff;
        int compression = png[at + 18] & 0xff;
        int filterMethod = png[at + 19] & 0xff;
        int interlace = png[at + 20] & 0xff;
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("The PNG declares a size of " + Integer.toUnsignedString(width) + "x"
                    + Integer.toUnsignedString(height) + ", but width and height must be between 1 and 2^31-1.");
        }
        if (width != expected.width() || height != expected.height()) {
            throw new IllegalArgumentException("Expected a " + expected.width() + "x" + expected.height() + " image but got "
                    + width + "x" + height + "; ingest and trainer must agree on --image-shape.");
        }
        if (compression != 0 || filterMethod != 0) {
            throw new IllegalArgumentException("The PNG declares compression method " + compression + " and filter method "
                    + filterMethod + ", but PNG defines only method 0 for both.");
        }
        if (bitDepth != 8 || (colorType != COLOR_GRAY && colorType != COLOR_RGB) || interlace != 0) {
            return Optional.empty();
        }
        int channels = colorType == COLOR_GRAY ? 1 : 3;
        at += CHUNK_OVERHEAD + IHDR_LENGTH;

        int stride = width * channels;
        int filtered = height * (stride + 1);
        // One spare byte: data that inflates past the rows fills it, and is refused, without inflating any further.
        byte[] raw = rowBuffer(filtered + 1);
        inflater.reset();
        int inflated = 0;
        boolean sawData = false;
        boolean dataEnded = false;
        while (true) {
            if (at == png.length) {
                throw new IllegalArgumentException("The PNG ends without an IEND chunk: it was cut short after "
                        + png.length + " bytes.");
            }
            length = chunkLength(png, at);
            int type = type(png, at);
            checkCrc(png, at, length, chunkName(type));
            if (type == IEND) {
                break;
            }
            if (type == IDAT) {
                if (dataEnded) {
                    throw new IllegalArgumentException("The PNG has IDAT chunks separated by other chunks, but its image data must come in consecutive IDAT chunks.");
                }
                sawData = true;
                if (!inflater.finished()) {
                    inflated = inflate(png, at + 8, length, raw, inflated, filtered, width, height, channels);
                }
            } else {
                dataEnded = sawData;
                if (type == IHDR) {
                    throw new IllegalArgumentException("The PNG has a second IHDR chunk, but the PNG specification allows one.");
                }
                if ((type == TRNS && !sawData) || (isCritical(type) && type != PLTE)) {
                    // A transparent colour (ImageIO then adds alpha; it ignores one after the image data, as this
                    // does), or a critical chunk this class does not know: ImageIO decodes those as before.
                    return Optional.empty();
                }
                // Any other ancillary chunk, and PLTE (a suggested palette for an RGB image, or misplaced): skipped.
            }
            at += CHUNK_OVERHEAD + length;
        }
        if (!sawData) {
            throw new IllegalArgumentException("The PNG has no IDAT chunk, so it holds no image data.");
        }
        if (!inflater.finished()) {
            throw new IllegalArgumentException("The PNG's image data ends early: its zlib stream stops after "
                    + inflated + " of the " + filtered + " bytes a " + width + "x" + height + " image needs.");
        }
        if (inflated != filtered) {
            throw new IllegalArgumentException("The PNG's image data inflates to " + inflated + " bytes, but a " + width
                    + "x" + height + " " + (channels == 1 ? "gray" : "RGB") + " image needs " + filtered + ".");
        }
        byte[] pixels = new byte[height * stride];
        unfilter(raw, pixels, stride, height, channels);
        return Optional.of(new CanonicalImage(new ImageShape(width, height, channels), pixels));
    }

    /**
     * The PNG with its ancillary chunks left out, except {@code tRNS}: what ImageIO should read of a PNG that
     * {@link #decode} leaves to it. None of those chunks changes the pixels ImageIO decodes, but its reader inflates
     * the compressed text chunks of a palette image whole, which a hostile image could make a decompression bomb of.
     * Each chunk is checked as {@link #decode} checks it.
     *
     * @throws IllegalArgumentException when the bytes are not a PNG, are cut short, or a chunk fails its CRC check
     */
    public byte[] withoutAncillaryChunks(byte[] png) {
        Objects.requireNonNull(png, "png");
        if (png.length < SIGNATURE.length || !startsWithSignature(png)) {
            throw new IllegalArgumentException("The record is not a PNG: it does not start with the 8-byte PNG signature.");
        }
        byte[] kept = new byte[png.length];
        System.arraycopy(png, 0, kept, 0, SIGNATURE.length);
        int size = SIGNATURE.length;
        int at = SIGNATURE.length;
        while (true) {
            if (at == png.length) {
                throw new IllegalArgumentException("The PNG ends without an IEND chunk: it was cut short after "
                        + png.length + " bytes.");
            }
            int length = chunkLength(png, at);
            int type = type(png, at);
            checkCrc(png, at, length, chunkName(type));
            if (isCritical(type) || type == TRNS) {
                System.arraycopy(png, at, kept, size, CHUNK_OVERHEAD + length);
                size += CHUNK_OVERHEAD + length;
            }
            if (type == IEND) {
                return size == png.length ? png : Arrays.copyOf(kept, size);
            }
            at += CHUNK_OVERHEAD + length;
        }
    }

    @Override
    public void close() {
        inflater.end();
    }

    /** Inflates one IDAT chunk's data into {@code raw} from {@code inflated} on; returns the new count. */
    private int inflate(byte[] png, int from, int length, byte[] raw, int inflated, int filtered, int width, int height,
            int channels) {
        inflater.setInput(png, from, length);
        try {
            while (true) {
                int before = inflater.getRemaining();
                int n = inflater.inflate(raw, inflated, raw.length - inflated);
                inflated += n;
                if (inflated > filtered) {
                    throw new IllegalArgumentException("The PNG's image data inflates to more than the " + filtered
                            + " bytes a " + width + "x" + height + " " + (channels == 1 ? "gray" : "RGB")
                            + " image needs; it is refused as a possible decompression bomb.");
                }
                if (inflater.finished() || inflater.needsInput()) {
                    break; // done, or on to the next IDAT chunk
                }
                if (inflater.needsDictionary()) {
                    throw new IllegalArgumentException("The PNG's image data asks for a preset zlib dictionary, which PNG does not allow.");
                }
                if (n == 0 && inflater.getRemaining() == before) {
                    // Room left, input left, no progress: not what zlib does; refuse rather than spin.
                    throw new IllegalArgumentException("The PNG's image data could not be inflated any further.");
                }
            }
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("The PNG's image data is not a valid zlib stream ("
                    + Objects.requireNonNullElse(e.getMessage(), "corrupt data") + ").", e);
        }
        return inflated;
    }

    /** Undoes the row filters of the PNG specification (section 9) into {@code pixels}. */
    private static void unfilter(byte[] raw, byte[] pixels, int stride, int height, int bpp) {
        for (int y = 0; y < height; y++) {
            int in = y * (stride + 1) + 1;
            int out = y * stride;
            int up = out - stride; // negative on the first row: "above" reads as zero
            int type = raw[in - 1] & 0xff;
            switch (type) {
                case 0 -> System.arraycopy(raw, in, pixels, out, stride);
                case 1 -> {
                    for (int x = 0; x < stride; x++) {
                        int left = x >= bpp ? pixels[out + x - bpp] : 0;
                        pixels[out + x] = (byte) (raw[in + x] + left);
                    }
                }
                case 2 -> {
                    if (y == 0) {
                        System.arraycopy(raw, in, pixels, out, stride);
                    } else {
                        for (int x = 0; x < stride; x++) {
                            pixels[out + x] = (byte) (raw[in + x] + pixels[up + x]);
                        }
                    }
                }
                case 3 -> {
                    for (int x = 0; x < stride; x++) {
                        int left = x >= bpp ? pixels[out + x - bpp] & 0xff : 0;
                        int above = y > 0 ? pixels[up + x] & 0xff : 0;
                        pixels[out + x] = (byte) (raw[in + x] + ((left + above) >>> 1));
                    }
                }
                case 4 -> {
                    for (int x = 0; x < stride; x++) {
                        int left = x >= bpp ? pixels[out + x - bpp] & 0xff : 0;
                        int above = y > 0 ? pixels[up + x] & 0xff : 0;
                        int upLeft = y > 0 && x >= bpp ? pixels[up + x - bpp] & 0xff : 0;
                        pixels[out + x] = (byte) (raw[in + x] + PngFilters.paeth(left, above, upLeft));
                    }
                }
                default -> throw new IllegalArgumentException("Row " + y + " of the PNG has filter type " + type
                        + ", but PNG defines filter types 0 to 4 only.");
            }
        }
    }

    /** The buffer for the filtered rows: kept between images up to {@link #MAX_KEPT_ROWS} bytes. */
    private byte[] rowBuffer(int size) {
        if (size > MAX_KEPT_ROWS) {
            return new byte[size];
        }
        if (rows.length < size) {
            rows = new byte[size];
        }
        return rows;
    }

    /** The length of the chunk starting at {@code at}, checked to fit, with its type and CRC, in what is left. */
    private static int chunkLength(byte[] png, int at) {
        if (png.length - at < CHUNK_OVERHEAD) {
            throw new IllegalArgumentException("The PNG is cut short: " + (png.length - at)
                    + " bytes are left at offset " + at + ", fewer than the 12 any chunk takes.");
        }
        int length = readInt(png, at);
        if (length < 0 || length > png.length - at - CHUNK_OVERHEAD) {
            throw new IllegalArgumentException("A chunk at offset " + at + " of the PNG declares "
                    + Integer.toUnsignedString(length) + " bytes of data, but only " + (png.length - at - CHUNK_OVERHEAD)
                    + " are left.");
        }
        return length;
    }

    private void checkCrc(byte[] png, int at, int length, String name) {
        crc.reset();
        crc.update(png, at + 4, 4 + length);
        if ((int) crc.getValue() != readInt(png, at + 8 + length)) {
            throw new IllegalArgumentException("The " + name + " chunk at offset " + at
                    + " of the PNG fails its CRC check: the bytes are corrupt.");
        }
    }

    private static boolean startsWithSignature(byte[] png) {
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (png[i] != SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    private static int type(byte[] png, int at) {
        return readInt(png, at + 4);
    }

    /** Bit 5 of the first type byte clear (an upper-case letter): a chunk a decoder must understand. */
    private static boolean isCritical(int type) {
        return (type & 0x2000_0000) == 0;
    }

    /** The chunk type as text for messages, with anything but a letter shown as '?'. */
    private static String chunkName(int type) {
        char[] name = new char[4];
        for (int i = 0; i < 4; i++) {
            int c = (type >>> (24 - 8 * i)) & 0xff;
            name[i] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ? (char) c : '?';
        }
        return new String(name);
    }

    private static int chunkType(String name) {
        return (name.charAt(0) << 24) | (name.charAt(1) << 16) | (name.charAt(2) << 8) | name.charAt(3);
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}
