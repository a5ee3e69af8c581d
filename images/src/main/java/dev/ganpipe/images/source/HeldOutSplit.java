package dev.ganpipe.images.source;

import dev.ganpipe.common.io.Folders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A seeded share of a labelled dataset kept apart from training, so quality is measured on images the GAN never saw:
 * an image is held out when a hash of its source id and the seed falls below the share, so the same images are held
 * out however often, and in whatever order, the data is read. {@link #training} hides them from what is published;
 * {@link #write} copies them, in class sub-folders, to where the evaluator reads its held-out set.
 *
 * @param share the fraction held out, in (0, 1)
 * @param seed changes which images are held out
 */
public record HeldOutSplit(double share, long seed) {

    public HeldOutSplit {
        if (!(share > 0 && share < 1)) {
            throw new IllegalArgumentException("The held-out share must be between 0 and 1 (exclusive), but was " + share + ".");
        }
    }

    /** {@code fraction} of {@code images}, but at most {@code max} images (and at least one in a thousand). */
    public static HeldOutSplit of(long images, double fraction, int max, long seed) {
        double share = Math.min(fraction, images <= 0 ? fraction : (double) max / images);
        return new HeldOutSplit(Math.max(share, 0.001), seed);
    }

    /** Whether the image with this source id is held out. */
    public boolean holds(String sourceId) {
        long h = mix(seed ^ mix(hash(sourceId)));
        return (h >>> 11) * 0x1.0p-53 < share;
    }

    /** The source without its held-out images (its size then unknown in advance). */
    public ImageSource training(ImageSource source) {
        return new ImageSource() {
            @Override
            public String description() {
                return source.description();
            }

            @Override
            public OptionalLong size() {
                return source.size().isPresent() ? OptionalLong.of(Math.round(source.size().getAsLong() * (1 - share))) : OptionalLong.empty();
            }

            @Override
            public List<String> notes() {
                return source.notes();
            }

            @Override
            public Optional<SourceImage> next() throws IOException {
                for (Optional<SourceImage> next = source.next(); next.isPresent(); next = source.next()) {
                    if (!holds(next.get().sourceId())) {
                        return next;
                    }
                }
                return Optional.empty();
            }

            @Override
            public void close() throws IOException {
                source.close();
            }
        };
    }

    /**
     * Copies the held-out labelled images of {@code location} into {@code folder}, one sub-folder per label as written
     * in the data (the layout {@code gan evaluate --real} and the trainer's {@code --quality-held-out} read), replacing
     * what was there.
     *
     * @return how many images were written
     */
    public int write(String location, Path folder) throws IOException {
        Folders.deleteRecursively(folder);
        Files.createDirectories(folder);
        int written = 0;
        try (ImageSource source = ImageSources.open(location, SourceOptions.labelsAsWritten(Integer.MAX_VALUE - 1))) {
            for (Optional<SourceImage> next = source.next(); next.isPresent(); next = source.next()) {
                SourceImage image = next.get();
                if (image.label().isEmpty() || !holds(image.sourceId())) {
                    continue;
                }
                Path classFolder = folder.resolve(safe(image.label().get()));
                Files.createDirectories(classFolder);
                Files.write(classFolder.resolve(String.format(Locale.ROOT, "%06d-%s", written, safe(fileName(image.sourceId())))),
                        image.encodedBytes());
                written++;
            }
        }
        return written;
    }

    private static String fileName(String sourceId) {
        String name = sourceId.substring(Math.max(sourceId.lastIndexOf('/'), sourceId.lastIndexOf('!')) + 1);
        return name.isEmpty() ? "image" : name;
    }

    /** A label or file name as one path segment: no separators, no leading dot, nothing the file system refuses. */
    private static String safe(String text) {
        String s = text.strip().replaceAll("[/\\\\:*?\"<>|\\x00-\\x1f]", "_");
        return s.isEmpty() || s.startsWith(".") ? "_" + s : s;
    }

    private static long hash(String text) {
        long h = 1125899906842597L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h = 31 * h + b;
        }
        return h;
    }

    /** SplitMix64's finaliser: neighbouring inputs give unrelated outputs. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
