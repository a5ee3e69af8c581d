package dev.ganpipe.images.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ganpipe.images.normalize.ClassList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Hostile tar and tar.gz archives: the reader yields images of at most {@code maxBytes + 1} bytes (the one extra
 * byte lets the normaliser reject an oversized image as too large), or stops with an {@link IOException} or, for a
 * {@code labels.csv} that is not one, the {@link IllegalArgumentException} {@link FolderLabels} documents, both
 * saying what is wrong; never another exception, an out-of-memory or a hang.
 */
class TarImageSourceFuzzTest {

    private static final SourceOptions OPTIONS = new SourceOptions(ClassList.fashionMnist(), 64 * 1024);
    private static final int MAX_IMAGES_READ = 16;
    private static final Path ARCHIVE = archivePath();

    @FuzzTest(maxDuration = "10s")
    void anArchiveGivesBoundedImagesOrAnExceptionThatSaysWhy(byte[] archive) throws IOException {
        Files.write(ARCHIVE, archive);
        try (TarImageSource source = TarImageSource.open(ARCHIVE, OPTIONS)) {
            for (int i = 0; i < MAX_IMAGES_READ; i++) {
                Optional<SourceImage> image = source.next();
                if (image.isEmpty()) {
                    break;
                }
                assertThat(image.get().encodedBytes().length).isLessThanOrEqualTo(OPTIONS.maxBytes() + 1);
                assertThat(image.get().sourceId()).startsWith(ARCHIVE.getFileName() + "!/");
            }
        } catch (IOException | IllegalArgumentException e) {
            assertThat(e.getMessage()).as("the exception says what is wrong").isNotBlank();
        }
    }

    /** One file, rewritten for every input: the reader takes a path, and a file per input would fill the disk. */
    private static Path archivePath() {
        try {
            Path dir = Files.createTempDirectory("tar-fuzz");
            dir.toFile().deleteOnExit();
            Path file = dir.resolve("fuzz.tar");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary directory for the tar fuzz test; check that the temp dir is writable.", e);
        }
    }
}
