package dev.ganpipe.images.normalize;

import java.util.Optional;

/**
 * The one field of a BMP's header the decoder must see before ImageIO does: its compression. A BMP may embed a
 * whole JPEG or PNG (compression {@code BI_JPEG} or {@code BI_PNG}), whose own header declares its own size, so the
 * BMP's width and height, which {@link ImageDecoder} checks against the pixel limit, say nothing about what ImageIO
 * would allocate. Found by fuzzing: a 67-byte BMP embedding a broken JPEG ran the JVM out of heap.
 */
final class BmpHeader {

    private static final int FILE_HEADER_BYTES = 14;
    /** BITMAPINFOHEADER and its successors start with their own size and carry the compression at offset 16. */
    private static final int INFO_HEADER_MIN_BYTES = 40;
    private static final int COMPRESSION_OFFSET = FILE_HEADER_BYTES + 16;
    private static final int BI_JPEG = 4;
    private static final int BI_PNG = 5;

    private BmpHeader() {
    }

    /** "JPEG" or "PNG" when the BMP's pixels are another image file inside it; empty otherwise, or when too short to say. */
    static Optional<String> embeddedFormat(byte[] bmp) {
        if (bmp.length < COMPRESSION_OFFSET + 4 || littleEndianInt(bmp, FILE_HEADER_BYTES) < INFO_HEADER_MIN_BYTES) {
            return Optional.empty(); // an OS/2 core header, or a truncated file: ImageIO reports those itself
        }
        return switch (littleEndianInt(bmp, COMPRESSION_OFFSET)) {
            case BI_JPEG -> Optional.of("JPEG");
            case BI_PNG -> Optional.of("PNG");
            default -> Optional.empty();
        };
    }

    private static int littleEndianInt(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }
}
