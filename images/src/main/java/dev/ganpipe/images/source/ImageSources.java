package dev.ganpipe.images.source;

import dev.ganpipe.images.normalize.InputImageFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Opens the right reader for what a user names: {@code sample:fashion-mnist}, an IDX images file, a folder
 * holding an IDX images file, a folder of images, a tar or tar.gz archive, or one image file. Files are told apart
 * by their content, not their names.
 */
public final class ImageSources {

    private ImageSources() {
    }

    /** The first bytes as stored (a gzipped image is not an image file). */
    private static byte[] rawHead(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return in.readNBytes(64);
        }
    }

    /**
     * Opens a source.
     *
     * @throws IllegalArgumentException when nothing readable is there, with a sentence saying what is accepted
     * @throws IOException when the file or folder cannot be read
     */
    public static ImageSource open(String location, SourceOptions options) throws IOException {
        if (location.equals(SampleData.FASHION_MNIST)) {
            return SampleData.fashionMnist();
        }
        Path path = Path.of(location);
        if (Files.isDirectory(path)) {
            Optional<Path> idx = IdxFiles.findImagesIn(path);
            return idx.isPresent() ? IdxImageSource.open(idx.get()) : FolderImageSource.open(path, options);
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("There is no file or folder at " + path.toAbsolutePath()
                    + "; give an IDX file, a folder of images, a tar(.gz) archive, an image, or " + SampleData.FASHION_MNIST + ".");
        }
        byte[] head = Compression.head(path, 512);
        if (IdxFiles.isIdxImages(path)) {
            return IdxImageSource.open(path);
        }
        if (IdxFiles.isIdxLabels(path)) {
            throw new IllegalArgumentException(path + " is an IDX labels file; pass the images file beside it (its labels are found automatically).");
        }
        if (TarArchiveInputStream.matches(head, head.length)) {
            return TarImageSource.open(path, options);
        }
        if (InputImageFormat.sniff(rawHead(path)).isPresent()) {
            return new SingleFileSource(path, options);
        }
        throw new IllegalArgumentException(path + " is neither an IDX images file, a tar archive (plain or gzipped) nor an image; "
                + "give one of those, or a folder of images.");
    }
}
