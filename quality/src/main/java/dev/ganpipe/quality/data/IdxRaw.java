package dev.ganpipe.quality.data;

import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.images.source.IdxFiles;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Reads an IDX images file and its labels straight into memory when the images already have the wanted shape.
 * Ingest's {@code IdxImageSource} hands every image out PNG-encoded (as {@code images.raw} needs), and encoding and
 * decoding 70,000 PNGs again costs minutes on a small shared machine; the bytes of an IDX file already are
 * canonical gray pixels. Any other shape goes through ingest's readers and normaliser.
 */
final class IdxRaw {

    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    /**
     * Pixels and labels of one IDX file.
     *
     * @param pixels count x rows x columns bytes
     * @param labels one label per image, as its number
     */
    record Content(String name, ImageShape shape, byte[] pixels, int[] labels) {
    }

    private IdxRaw() {
    }

    /**
     * The content of {@code location} when it is an IDX images file with a labels file beside it whose images have
     * {@code shape}; empty otherwise (then the general readers take over and say what is wrong).
     */
    static Optional<Content> readIfMatching(String location, ImageShape shape) throws IOException {
        Path images = Path.of(location);
        if (shape.channels() != 1 || !Files.isRegularFile(images) || !IdxFiles.isIdxImages(images)) {
            return Optional.empty();
        }
        Optional<Path> labelsFile = IdxFiles.labelsFor(images);
        if (labelsFile.isEmpty()) {
            return Optional.empty();
        }
        try (DataInputStream in = open(images); DataInputStream labelsIn = open(labelsFile.get())) {
            String name = images.getFileName().toString();
            int magic = in.readInt();
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (magic != IMAGES_MAGIC || rows != shape.height() || cols != shape.width() || count < 1) {
                return Optional.empty();
            }
            if (labelsIn.readInt() != LABELS_MAGIC || labelsIn.readInt() != count) {
                return Optional.empty(); // the general reader explains the mismatch
            }
            byte[] pixels = new byte[Math.multiplyExact(count, rows * cols)];
            byte[] labelBytes = new byte[count];
            try {
                in.readFully(pixels);
                labelsIn.readFully(labelBytes);
            } catch (EOFException e) {
                throw new IOException(name + " or its labels file ends before the " + count + " images its header declares; the file is "
                        + "truncated. Download it again.", e);
            }
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = labelBytes[i] & 0xff;
            }
            return Optional.of(new Content(name, shape, pixels, labels));
        }
    }

    /** Opens a file, gunzipping it when it starts with the gzip magic. */
    private static DataInputStream open(Path file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            InputStream content = b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
            return new DataInputStream(content);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }
}
