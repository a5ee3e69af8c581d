package dev.ganpipe.images.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** Finds IDX files: the images file in a dataset folder, and the labels file that belongs to an images file. */
public final class IdxFiles {

    private IdxFiles() {
    }

    /** Whether the file's (decompressed) content starts with the IDX images magic. */
    public static boolean isIdxImages(Path file) throws IOException {
        return Files.isRegularFile(file) && magic(file) == IdxImageSource.IMAGES_MAGIC;
    }

    /** Whether the file's (decompressed) content starts with the IDX labels magic. */
    public static boolean isIdxLabels(Path file) throws IOException {
        return Files.isRegularFile(file) && magic(file) == IdxImageSource.LABELS_MAGIC;
    }

    /**
     * The IDX images file in a folder (not its sub-folders): a {@code train*} file when there are several, such as
     * the train and t10k files of the MNIST releases, else the first by name.
     */
    public static Optional<Path> findImagesIn(Path folder) throws IOException {
        List<Path> candidates = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                if (!file.getFileName().toString().startsWith(".") && isIdxImages(file)) {
                    candidates.add(file);
                }
            }
        }
        return candidates.stream()
                .min(Comparator.comparing((Path p) -> !p.getFileName().toString().startsWith("train")).thenComparing(Path::toString));
    }

    /**
     * The labels file beside an images file: the images name with {@code images} turned into {@code labels} and
     * {@code idx3} into {@code idx1}, gzipped or not, e.g. {@code train-labels-idx1-ubyte.gz} for
     * {@code train-images-idx3-ubyte.gz}. Only a file whose content is an IDX labels file counts.
     */
    public static Optional<Path> labelsFor(Path imagesFile) throws IOException {
        String name = imagesFile.getFileName().toString();
        String base = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
        Set<String> bases = new LinkedHashSet<>();
        bases.add(base.replace("images", "labels").replace("idx3", "idx1"));
        bases.add(base.replace("images", "labels"));
        bases.add(base.replace("Images", "Labels").replace("idx3", "idx1"));
        Path dir = imagesFile.toAbsolutePath().getParent();
        for (String candidate : bases) {
            for (String suffix : List.of(name.endsWith(".gz") ? ".gz" : "", name.endsWith(".gz") ? "" : ".gz")) {
                Path labels = dir.resolve(candidate + suffix);
                if (!candidate.equals(base) && isIdxLabels(labels)) {
                    return Optional.of(labels);
                }
            }
        }
        return Optional.empty();
    }

    private static int magic(Path file) throws IOException {
        byte[] head = Compression.head(file, 4);
        return head.length < 4 ? -1 : ByteBuffer.wrap(head).getInt();
    }
}
