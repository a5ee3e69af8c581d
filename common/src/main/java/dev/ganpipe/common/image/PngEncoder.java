package dev.ganpipe.common.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Encodes 8-bit gray or RGB pixels as PNG without ImageIO. {@code ImageIO.write} to a stream caches through a
 * temporary file per image by default and builds a writer and a zlib stream each time: about 1.5 ms for a 28x28
 * image on a loaded 2-core machine, which made PNG encoding the CLI's and the normaliser's bottleneck. This writes
 * the three chunks directly. Three flavours:
 * <ul>
 *   <li>{@link #compressed()}: deflate with one reused {@link Deflater}; rows unfiltered for gray (on Fashion-MNIST
 *   that is both smaller, 456 against 511 bytes a mean, and cheaper than adaptive filtering) and adaptively filtered
 *   for RGB (the filter whose output has the smallest sum of absolute values, as libpng does). For
 *   {@code images.train}, which is kept and read many times.</li>
 *   <li>{@link #fast()}: rows filtered Up and deflated by Huffman coding alone, a large image's halves on two
 *   threads, for what a service encodes per request.</li>
 *   <li>{@link #stored()}: the pixels in stored (uncompressed) deflate blocks, no zlib call at all. For
 *   {@code images.raw} from the CLI: the producer compresses whole batches with lz4 anyway, far cheaper per byte
 *   than zlib per image, and the normaliser decodes the image once and re-encodes it.</li>
 * </ul>
 * Deterministic: the same pixels give the same bytes. Not thread-safe: one per thread, closed after use.
 */
public final class PngEncoder implements AutoCloseable {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int COLOR_GRAY = 0;
    private static final int COLOR_RGB = 2;

    /** The most bytes one stored deflate block holds. */
    private static final int MAX_STORED_BLOCK = 65_535;

    /**
     * Filtered bytes from which {@link #fast()} deflates the two halves of an image on two threads: below it, the
     * second thread's start-up costs more than it saves (a 64-image 28x28 grid is 58,806 bytes).
     */
    static final int PARALLEL_FROM_BYTES = 32 * 1024;
    /** zlib's header for deflate with a 32 KiB window at the fastest level (RFC 1950: a multiple of 31). */
    private static final byte[] ZLIB_FASTEST = {0x78, 0x01};

    /** How an encoder filters the rows before they are deflated (PNG filter method 0). */
    private enum Rows {
        /** Filter type None on every row. */
        UNFILTERED,
        /** Filter type Up on every row: each byte minus the one above, one vectorisable subtraction per byte. */
        UP,
        /** Per row, the filter type whose output has the smallest sum of absolute values, as libpng chooses. */
        ADAPTIVE_FOR_RGB
    }

    /** How the filtered rows become deflate data. */
    private enum Deflate {
        /** zlib, with the encoder's own {@link Deflater}. */
        ZLIB,
        /** One {@link HuffmanBlock} of literals, or two deflated on two threads for a large image. */
        HUFFMAN_ONLY,
        /** Stored blocks: no compression at all. */
        STORED
    }

    // Present for Deflate.ZLIB only; the encoder ends it on close.
    private final Optional<Deflater> deflater;
    private final Rows rows;
    private final Deflate deflate;
    private final CRC32 crc = new CRC32();
    private final Adler32 adler = new Adler32();
    private final byte[] chunk = new byte[8192];

    private PngEncoder(Optional<Deflater> deflater, Rows rows, Deflate deflate) {
        this.deflater = deflater;
        this.rows = rows;
        this.deflate = deflate;
    }

    /** Deflate-compressed PNGs: small, for what is stored and read often. */
    public static PngEncoder compressed() {
        return new PngEncoder(Optional.of(new Deflater(Deflater.DEFAULT_COMPRESSION)), Rows.ADAPTIVE_FOR_RGB, Deflate.ZLIB);
    }

    /**
     * For a PNG encoded anew for each request, where the CPU is worth more than the bytes and the model's cores idle
     * while it is encoded. Every row is filtered Up (one subtraction per byte) and deflated by {@link HuffmanBlock}:
     * Huffman codes alone, without zlib's search for repeated strings, which on filtered GAN output saves 3% of the
     * bytes for twice to four times the time. An image of {@value #PARALLEL_FROM_BYTES} bytes or more is deflated in two
     * halves on two threads (as pigz does: the first half ends in a sync flush, the second carries on the same stream,
     * one Adler-32 over both). Measured on a 2-core machine against zlib's fastest level on two threads, the encoder
     * before (docs/generator.md): a 64-image 28x28 grid in 0.2 ms instead of 0.5, 3% larger from a fresh generator and
     * 1% smaller from a trained one; a 64-image 64x64 RGB grid in 3.1 ms instead of 18.5, 9% larger.
     */
    public static PngEncoder fast() {
        return new PngEncoder(Optional.empty(), Rows.UP, Deflate.HUFFMAN_ONLY);
    }

    /** Uncompressed PNGs (stored deflate blocks): nearly free to write, for a hop whose transport compresses. */
    public static PngEncoder stored() {
        return new PngEncoder(Optional.empty(), Rows.UNFILTERED, Deflate.STORED);
    }

    /** Encodes a canonical image (1 or 3 channels). */
    public byte[] encode(CanonicalImage image) {
        ImageShape shape = image.shape();
        return encode(image.pixels(), shape.width(), shape.height(), shape.channels());
    }

    /**
     * Encodes interleaved 8-bit pixels, row by row.
     *
     * @param channels 1 (gray) or 3 (RGB)
     */
    public byte[] encode(byte[] pixels, int width, int height, int channels) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("A PNG here has 1 (gray) or 3 (RGB) channels, not " + channels + ".");
        }
        if (width < 1 || height < 1 || (long) width * height * channels != pixels.length) {
            throw new IllegalArgumentException("Expected " + width + "x" + height + "x" + channels + " = "
                    + ((long) width * height * channels) + " pixel bytes but got " + pixels.length + ".");
        }
        int stride = width * channels;
        byte[] filtered = switch (rows) {
            case UNFILTERED -> unfiltered(pixels, stride, height);
            case UP -> up(pixels, stride, height);
            case ADAPTIVE_FOR_RGB -> channels == 3 ? filter(pixels, stride, height, channels) : unfiltered(pixels, stride, height);
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + filtered.length);
        out.writeBytes(SIGNATURE);
        byte[] header = new byte[13];
        putInt(header, 0, width);
        putInt(header, 4, height);
        header[8] = 8; // bits per sample
        header[9] = (byte) (channels == 1 ? COLOR_GRAY : COLOR_RGB);
        // compression 0 (deflate), filter method 0 (adaptive), interlace 0 (none): all zero already
        writeChunk(out, "IHDR", header, header.length);
        byte[] compressed = switch (deflate) {
            case ZLIB -> deflate(deflater.orElseThrow(), filtered);
            case HUFFMAN_ONLY -> huffmanZlib(filtered);
            case STORED -> storedZlib(filtered);
        };
        writeChunk(out, "IDAT", compressed, compressed.length);
        writeChunk(out, "IEND", new byte[0], 0);
        return out.toByteArray();
    }

    @Override
    public void close() {
        deflater.ifPresent(Deflater::end); // Deflater.end is safe to call twice
    }

    private byte[] deflate(Deflater zlib, byte[] data) {
        zlib.reset();
        zlib.setInput(data);
        zlib.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
        while (!zlib.finished()) {
            int n = zlib.deflate(chunk);
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }

    /**
     * A zlib stream of {@link HuffmanBlock}s: one for a small image; for one of {@value #PARALLEL_FROM_BYTES} bytes or
     * more, the first half's block ended by a sync flush (so it ends on a byte and is not final), then the second
     * half's, deflated on the common pool while this thread deflates the first. Any inflater reads it as one stream.
     */
    private byte[] huffmanZlib(byte[] data) {
        byte[] first;
        byte[] last;
        if (data.length >= PARALLEL_FROM_BYTES) {
            int half = data.length / 2;
            CompletableFuture<byte[]> second = CompletableFuture.supplyAsync(
                    () -> HuffmanBlock.deflate(data, half, data.length - half, true), ForkJoinPool.commonPool());
            first = HuffmanBlock.deflate(data, 0, half, false);
            last = second.join();
        } else {
            first = new byte[0];
            last = HuffmanBlock.deflate(data, 0, data.length, true);
        }
        adler.reset();
        adler.update(data);
        byte[] out = new byte[ZLIB_FASTEST.length + first.length + last.length + 4];
        System.arraycopy(ZLIB_FASTEST, 0, out, 0, ZLIB_FASTEST.length);
        System.arraycopy(first, 0, out, ZLIB_FASTEST.length, first.length);
        System.arraycopy(last, 0, out, ZLIB_FASTEST.length + first.length, last.length);
        putInt(out, out.length - 4, (int) adler.getValue());
        return out;
    }

    /** A zlib stream of stored blocks (RFC 1950/1951): header, blocks of up to 65,535 bytes, Adler-32. */
    private byte[] storedZlib(byte[] data) {
        int blocks = Math.max(1, (data.length + MAX_STORED_BLOCK - 1) / MAX_STORED_BLOCK);
        byte[] out = new byte[2 + blocks * 5 + data.length + 4];
        out[0] = 0x78; // deflate, 32 KiB window
        out[1] = 0x01; // no dictionary, fastest; (0x78 << 8 | 0x01) is a multiple of 31 as RFC 1950 requires
        int at = 2;
        int from = 0;
        for (int b = 0; b < blocks; b++) {
            int length = Math.min(MAX_STORED_BLOCK, data.length - from);
            out[at++] = (byte) (b == blocks - 1 ? 1 : 0); // BFINAL on the last block, BTYPE 00 (stored)
            out[at++] = (byte) length;
            out[at++] = (byte) (length >>> 8);
            out[at++] = (byte) ~length;
            out[at++] = (byte) (~length >>> 8);
            System.arraycopy(data, from, out, at, length);
            at += length;
            from += length;
        }
        adler.reset();
        adler.update(data);
        putInt(out, at, (int) adler.getValue());
        return out;
    }

    /** Every row with filter type 0 (None). */
    private static byte[] unfiltered(byte[] pixels, int stride, int height) {
        byte[] out = new byte[(stride + 1) * height];
        for (int y = 0; y < height; y++) {
            System.arraycopy(pixels, y * stride, out, y * (stride + 1) + 1, stride);
        }
        return out;
    }

    /** Every row with filter type 2 (Up): each byte minus the byte above it, the first row as it is. */
    private static byte[] up(byte[] pixels, int stride, int height) {
        byte[] out = new byte[(stride + 1) * height];
        for (int y = 0; y < height; y++) {
            int to = y * (stride + 1);
            out[to] = 2;
            int row = y * stride;
            if (y == 0) {
                System.arraycopy(pixels, 0, out, 1, stride);
                continue;
            }
            int above = row - stride;
            for (int x = 0; x < stride; x++) {
                out[to + 1 + x] = (byte) (pixels[row + x] - pixels[above + x]);
            }
        }
        return out;
    }

    /** Each row prefixed with the filter type that leaves the smallest sum of absolute values. */
    private static byte[] filter(byte[] pixels, int stride, int height, int bpp) {
        byte[] out = new byte[(stride + 1) * height];
        byte[] candidate = new byte[stride];
        for (int y = 0; y < height; y++) {
            int row = y * stride;
            int prev = row - stride; // negative on the first row: "above" reads as zero
            long bestSum = Long.MAX_VALUE;
            for (int type = 0; type <= 4; type++) {
                long sum = 0;
                for (int x = 0; x < stride; x++) {
                    int raw = pixels[row + x] & 0xff;
                    int left = x >= bpp ? pixels[row + x - bpp] & 0xff : 0;
                    int up = prev >= 0 ? pixels[prev + x] & 0xff : 0;
                    int upLeft = prev >= 0 && x >= bpp ? pixels[prev + x - bpp] & 0xff : 0;
                    int value = switch (type) {
                        case 0 -> raw;
                        case 1 -> raw - left;
                        case 2 -> raw - up;
                        case 3 -> raw - ((left + up) >>> 1);
                        default -> raw - PngFilters.paeth(left, up, upLeft);
                    };
                    byte b = (byte) value;
                    candidate[x] = b;
                    sum += Math.abs((int) b);
                }
                if (sum < bestSum) {
                    bestSum = sum;
                    out[y * (stride + 1)] = (byte) type;
                    System.arraycopy(candidate, 0, out, y * (stride + 1) + 1, stride);
                }
            }
        }
        return out;
    }

    private void writeChunk(ByteArrayOutputStream out, String type, byte[] data, int length) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        byte[] four = new byte[4];
        putInt(four, 0, length);
        out.writeBytes(four);
        out.writeBytes(typeBytes);
        out.write(data, 0, length);
        crc.reset();
        crc.update(typeBytes);
        crc.update(data, 0, length);
        putInt(four, 0, (int) crc.getValue());
        out.writeBytes(four);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
