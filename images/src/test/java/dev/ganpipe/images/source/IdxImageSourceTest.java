package dev.ganpipe.images.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.image.Png;
import dev.ganpipe.images.normalize.ClassList;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxImageSourceTest {

    private static final SourceOptions OPTIONS = new SourceOptions(ClassList.fashionMnist(), 1 << 20);

    @TempDir
    Path dir;

    @Test
    void gzippedImagesComeOutAsGrayPngsWithTheLabelsBesideThem() throws IOException {
        Path images = IdxTestFiles.write(dir.resolve("train-images-idx3-ubyte.gz"), IdxTestFiles.images(3, 4, 5), true);
        IdxTestFiles.write(dir.resolve("train-labels-idx1-ubyte.gz"), IdxTestFiles.labels(3), true);
        List<SourceImage> read = readAll(IdxImageSource.open(images));
        assertThat(read).hasSize(3);
        assertThat(read).extracting(SourceImage::sourceId)
                .containsExactly("train-images-idx3-ubyte.gz#0", "train-images-idx3-ubyte.gz#1", "train-images-idx3-ubyte.gz#2");
        assertThat(read).extracting(SourceImage::label).containsExactly(Optional.of("0"), Optional.of("1"), Optional.of("2"));
        CanonicalImage second = Png.decode(read.get(1).encodedBytes(), new ImageShape(5, 4, 1));
        assertThat(second.pixels()).containsOnly((byte) 10);
    }

    @Test
    void plainFilesWorkAndGzipIsDetectedByContentNotName() throws IOException {
        Path images = IdxTestFiles.write(dir.resolve("t10k-images-idx3-ubyte"), IdxTestFiles.images(2, 3, 3), false);
        IdxTestFiles.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxTestFiles.labels(2), true);
        List<SourceImage> read = readAll(IdxImageSource.open(images));
        assertThat(read).extracting(SourceImage::label).containsExactly(Optional.of("0"), Optional.of("1"));
    }

    @Test
    void imagesWithoutALabelsFileAreUnlabelled() throws IOException {
        Path images = IdxTestFiles.write(dir.resolve("digits-images-idx3-ubyte"), IdxTestFiles.images(2, 3, 3), false);
        IdxImageSource source = IdxImageSource.open(images);
        assertThat(source.labelled()).isFalse();
        assertThat(readAll(source)).extracting(SourceImage::label).containsOnly(Optional.empty());
    }

    @Test
    void aFileThatEndsEarlyFailsLoudlyWithTheCount() throws IOException {
        try (IdxImageSource source = IdxImageSource.open(fiveImagesCutShortOfTheLast())) {
            source.next();
            source.next();
            source.next();
            source.next();
            assertThatThrownBy(source::next).isInstanceOf(IOException.class).hasMessageContaining("ends after 4 of the 5 images");
        }
    }

    @Test
    void labelsThatDoNotMatchTheImageCountAreRefused() throws IOException {
        Path images = IdxTestFiles.write(dir.resolve("train-images-idx3-ubyte"), IdxTestFiles.images(3, 2, 2), false);
        IdxTestFiles.write(dir.resolve("train-labels-idx1-ubyte"), IdxTestFiles.labels(4), false);
        assertThatThrownBy(() -> IdxImageSource.open(images)).isInstanceOf(IOException.class)
                .hasMessageContaining("holds 3 images but its labels file holds 4 labels");
    }

    @Test
    void aFolderWithTrainAndTestFilesIsReadFromTheTrainFile() throws IOException {
        IdxTestFiles.write(dir.resolve("t10k-images-idx3-ubyte.gz"), IdxTestFiles.images(1, 2, 2), true);
        IdxTestFiles.write(dir.resolve("train-images-idx3-ubyte.gz"), IdxTestFiles.images(4, 2, 2), true);
        IdxTestFiles.write(dir.resolve("train-labels-idx1-ubyte.gz"), IdxTestFiles.labels(4), true);
        try (ImageSource source = ImageSources.open(dir.toString(), OPTIONS)) {
            assertThat(source.description()).isEqualTo("train-images-idx3-ubyte.gz");
            assertThat(source.size()).hasValue(4);
        }
    }

    @Test
    void aLabelsFileGivenAsTheImagesIsRefusedWithAHint() throws IOException {
        Path labels = IdxTestFiles.write(dir.resolve("train-labels-idx1-ubyte"), IdxTestFiles.labels(2), false);
        assertThatThrownBy(() -> ImageSources.open(labels.toString(), OPTIONS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pass the images file");
    }

    @Test
    void aLabelsFileWithATruncatedGzipHeaderIsRefusedWithASentenceNotANullMessage() throws IOException {
        // Found by IdxImageSourceFuzzTest: GZIPInputStream reports a short header as an EOFException without a message.
        Path images = IdxTestFiles.write(dir.resolve("train-images-idx3-ubyte"), IdxTestFiles.images(2, 3, 3), false);
        Path labels = Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), new byte[] {0x1f, (byte) 0x8b, 8, (byte) 0xff, 0});
        assertThatThrownBy(() -> IdxImageSource.open(images, Optional.of(labels))).isInstanceOf(IOException.class)
                .hasMessageContaining("train-labels-idx1-ubyte.gz starts like a gzip file, but its gzip header is truncated")
                .hasMessageEndingWith("download or compress it again.");
    }

    @Test
    void theBundledSampleHoldsFiveHundredLabelledFashionMnistImages() throws IOException {
        List<SourceImage> read = readAll(SampleData.fashionMnist());
        assertThat(read).hasSize(SampleData.FASHION_MNIST_COUNT);
        assertThat(read).allSatisfy(image -> assertThat(image.label()).hasValueSatisfying(l -> assertThat(Integer.parseInt(l)).isBetween(0, 9)));
        assertThat(read.stream().map(SourceImage::label).distinct()).hasSize(10);
        assertThat(Png.decode(read.getFirst().encodedBytes(), ImageShape.FASHION_MNIST).shape()).isEqualTo(ImageShape.FASHION_MNIST);
        assertThat(Files.exists(Path.of("src/main/resources/samples/fashion-mnist/README.md"))).isTrue();
    }

    @Test
    void theRemainingImagesComeOutAsStoredPixelsWithTheirLabels() throws IOException {
        Path images = IdxTestFiles.write(dir.resolve("train-images-idx3-ubyte.gz"), IdxTestFiles.images(5, 4, 3), true);
        IdxTestFiles.write(dir.resolve("train-labels-idx1-ubyte.gz"), IdxTestFiles.labels(5), true);
        try (IdxImageSource source = IdxImageSource.open(images)) {
            source.next();
            source.next();
            IdxImageSource.Pixels rest = source.readRemaining();

            assertThat(rest.shape()).isEqualTo(new ImageShape(3, 4, 1));
            assertThat(rest.count()).isEqualTo(3);
            assertThat(Arrays.copyOfRange(rest.pixels(), 0, 12)).containsOnly((byte) 20);
            assertThat(Arrays.copyOfRange(rest.pixels(), 24, 36)).containsOnly((byte) 40);
            assertThat(rest.labels()).containsExactly(2, 3, 4);
            assertThat(source.next()).isEmpty();
        }
    }

    @Test
    void storedPixelsAreTheImagesThatNextEncodesForEveryImageOfTheSample() throws IOException {
        IdxImageSource.Pixels stored;
        try (IdxImageSource sample = SampleData.fashionMnist()) {
            stored = sample.readRemaining();
        }
        List<SourceImage> encoded = readAll(SampleData.fashionMnist());
        assertThat(stored.count()).isEqualTo(encoded.size()).isEqualTo(SampleData.FASHION_MNIST_COUNT);
        int values = ImageShape.FASHION_MNIST.values();
        for (int i = 0; i < encoded.size(); i++) {
            assertThat(Arrays.copyOfRange(stored.pixels(), i * values, (i + 1) * values)).as("image %d", i)
                    .isEqualTo(Png.decode(encoded.get(i).encodedBytes(), ImageShape.FASHION_MNIST).pixels());
            assertThat(Integer.toString(stored.labels()[i])).as("label %d", i).isEqualTo(encoded.get(i).label().orElseThrow());
        }
    }

    @Test
    void unlabelledImagesComeOutAsStoredPixelsWithoutLabels() throws IOException {
        Path images = IdxTestFiles.write(dir.resolve("digits-images-idx3-ubyte"), IdxTestFiles.images(2, 3, 3), false);
        try (IdxImageSource source = IdxImageSource.open(images)) {
            IdxImageSource.Pixels all = source.readRemaining();
            assertThat(all.count()).isEqualTo(2);
            assertThat(all.labels()).isEmpty();
        }
    }

    @Test
    void readingTheRemainingImagesOfAFileThatEndsEarlyFailsLoudlyWithTheCount() throws IOException {
        try (IdxImageSource source = IdxImageSource.open(fiveImagesCutShortOfTheLast())) {
            source.next();
            assertThatThrownBy(source::readRemaining).isInstanceOf(IOException.class).hasMessageContaining("ends after 4 of the 5 images");
        }
    }

    @Test
    void aLabelsFileThatEndsEarlyFailsTheStoredReadWithTheCount() throws IOException {
        Path images = IdxTestFiles.write(dir.resolve("train-images-idx3-ubyte"), IdxTestFiles.images(4, 2, 2), false);
        byte[] labels = IdxTestFiles.labels(4);
        Path labelsFile = IdxTestFiles.write(dir.resolve("train-labels-idx1-ubyte"), Arrays.copyOf(labels, labels.length - 1), false);
        try (IdxImageSource source = IdxImageSource.open(images, Optional.of(labelsFile))) {
            assertThatThrownBy(source::readRemaining).isInstanceOf(IOException.class).hasMessageContaining("ends after 3 of the 4 images")
                    .hasMessageContaining("(or its labels file) is truncated");
        }
    }

    @Test
    void aHeaderThatDeclaresMoreThanOneArrayHoldsIsRefusedBeforeAnythingIsAllocated() throws IOException {
        byte[] header = ByteBuffer.allocate(16).putInt(0x00000803).putInt(Integer.MAX_VALUE).putInt(28).putInt(28).array();
        try (IdxImageSource source = IdxImageSource.of("huge-images-idx3-ubyte", new ByteArrayInputStream(header), Optional.empty())) {
            assertThatThrownBy(source::readRemaining).isInstanceOf(IOException.class).hasMessageContaining("more than one array holds");
        }
    }

    static List<SourceImage> readAll(ImageSource source) throws IOException {
        List<SourceImage> out = new ArrayList<>();
        try (source) {
            for (Optional<SourceImage> next = source.next(); next.isPresent(); next = source.next()) {
                out.add(next.get());
            }
        }
        return out;
    }

    /** An IDX file that declares five 4x4 images but ends 10 bytes into the fifth. */
    private Path fiveImagesCutShortOfTheLast() throws IOException {
        byte[] full = IdxTestFiles.images(5, 4, 4);
        return IdxTestFiles.write(dir.resolve("cut-images-idx3-ubyte"), Arrays.copyOf(full, full.length - 10), false);
    }
}
