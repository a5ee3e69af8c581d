package dev.ganpipe.bench.trainer;

import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.image.ModelPixels;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The bench's images: Fashion-MNIST from an IDX file when one is there, generated images otherwise. The pixel values
 * do not change the cost of a training step, but the Kafka-fed run should move real PNGs of realistic size.
 *
 * @param images canonical images, all of one shape
 * @param source where they came from, for the report
 */
record BenchImages(List<CanonicalImage> images, String source) {

    /** Magic number of an IDX file of unsigned bytes in three dimensions (images). */
    static final int IDX_IMAGES_MAGIC = 0x0000_0803;

    BenchImages {
        images = List.copyOf(images);
        if (images.isEmpty()) {
            throw new IllegalArgumentException("The bench needs at least one image.");
        }
    }

    /**
     * Up to {@code limit} 28x28 grey images from the IDX file at {@code data} (or the {@code train*} images file in
     * that folder), or {@code limit} generated ones when there is no such file.
     *
     * @throws UncheckedIOException when the file exists but cannot be read as IDX images
     */
    static BenchImages fashionMnistOrGenerated(Path data, int limit, long seed) {
        Optional<Path> file = idxImagesFile(data);
        if (file.isEmpty()) {
            return generated(ImageShape.FASHION_MNIST, limit, seed, "generated (no IDX images file at " + data.toAbsolutePath() + ")");
        }
        try {
            List<CanonicalImage> images = readIdx(file.get(), limit);
            return new BenchImages(images, "Fashion-MNIST " + file.get().toAbsolutePath().normalize() + " (first " + images.size() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read IDX images from " + file.get().toAbsolutePath()
                    + "; pass --data with an IDX images file (e.g. train-images-idx3-ubyte.gz) or a folder without one.", e);
        }
    }

    /** {@code count} images of bright rectangles in random colours on a dark background. */
    static BenchImages generated(ImageShape shape, int count, long seed, String source) {
        Random random = new Random(seed);
        List<CanonicalImage> images = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            byte[] px = new byte[shape.values()];
            int w = shape.width() / 4 + random.nextInt(shape.width() / 2);
            int h = shape.height() / 4 + random.nextInt(shape.height() / 2);
            int left = random.nextInt(shape.width() - w);
            int top = random.nextInt(shape.height() - h);
            int[] colour = new int[shape.channels()];
            for (int c = 0; c < colour.length; c++) {
                colour[c] = 128 + random.nextInt(128);
            }
            for (int y = top; y < top + h; y++) {
                for (int x = left; x < left + w; x++) {
                    for (int c = 0; c < shape.channels(); c++) {
                        px[(y * shape.width() + x) * shape.channels() + c] = (byte) colour[c];
                    }
                }
            }
            images.add(new CanonicalImage(shape, px));
        }
        return new BenchImages(images, source);
    }

    /** The shape every image has. */
    ImageShape shape() {
        return images.getFirst().shape();
    }

    /** {@code count} batches of {@code batch} images each, NCHW floats in [-1, 1], taking the images in turn. */
    List<float[]> batches(int count, int batch) {
        int values = shape().values();
        List<float[]> out = new ArrayList<>(count);
        int next = 0;
        for (int b = 0; b < count; b++) {
            float[] pixels = new float[batch * values];
            for (int i = 0; i < batch; i++) {
                ModelPixels.toModelInput(images.get(next++ % images.size()), pixels, i * values);
            }
            out.add(pixels);
        }
        return out;
    }

    private static Optional<Path> idxImagesFile(Path data) {
        if (Files.isRegularFile(data)) {
            return Optional.of(data);
        }
        if (!Files.isDirectory(data)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(data)) {
            return files.filter(p -> p.getFileName().toString().contains("images-idx3"))
                    .min(Comparator.comparing((Path p) -> !p.getFileName().toString().startsWith("train"))
                            .thenComparing(Path::toString));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + data.toAbsolutePath() + "; check --data points at a readable folder.", e);
        }
    }

    private static List<CanonicalImage> readIdx(Path file, int limit) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
                DataInputStream in = new DataInputStream(file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw)) {
            int magic = in.readInt();
            if (magic != IDX_IMAGES_MAGIC) {
                throw new IOException(String.format("%s starts with 0x%08x, not the IDX images magic 0x%08x", file, magic, IDX_IMAGES_MAGIC));
            }
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (rows != 28 || cols != 28) {
                throw new IOException(file + " holds " + rows + "x" + cols + " images, but the bench's dcgan28 needs 28x28");
            }
            int n = Math.min(count, limit);
            List<CanonicalImage> images = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] px = new byte[rows * cols];
                try {
                    in.readFully(px);
                } catch (EOFException e) {
                    throw new IOException(file + " ends after " + i + " of its " + count + " images", e);
                }
                images.add(new CanonicalImage(ImageShape.FASHION_MNIST, px));
            }
            return images;
        }
    }
}
