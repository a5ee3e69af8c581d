package dev.ganpipe.images.source;

import static dev.ganpipe.images.source.IdxImageSourceTest.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ganpipe.images.TestImages;
import dev.ganpipe.images.normalize.ClassList;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderAndTarSourceTest {

    private static final SourceOptions OPTIONS = new SourceOptions(ClassList.fashionMnist(), 1 << 20);

    @TempDir
    Path dir;

    @Test
    void subFolderNamesBecomeClassIndices() throws IOException {
        write("Sneaker/a.png", TestImages.goodPng());
        write("Sneaker/deeper/b.jpg", TestImages.encode(TestImages.noise(16, 16, 1), "jpeg"));
        write("3/c.gif", TestImages.encode(TestImages.gray(16, 16, (x, y) -> 3), "gif"));
        write("Ankle boot/d.BMP", TestImages.encode(TestImages.gray(16, 16, (x, y) -> 3), "bmp"));
        write("cats/e.png", TestImages.goodPng());
        write("loose.png", TestImages.goodPng());
        write("notes.txt", "not an image".getBytes(StandardCharsets.UTF_8));
        write(".hidden/f.png", TestImages.goodPng());

        Map<String, Optional<String>> labels = labelsById(readAll(ImageSources.open(dir.toString(), OPTIONS)));
        assertThat(labels).containsOnly(
                Map.entry("3/c.gif", Optional.of("3")),
                Map.entry("Ankle boot/d.BMP", Optional.of("9")),
                Map.entry("Sneaker/a.png", Optional.of("7")),
                Map.entry("Sneaker/deeper/b.jpg", Optional.of("7")),
                // Not a class: passed on as found, for the normaliser to reject as bad_label where it is counted.
                Map.entry("cats/e.png", Optional.of("cats")),
                Map.entry("loose.png", Optional.empty()));
    }

    @Test
    void aFlatFolderIsUnlabelledAndReadInPathOrder() throws IOException {
        write("b.png", TestImages.goodPng());
        write("a.png", TestImages.goodPng());
        List<SourceImage> read = readAll(ImageSources.open(dir.toString(), OPTIONS));
        assertThat(read).extracting(SourceImage::sourceId).containsExactly("a.png", "b.png");
        assertThat(read).extracting(SourceImage::label).containsOnly(Optional.empty());
        assertThat(read.getFirst().encodedBytes()).containsExactly(TestImages.goodPng());
    }

    @Test
    void aLabelsCsvOverridesFolderNames() throws IOException {
        write("x/one.png", TestImages.goodPng());
        write("x/two.png", TestImages.goodPng());
        write("three.png", TestImages.goodPng());
        write("labels.csv", "file,label\nx/one.png,Bag\ntwo.png,5\n\"three.png\",2\n".getBytes(StandardCharsets.UTF_8));
        assertThat(labelsById(readAll(ImageSources.open(dir.toString(), OPTIONS)))).containsOnly(
                Map.entry("x/one.png", Optional.of("8")),
                Map.entry("x/two.png", Optional.of("5")),
                Map.entry("three.png", Optional.of("2")));
    }

    @Test
    void filesOverTheByteLimitAreCutOneBytePastIt() throws IOException {
        write("big.png", new byte[5000]);
        List<SourceImage> read = readAll(ImageSources.open(dir.toString(), new SourceOptions(ClassList.fashionMnist(), 100)));
        assertThat(read.getFirst().encodedBytes()).hasSize(101);
    }

    @Test
    void aTarGzWithAWrapperFolderIsLabelledLikeAFolder() throws IOException {
        Path archive = dir.resolve("fashion.tgz");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(Files.newOutputStream(archive)))) {
            entry(tar, "fashion/Trouser/a.png", TestImages.goodPng());
            entry(tar, "fashion/6/b.png", TestImages.goodPng());
            entry(tar, "fashion/README", "text".getBytes(StandardCharsets.UTF_8));
            entry(tar, "fashion/__MACOSX/._a.png", new byte[10]);
        }
        ImageSource source = ImageSources.open(archive.toString(), OPTIONS);
        assertThat(source.size()).hasValue(2);
        List<SourceImage> read = readAll(source);
        assertThat(labelsById(read)).containsOnly(
                Map.entry("fashion.tgz!/fashion/Trouser/a.png", Optional.of("1")),
                Map.entry("fashion.tgz!/fashion/6/b.png", Optional.of("6")));
        assertThat(read.getFirst().encodedBytes()).containsExactly(TestImages.goodPng());
    }

    @Test
    void aTruncatedTarGzIsRefusedWithASentenceNotANullMessage() throws IOException {
        // Found by TarImageSourceFuzzTest: a gzip stream cut inside its trailer surfaces as an EOFException without a message.
        Path whole = dir.resolve("whole.tgz");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(Files.newOutputStream(whole)))) {
            entry(tar, "a.png", TestImages.goodPng());
        }
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.tgz"), Arrays.copyOf(bytes, bytes.length - 3));
        assertThatThrownBy(() -> readAll(ImageSources.open(cut.toString(), OPTIONS))).isInstanceOf(IOException.class)
                .hasMessageContaining("cut.tgz is damaged: it ends early or its compressed data is corrupt")
                .hasMessageEndingWith("download or pack it again.");
    }

    @Test
    void aPlainTarWithALabelsCsvAndNoFoldersWorks() throws IOException {
        Path archive = dir.resolve("images.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(archive))) {
            entry(tar, "./labels.csv", "a.png,4\n".getBytes(StandardCharsets.UTF_8));
            entry(tar, "./a.png", TestImages.goodPng());
            entry(tar, "./b.png", TestImages.goodPng());
        }
        assertThat(labelsById(readAll(ImageSources.open(archive.toString(), OPTIONS)))).containsOnly(
                Map.entry("images.tar!/a.png", Optional.of("4")),
                Map.entry("images.tar!/b.png", Optional.empty()));
    }

    @Test
    void aSingleImageFileIsOneUnlabelledImage() throws IOException {
        Path file = write("photo.jpg", TestImages.encode(TestImages.noise(20, 20, 3), "jpeg"));
        assertThat(readAll(ImageSources.open(file.toString(), OPTIONS))).singleElement()
                .satisfies(image -> assertThat(image.sourceId()).isEqualTo("photo.jpg"));
    }

    @Test
    void somethingElseIsRefusedWithAListOfWhatIsAccepted() throws IOException {
        Path file = write("notes.txt", "hello".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ImageSources.open(file.toString(), OPTIONS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("neither an IDX images file");
        assertThatThrownBy(() -> ImageSources.open(dir.resolve("missing").toString(), OPTIONS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("There is no file or folder");
    }

    private Path write(String relative, byte[] content) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.write(file, content);
    }

    /** Adds one file to a tar being written (the other source tests build archives with it too). */
    static void entry(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        OutputStream out = tar;
        out.write(content);
        tar.closeArchiveEntry();
    }

    private static Map<String, Optional<String>> labelsById(List<SourceImage> images) {
        return images.stream().collect(Collectors.toMap(SourceImage::sourceId, SourceImage::label));
    }
}
