package dev.ganpipe.images.source;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Opens files that may be gzipped, deciding by the gzip magic bytes (0x1f 0x8b), never by the file name. */
final class Compression {

    private static final int BUFFER = 64 * 1024;

    private Compression() {
    }

    /**
     * The decompressed content when {@code in} starts with the gzip magic, else {@code in} itself (buffered).
     *
     * @param name names the content in the message of a corrupt gzip header
     * @throws IOException saying so when the content starts like gzip but its header is truncated or corrupt
     */
    static InputStream maybeGunzip(InputStream in, String name) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, BUFFER);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return new BufferedInputStream(new GZIPInputStream(buffered, BUFFER), BUFFER);
            } catch (IOException e) {
                // GZIPInputStream reads the header at once and reports a short one as an EOFException with no message.
                throw new IOException(name + " starts like a gzip file, but its gzip header is "
                        + (e instanceof EOFException ? "truncated" : "corrupt (" + e.getMessage() + ")")
                        + "; the file is damaged: download or compress it again.", e);
            }
        }
        return buffered;
    }

    /** Opens a file, decompressing it when it is gzipped. */
    static InputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        try {
            return maybeGunzip(raw, file.toString());
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** The first {@code n} bytes of the (decompressed) content, fewer if it is shorter. */
    static byte[] head(Path file, int n) throws IOException {
        try (InputStream in = open(file)) {
            return in.readNBytes(n);
        }
    }
}
