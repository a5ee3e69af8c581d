package dev.ganpipe.images.source;

import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.image.PngEncoder;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.ZipException;

/**
 * Reads an IDX images file (magic 0x00000803: unsigned bytes, three dimensions: count, rows, columns), gzipped or
 * not, with its optional labels file (magic 0x00000801). {@link #next()} encodes each image as an 8-bit gray PNG,
 * since {@code images.raw} holds encoded images only, and streams: one image in memory at a time.
 * {@link #readRemaining()} hands out the pixels as the file stores them, which already is the canonical gray layout,
 * for readers that want pixels: encoding and decoding 70,000 PNGs again costs minutes on a small shared machine.
 */
public final class IdxImageSource implements ImageSource {

    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;
    /** The largest array a JVM reliably allocates. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    /**
     * Images of one shape as an IDX file stores them.
     *
     * @param pixels the images one after another, {@code shape.values()} bytes each
     * @param labels one label per image, as its number; empty when the file has no labels file
     */
    public record Pixels(ImageShape shape, byte[] pixels, int[] labels) {

        /** How many images the pixels hold. */
        public int count() {
            return pixels.length / shape.values();
        }
    }

    private final String name;
    private final DataInputStream images;
    private final Optional<DataInputStream> labels;
    private final int count;
    private final ImageShape shape;
    private final PngEncoder png = PngEncoder.stored();
    private int index;

    private IdxImageSource(String name, DataInputStream images, Optional<DataInputStream> labels, int count, ImageShape shape) {
        this.name = name;
        this.images = images;
        this.labels = labels;
        this.count = count;
        this.shape = shape;
    }

    /** Opens an images file and, when one lies beside it, its labels file (see {@link IdxFiles#labelsFor}). */
    public static IdxImageSource open(Path imagesFile) throws IOException {
        return open(imagesFile, IdxFiles.labelsFor(imagesFile));
    }

    /** Opens an images file and the given labels file, if any. */
    public static IdxImageSource open(Path imagesFile, Optional<Path> labelsFile) throws IOException {
        InputStream images = Compression.open(imagesFile);
        try {
            Optional<InputStream> labels = labelsFile.isPresent() ? Optional.of(Compression.open(labelsFile.get())) : Optional.empty();
            try {
                return of(imagesFile.getFileName().toString(), images, labels);
            } catch (IOException | RuntimeException e) {
                if (labels.isPresent()) {
                    labels.get().close();
                }
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            images.close();
            throw e;
        }
    }

    /**
     * Reads IDX content from streams (gzipped or not); the source closes them.
     *
     * @param name names the images in source ids ({@code name#index}) and messages
     * @throws IOException when a header is not an IDX header of the right kind, or the two files disagree
     */
    public static IdxImageSource of(String name, InputStream imagesIn, Optional<InputStream> labelsIn) throws IOException {
        DataInputStream images = new DataInputStream(Compression.maybeGunzip(imagesIn, name));
        Optional<DataInputStream> labels = labelsIn.isPresent()
                ? Optional.of(new DataInputStream(Compression.maybeGunzip(labelsIn.get(), "The labels file beside " + name)))
                : Optional.empty();
        int magic = readHeaderInt(images, name);
        if (magic != IMAGES_MAGIC) {
            throw new IOException(name + " does not start with the IDX images magic 0x00000803 but with 0x" + String.format("%08x", magic)
                    + (magic == LABELS_MAGIC ? "; it is a labels file: pass the matching images file instead." : "; it is not an IDX images file."));
        }
        int count = readHeaderInt(images, name);
        int rows = readHeaderInt(images, name);
        int cols = readHeaderInt(images, name);
        if (count < 0 || rows < 1 || cols < 1 || rows > 4096 || cols > 4096) {
            throw new IOException(name + " declares " + count + " images of " + rows + "x" + cols + " pixels, which is not a valid IDX images header.");
        }
        if (labels.isPresent()) {
            String labelsName = name + " (labels)";
            int labelsMagic = readHeaderInt(labels.get(), labelsName);
            if (labelsMagic != LABELS_MAGIC) {
                throw new IOException("The labels file beside " + name + " does not start with the IDX labels magic 0x00000801 but with 0x"
                        + String.format("%08x", labelsMagic) + "; remove or rename it, or pass the right one.");
            }
            int labelCount = readHeaderInt(labels.get(), labelsName);
            if (labelCount != count) {
                throw new IOException(name + " holds " + count + " images but its labels file holds " + labelCount
                        + " labels; the two files do not belong together.");
            }
        }
        return new IdxImageSource(name, images, labels, count, new ImageShape(cols, rows, 1));
    }

    @Override
    public String description() {
        return name;
    }

    @Override
    public OptionalLong size() {
        return OptionalLong.of(count);
    }

    /** The shape of the images in the file (width x height x 1). */
    public ImageShape shape() {
        return shape;
    }

    /** Whether a labels file was found and is being read. */
    public boolean labelled() {
        return labels.isPresent();
    }

    @Override
    public Optional<SourceImage> next() throws IOException {
        if (index >= count) {
            return Optional.empty();
        }
        byte[] pixels = new byte[shape.values()];
        Optional<String> label;
        try {
            images.readFully(pixels);
            label = labels.isPresent() ? Optional.of(Integer.toString(labels.get().readUnsignedByte())) : Optional.empty();
        } catch (EOFException e) {
            throw truncated(index, e);
        } catch (ZipException e) {
            throw corrupt(index, e);
        }
        String id = name + "#" + index;
        index++;
        return Optional.of(new SourceImage(id, png.encode(new CanonicalImage(shape, pixels)), label));
    }

    /**
     * Reads every image {@link #next()} has not handed out, at once and without PNG: the file's own bytes, which are
     * canonical gray pixels of {@link #shape()}, with their labels when the file has labels. Memory grows with the
     * bytes actually read, never with a count a header merely declares.
     *
     * @throws IOException when the file or its labels file ends early or is corrupt, or the images do not fit one array
     */
    public Pixels readRemaining() throws IOException {
        int remaining = count - index;
        long bytes = (long) remaining * shape.values();
        if (bytes > MAX_ARRAY) {
            throw new IOException(name + " declares " + remaining + " more images of " + shape.width() + "x" + shape.height() + " pixels, "
                    + bytes + " bytes: more than one array holds. Read it image by image instead.");
        }
        byte[] pixels;
        byte[] labelBytes;
        try {
            pixels = images.readNBytes((int) bytes);
            labelBytes = labels.isPresent() ? labels.get().readNBytes(remaining) : new byte[0];
        } catch (ZipException e) {
            throw corrupt(index, e);
        }
        int complete = Math.min(pixels.length / shape.values(), labels.isPresent() ? labelBytes.length : remaining);
        if (complete < remaining) {
            throw truncated(index + complete, null);
        }
        index = count;
        int[] numbers = new int[labelBytes.length];
        for (int i = 0; i < numbers.length; i++) {
            numbers[i] = labelBytes[i] & 0xff;
        }
        return new Pixels(shape, pixels, numbers);
    }

    @Override
    public void close() throws IOException {
        try {
            images.close();
        } finally {
            try {
                if (labels.isPresent()) {
                    labels.get().close();
                }
            } finally {
                png.close();
            }
        }
    }

    private IOException truncated(int read, EOFException cause) {
        return new IOException(name + " ends after " + read + " of the " + count + " images its header declares; the file "
                + "(or its labels file) is truncated. Download it again.", cause);
    }

    private IOException corrupt(int read, ZipException cause) {
        return new IOException(name + " (or its labels file) is gzipped, but its compressed data is corrupt after " + read
                + " images (" + cause.getMessage() + "); download it again.", cause);
    }

    private static int readHeaderInt(DataInputStream in, String name) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new IOException(name + " is shorter than an IDX header; the file is empty or truncated.", e);
        }
    }
}
