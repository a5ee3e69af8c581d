package dev.ganpipe.common.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
 *   <li>{@link #fast()}: the same at zlib's fastest level, a large image's halves on two threads, for what a service
 *   encodes per request.</li>
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

    /** Where {@link #fast()} encoders take their zlib stream, and give it back on {@link #close()}. */
    private static final DeflaterPool ZLIB_FASTEST_POOL = new DeflaterPool(Deflater.BEST_SPEED, false);
    /** The raw streams of a large image's two halves. */
    private static final DeflaterPool RAW_FASTEST_POOL = new DeflaterPool(Deflater.BEST_SPEED, true);

    private final Optional<Deflater> deflater;
    // The pool the deflater goes back to on close; empty for one this encoder owns and ends.
    private final Optional<DeflaterPool> pool;
    private final boolean parallel;
    private boolean closed;
    private final CRC32 crc = new CRC32();
    private final Adler32 adler = new Adler32();
    private final byte[] chunk = new byte[8192];

    private PngEncoder(Optional<Deflater> deflater, Optional<DeflaterPool> pool, boolean parallel) {
        this.deflater = deflater;
        this.pool = pool;
        this.parallel = parallel;
    }

    /** Deflate-compressed PNGs: small, for what is stored and read often. */
    public static PngEncoder compressed() {
        return new PngEncoder(Optional.of(new Deflater(Deflater.DEFAULT_COMPRESSION)), Optional.empty(), false);
    }

    /**
     * Deflate at zlib's fastest level, an image of {@value #PARALLEL_FROM_BYTES} bytes or more in two halves deflated on
     * two threads (as pigz does: the first half ends in a sync flush, the second carries on the same stream, one
     * Adler-32 over both): for a PNG encoded anew for each request, where the CPU is worth more than the bytes and the
     * model's cores idle while it is encoded. On a 64-image Fashion-MNIST grid the level alone takes 0.6 ms against the
     * default level's 1.3 ms, for 4% more bytes.
     */
    public static PngEncoder fast() {
        return new PngEncoder(Optional.of(ZLIB_FASTEST_POOL.take()), Optional.of(ZLIB_FASTEST_POOL), true);
    }

    /** Uncompressed PNGs (stored deflate blocks): nearly free to write, for a hop whose transport compresses. */
    public static PngEncoder stored() {
        return new PngEncoder(Optional.empty(), Optional.empty(), false);
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
        boolean adaptive = deflater.isPresent() && channels == 3;
        byte[] filtered = adaptive ? filter(pixels, width * channels, height, channels) : unfiltered(pixels, width * channels, height);
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + filtered.length);
        out.writeBytes(SIGNATURE);
        byte[] header = new byte[13];
        putInt(header, 0, width);
        putInt(header, 4, height);
        header[8] = 8; // bits per sample
        header[9] = (byte) (channels == 1 ? COLOR_GRAY : COLOR_RGB);
        // compression 0 (deflate), filter method 0 (adaptive), interlace 0 (none): all zero already
        writeChunk(out, "IHDR", header, header.length);
        byte[] compressed = deflater.isEmpty() ? storedZlib(filtered)
                : parallel && filtered.length >= PARALLEL_FROM_BYTES ? deflateHalvesInParallel(filtered)
                : deflate(deflater.get(), filtered);
        writeChunk(out, "IDAT", compressed, compressed.length);
        writeChunk(out, "IEND", new byte[0], 0);
        return out.toByteArray();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true; // a deflater given back twice would be handed to two encoders at once
        deflater.ifPresent(zlib -> pool.ifPresentOrElse(owner -> owner.give(zlib), zlib::end));
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
     * One zlib stream whose deflate data is the first half's blocks, ended by a sync flush (an empty stored block that
     * aligns to a byte, not final), then the second half's, ended as usual: any inflater reads it as one stream. The
     * second half is deflated on the common pool while this thread deflates the first. It could be primed with the
     * first half's last 32 KiB as its dictionary, as pigz does, but on a 64-image Fashion-MNIST grid that made the
     * PNG 20 bytes larger, not smaller (the tiles share little), and cost 0.15 ms of the 0.4.
     */
    private byte[] deflateHalvesInParallel(byte[] data) {
        int half = data.length / 2;
        CompletableFuture<byte[]> second = CompletableFuture.supplyAsync(() -> rawDeflate(data, half, data.length - half, true),
                ForkJoinPool.commonPool());
        byte[] first = rawDeflate(data, 0, half, false);
        byte[] last = second.join();
        adler.reset();
        adler.update(data);
        byte[] out = new byte[ZLIB_FASTEST.length + first.length + last.length + 4];
        System.arraycopy(ZLIB_FASTEST, 0, out, 0, ZLIB_FASTEST.length);
        System.arraycopy(first, 0, out, ZLIB_FASTEST.length, first.length);
        System.arraycopy(last, 0, out, ZLIB_FASTEST.length + first.length, last.length);
        putInt(out, out.length - 4, (int) adler.getValue());
        return out;
    }

    /** Raw deflate (no zlib header or checksum) of a range at the fastest level, finished or ended by a sync flush. */
    private static byte[] rawDeflate(byte[] data, int from, int length, boolean last) {
        Deflater raw = RAW_FASTEST_POOL.take();
        try {
            raw.setInput(data, from, length);
            // Room for the worst case (incompressible input in stored blocks) so one call nearly always does it all.
            byte[] buffer = new byte[length + (length >>> 8) + 64];
            int size = 0;
            if (last) {
                raw.finish();
                while (!raw.finished()) {
                    buffer = roomFor(buffer, size);
                    size += raw.deflate(buffer, size, buffer.length - size);
                }
            } else {
                // A sync flush is complete once it leaves room in the buffer (Deflater's documented contract).
                do {
                    buffer = roomFor(buffer, size);
                    size += raw.deflate(buffer, size, buffer.length - size, Deflater.SYNC_FLUSH);
                } while (size == buffer.length);
            }
            return Arrays.copyOf(buffer, size);
        } finally {
            RAW_FASTEST_POOL.give(raw);
        }
    }

    /** {@code buffer}, or a larger copy of it when it is full. */
    private static byte[] roomFor(byte[] buffer, int size) {
        return size < buffer.length ? buffer : Arrays.copyOf(buffer, buffer.length * 2);
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
