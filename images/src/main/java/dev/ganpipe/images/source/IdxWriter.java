package dev.ganpipe.images.source;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;
import java.util.zip.GZIPOutputStream;

/**
 * Writes gray images and their labels as IDX files, as the MNIST releases lay them out (what {@link IdxImageSource}
 * reads): for data sets made by tests and benches, gzipped when a file name ends in {@code .gz}.
 */
public final class IdxWriter {

    private IdxWriter() {
    }

    /**
     * Writes {@code count} images of {@code rows x cols} bytes and their labels.
     *
     * @param image the pixels of image i, {@code rows * cols} bytes
     * @param label the label of image i, 0 to 255
     */
    public static void write(Path imagesFile, Path labelsFile, int count, int rows, int cols, IntFunction<byte[]> image,
            IntUnaryOperator label) throws IOException {
        try (DataOutputStream out = new DataOutputStream(open(imagesFile))) {
            out.writeInt(0x00000803);
            out.writeInt(count);
            out.writeInt(rows);
            out.writeInt(cols);
            for (int i = 0; i < count; i++) {
                byte[] pixels = image.apply(i);
                if (pixels.length != rows * cols) {
                    throw new IllegalArgumentException("Image " + i + " has " + pixels.length + " bytes, but an IDX file of " + rows + "x"
                            + cols + " images needs " + rows * cols + ".");
                }
                out.write(pixels);
            }
        }
        try (DataOutputStream out = new DataOutputStream(open(labelsFile))) {
            out.writeInt(0x00000801);
            out.writeInt(count);
            for (int i = 0; i < count; i++) {
                out.writeByte(label.applyAsInt(i));
            }
        }
    }

    /**
     * A folder holding {@code train-images-idx3-ubyte} and {@code train-labels-idx1-ubyte}: {@code count} distinct 28x28
     * noise images (so every image id appears once), labelled 0 to 9 in turn.
     */
    public static Path noiseSet(Path folder, int count, long seed) throws IOException {
        Files.createDirectories(folder);
        Random random = new Random(seed);
        write(folder.resolve("train-images-idx3-ubyte"), folder.resolve("train-labels-idx1-ubyte"), count, 28, 28, i -> {
            byte[] pixels = new byte[28 * 28];
            random.nextBytes(pixels);
            return pixels;
        }, i -> i % 10);
        return folder;
    }

    private static OutputStream open(Path file) throws IOException {
        OutputStream out = Files.newOutputStream(file);
        return file.getFileName().toString().endsWith(".gz") ? new GZIPOutputStream(out) : out;
    }
}
