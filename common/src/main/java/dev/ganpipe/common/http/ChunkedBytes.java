package dev.ganpipe.common.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A body's bytes as they arrive, kept in chunks that are never copied until {@link #toArray()} copies them once into
 * an array of the exact size. A {@code ByteArrayOutputStream} doubles and copies: a 9.7 MB upload held a 16 MiB buffer
 * plus 16 MiB of discarded smaller ones, and its final copy; here the bytes held stay within what arrived plus one
 * chunk, the amount an upload's memory allowance is charged. Chunks grow from {@code FIRST} to {@code LARGEST}, so a small
 * body takes little and a large one takes few arrays.
 */
final class ChunkedBytes {

    private static final int FIRST = 16 * 1024;
    private static final int LARGEST = 1024 * 1024;

    private final List<byte[]> full = new ArrayList<>();
    private byte[] current = new byte[0];
    private int filled;
    private long size;

    /**
     * Reads what {@code in} has next into the current chunk.
     *
     * @return the bytes read, or -1 at the end of the stream
     */
    int readFrom(InputStream in) throws IOException {
        if (filled == current.length) {
            if (current.length > 0) {
                full.add(current);
            }
            current = new byte[Math.min(LARGEST, Math.max(FIRST, current.length * 2))];
            filled = 0;
        }
        int n = in.read(current, filled, current.length - filled);
        if (n > 0) {
            filled += n;
            size += n;
        }
        return n;
    }

    /** Bytes read so far. */
    long size() {
        return size;
    }

    /** The bytes read, in one array of their exact size; the chunks are let go. */
    byte[] toArray() {
        byte[] out = new byte[Math.toIntExact(size)];
        int at = 0;
        for (byte[] chunk : full) {
            System.arraycopy(chunk, 0, out, at, chunk.length);
            at += chunk.length;
        }
        System.arraycopy(current, 0, out, at, filled);
        full.clear();
        current = new byte[0];
        filled = 0;
        return out;
    }
}
