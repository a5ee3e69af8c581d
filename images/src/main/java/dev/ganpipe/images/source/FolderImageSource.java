package dev.ganpipe.images.source;

import dev.ganpipe.images.normalize.InputImageFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Reads the image files (PNG, JPEG, BMP, GIF, WebP, and other recognised extensions the normaliser then judges)
 * of a folder and its sub-folders, in path order; labels as {@link FolderLabels} describes. Hidden files and
 * folders (names starting with a dot) are skipped. The file list is taken when the source opens.
 */
public final class FolderImageSource implements ImageSource {

    private final Path root;
    private final List<Path> files;
    private final FolderLabels labels;
    private final SourceOptions options;
    private final Iterator<Path> remaining;

    private FolderImageSource(Path root, List<Path> files, FolderLabels labels, SourceOptions options) {
        this.root = root;
        this.files = files;
        this.labels = labels;
        this.options = options;
        this.remaining = files.iterator();
    }

    /**
     * Lists a folder's images.
     *
     * @throws IOException when the folder cannot be listed or its {@code labels.csv} read
     */
    public static FolderImageSource open(Path root, SourceOptions options) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> !hidden(root.relativize(p)))
                    .filter(p -> InputImageFormat.forFileName(p.getFileName().toString()).isPresent())
                    .sorted()
                    .toList();
        }
        Path csv = root.resolve(FolderLabels.LABELS_CSV);
        Optional<String> csvText = Files.isRegularFile(csv) ? Optional.of(Files.readString(csv, StandardCharsets.UTF_8)) : Optional.empty();
        FolderLabels labels = FolderLabels.of(files.stream().map(p -> relative(root, p)).toList(), csvText, options.classes(), root.toString());
        return new FolderImageSource(root, files, labels, options);
    }

    @Override
    public List<String> notes() {
        return labels.notes();
    }

    @Override
    public String description() {
        return root.toString();
    }

    @Override
    public OptionalLong size() {
        return OptionalLong.of(files.size());
    }

    @Override
    public Optional<SourceImage> next() throws IOException {
        if (!remaining.hasNext()) {
            return Optional.empty();
        }
        Path file = remaining.next();
        String relative = relative(root, file);
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(options.maxBytes() + 1);
        }
        return Optional.of(new SourceImage(relative, bytes, labels.labelFor(relative)));
    }

    @Override
    public void close() {
        // Files are opened and closed one at a time in next(); nothing stays open.
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
