package dev.ganpipe.quality.data;

import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.image.ModelPixels;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * A labelled set of real images of one shape, held as canonical 8-bit pixels (row-major, channels interleaved, as
 * {@link CanonicalImage}) to keep 60,000 images at 47 MB. Immutable; safe to share between threads.
 */
public final class RealData {

    private final String name;
    private final ImageShape shape;
    private final byte[] pixels;
    private final int[] labels;
    private final List<String> classNames;
    private volatile String sha256;

    private RealData(String name, ImageShape shape, byte[] pixels, int[] labels, List<String> classNames) {
        this.name = name;
        this.shape = shape;
        this.pixels = pixels;
        this.labels = labels;
        this.classNames = classNames;
    }

    /**
     * Wraps images and labels; the arrays are copied.
     *
     * @param name where the images came from, for reports
     * @param pixels {@code count * shape.values()} bytes, image after image, each laid out as {@link CanonicalImage}
     * @param labels one class index per image, each in {@code [0, classNames.size())}
     * @param classNames the class names in index order
     * @throws IllegalArgumentException when sizes disagree or a label is out of range
     */
    public static RealData of(String name, ImageShape shape, byte[] pixels, int[] labels, List<String> classNames) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        List<String> classes = List.copyOf(classNames);
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("A labelled data set needs at least one class name.");
        }
        if (labels.length == 0) {
            throw new IllegalArgumentException("The data set " + name + " holds no images; give a data set with labelled images.");
        }
        if ((long) labels.length * shape.values() != pixels.length) {
            throw new IllegalArgumentException(labels.length + " images of " + shape + " need " + (long) labels.length * shape.values()
                    + " bytes, but " + pixels.length + " were given.");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes.size()) {
                throw new IllegalArgumentException("Image " + i + " of " + name + " has label " + labels[i] + ", outside the "
                        + classes.size() + " classes " + classes + ".");
            }
        }
        return new RealData(name, shape, pixels.clone(), labels.clone(), classes);
    }

    /** Builds a set from canonical images of one shape. */
    public static RealData of(String name, List<CanonicalImage> images, int[] labels, List<String> classNames) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("The data set " + name + " holds no images; give a data set with labelled images.");
        }
        ImageShape shape = images.getFirst().shape();
        byte[] pixels = new byte[Math.multiplyExact(images.size(), shape.values())];
        for (int i = 0; i < images.size(); i++) {
            CanonicalImage image = images.get(i);
            if (!image.shape().equals(shape)) {
                throw new IllegalArgumentException("All images of a data set share one shape, but image " + i + " is " + image.shape()
                        + " and image 0 is " + shape + ".");
            }
            System.arraycopy(image.pixels(), 0, pixels, i * shape.values(), shape.values());
        }
        return new RealData(name, shape, pixels, checkedLabels(name, labels, images.size(), classNames.size()), List.copyOf(classNames));
    }

    private static int[] checkedLabels(String name, int[] labels, int count, int classes) {
        if (labels.length != count) {
            throw new IllegalArgumentException(name + " has " + count + " images but " + labels.length + " labels.");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("Image " + i + " of " + name + " has label " + labels[i] + ", outside the " + classes + " classes.");
            }
        }
        return labels.clone();
    }

    /** Where the images came from. */
    public String name() {
        return name;
    }

    /** The shape of every image. */
    public ImageShape shape() {
        return shape;
    }

    /** The number of images. */
    public int count() {
        return labels.length;
    }

    /** The class names, index order. */
    public List<String> classNames() {
        return classNames;
    }

    /** The number of classes. */
    public int classCount() {
        return classNames.size();
    }

    /** The class index of image {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    /** A copy of all labels. */
    public int[] labels() {
        return labels.clone();
    }

    /** Image {@code i} as a canonical image (a copy of its pixels). */
    public CanonicalImage image(int i) {
        int n = shape.values();
        return new CanonicalImage(shape, Arrays.copyOfRange(pixels, i * n, (i + 1) * n));
    }

    /** How many images each class has. */
    public int[] classCounts() {
        int[] counts = new int[classNames.size()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** Each class's share of the images; sums to 1. */
    public double[] classShares() {
        int[] counts = classCounts();
        double[] shares = new double[counts.length];
        for (int c = 0; c < counts.length; c++) {
            shares[c] = counts[c] / (double) labels.length;
        }
        return shares;
    }

    /**
     * The images at {@code indices} as model input: NCHW floats in [-1, 1], each value as {@link ModelPixels} maps it
     * for the trainer.
     */
    public float[] modelInput(int[] indices) {
        int values = shape.values();
        int plane = shape.width() * shape.height();
        int channels = shape.channels();
        float[] out = new float[Math.multiplyExact(indices.length, values)];
        for (int n = 0; n < indices.length; n++) {
            int src = indices[n] * values;
            int dst = n * values;
            for (int p = 0; p < plane; p++) {
                for (int c = 0; c < channels; c++) {
                    out[dst + c * plane + p] = ModelPixels.toModelValue(pixels[src + p * channels + c]);
                }
            }
        }
        return out;
    }

    /** The images at {@code indices}, in that order, as a new set with the same classes. */
    public RealData subset(int[] indices, String subsetName) {
        int values = shape.values();
        byte[] px = new byte[Math.multiplyExact(indices.length, values)];
        int[] lb = new int[indices.length];
        for (int n = 0; n < indices.length; n++) {
            System.arraycopy(pixels, indices[n] * values, px, n * values, values);
            lb[n] = labels[indices[n]];
        }
        return new RealData(subsetName, shape, px, lb, classNames);
    }

    /**
     * {@code count} distinct image indices drawn with a seeded shuffle (all of them, shuffled, when {@code count}
     * is at least the size): the same seed always picks the same images.
     */
    public int[] sampleIndices(int count, long seed) {
        int[] all = new int[labels.length];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        Random random = new Random(seed);
        int take = Math.min(count, all.length);
        for (int i = 0; i < take; i++) {
            int j = i + random.nextInt(all.length - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return Arrays.copyOf(all, take);
    }

    /**
     * Hex SHA-256 of the shape, class names, pixels and labels: two sets with the same content have the same hash
     * whatever their names, so it keys the classifier cache.
     */
    public String sha256() {
        String hash = sha256;
        if (hash == null) {
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                digest.update((shape + "\n" + String.join("\n", classNames) + "\n").getBytes(StandardCharsets.UTF_8));
                digest.update(pixels);
                ByteBuffer buffer = ByteBuffer.allocate(labels.length * Integer.BYTES);
                buffer.asIntBuffer().put(labels);
                digest.update(buffer.array());
                hash = HexFormat.of().formatHex(digest.digest());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("Every JDK provides SHA-256; this JVM is broken.", e);
            }
            sha256 = hash;
        }
        return hash;
    }

    @Override
    public String toString() {
        return "RealData[" + name + ", " + labels.length + " x " + shape + ", " + classNames.size() + " classes]";
    }
}
