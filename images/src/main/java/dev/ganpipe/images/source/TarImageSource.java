package dev.ganpipe.images.source;

import dev.ganpipe.images.normalize.InputImageFormat;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads the images of a tar or tar.gz archive (gzip detected by its magic bytes) with the labelling of a folder
 * ({@link FolderLabels}); a single top-level folder that holds every image (as {@code tar czf x.tgz photos/}
 * makes) is treated as the archive's root. The archive is read twice: once to list the images and find
 * {@code labels.csv}, once to stream them.
 */
public final class TarImageSource implements ImageSource {

    /** {@code labels.csv} larger than this is not a labels file. */
    private static final int MAX_CSV_BYTES = 16 * 1024 * 1024;

    private final Path archive;
    private final SourceOptions options;
    private final String prefix;
    private final FolderLabels labels;
    private final int count;
    private final TarArchiveInputStream tar;

    private TarImageSource(Path archive, SourceOptions options, String prefix, FolderLabels labels, int count, TarArchiveInputStream tar) {
        this.archive = archive;
        this.options = options;
        this.prefix = prefix;
        this.labels = labels;
        this.count = count;
        this.tar = tar;
    }

    /**
     * Lists and opens an archive.
     *
     * @throws IOException when it is not a readable tar archive
     */
    public static TarImageSource open(Path archive, SourceOptions options) throws IOException {
        List<String> images = new ArrayList<>();
        List<String> csvNames = new ArrayList<>();
        List<String> csvTexts = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Compression.open(archive))) {
            for (TarArchiveEntry entry = nextEntry(tar, archive); entry != null; entry = nextEntry(tar, archive)) {
                String name = FolderLabels.normalise(entry.getName());
                if (!entry.isFile() || hidden(name)) {
                    continue;
                }
                if (isImage(name)) {
                    images.add(name);
                } else if (name.equals(FolderLabels.LABELS_CSV) || name.endsWith("/" + FolderLabels.LABELS_CSV)) {
                    csvNames.add(name);
                    csvTexts.add(new String(readEntry(tar, MAX_CSV_BYTES, archive), StandardCharsets.UTF_8));
                }
            }
        }
        String prefix = commonRoot(images);
        Optional<String> csv = Optional.empty();
        for (int i = 0; i < csvNames.size(); i++) {
            if (csvNames.get(i).equals(prefix + FolderLabels.LABELS_CSV)) {
                csv = Optional.of(csvTexts.get(i));
            }
        }
        FolderLabels labels = FolderLabels.of(images.stream().map(n -> n.substring(prefix.length())).toList(), csv,
                options.classes(), archive.toString());
        TarArchiveInputStream tar = new TarArchiveInputStream(Compression.open(archive));
        return new TarImageSource(archive, options, prefix, labels, images.size(), tar);
    }

    @Override
    public List<String> notes() {
        return labels.notes();
    }

    @Override
    public String description() {
        return archive.toString();
    }

    @Override
    public OptionalLong size() {
        return OptionalLong.of(count);
    }

    @Override
    public Optional<SourceImage> next() throws IOException {
        for (TarArchiveEntry entry = nextEntry(tar, archive); entry != null; entry = nextEntry(tar, archive)) {
            String name = FolderLabels.normalise(entry.getName());
            if (entry.isFile() && !hidden(name) && isImage(name)) {
                byte[] bytes = readEntry(tar, options.maxBytes() + 1, archive);
                String relative = name.substring(prefix.length());
                return Optional.of(new SourceImage(archive.getFileName() + "!/" + name, bytes, labels.labelFor(relative)));
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }

    /**
     * The next entry, with a sentence instead of the bare {@code EOFException} or {@code ZipException} a truncated
     * or corrupt (gzipped) archive raises (found by {@code TarImageSourceFuzzTest}).
     */
    private static TarArchiveEntry nextEntry(TarArchiveInputStream tar, Path archive) throws IOException {
        try {
            return tar.getNextEntry();
        } catch (EOFException | ZipException e) {
            throw damaged(archive, e);
        }
    }

    /** Up to {@code max} bytes of the current entry, with the same sentence for a damaged archive. */
    private static byte[] readEntry(TarArchiveInputStream tar, int max, Path archive) throws IOException {
        try {
            return tar.readNBytes(max);
        } catch (EOFException | ZipException e) {
            throw damaged(archive, e);
        }
    }

    private static IOException damaged(Path archive, IOException e) {
        return new IOException(archive + " is damaged: it ends early or its compressed data is corrupt (" + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); download or pack it again.", e);
    }

    /** The single top-level folder every image sits in (with its slash), or "" when there is none. */
    private static String commonRoot(List<String> names) {
        if (names.isEmpty() || !names.getFirst().contains("/")) {
            return "";
        }
        String first = names.getFirst().substring(0, names.getFirst().indexOf('/') + 1);
        return names.stream().allMatch(n -> n.startsWith(first)) ? first : "";
    }

    private static boolean hidden(String name) {
        for (String part : name.split("/")) {
            if (part.startsWith(".") || part.equals("__MACOSX")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isImage(String name) {
        return InputImageFormat.forFileName(name.substring(name.lastIndexOf('/') + 1)).isPresent();
    }
}
