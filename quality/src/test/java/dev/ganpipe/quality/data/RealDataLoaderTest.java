package dev.ganpipe.quality.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.image.Png;
import dev.ganpipe.images.normalize.Background;
import dev.ganpipe.images.normalize.ClassList;
import dev.ganpipe.images.normalize.ImageNormalizer;
import dev.ganpipe.images.normalize.NormalizerSettings;
import dev.ganpipe.images.normalize.Outcome;
import dev.ganpipe.images.source.IdxImageSource;
import dev.ganpipe.images.source.SampleData;
import dev.ganpipe.images.source.SourceImage;
import dev.ganpipe.quality.IdxWriter;
import dev.ganpipe.quality.Progress;
import dev.ganpipe.quality.ShapeImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RealDataLoaderTest {

    private static final ImageShape GRAY = new ImageShape(28, 28, 1);
    private static final ImageShape RGB = new ImageShape(28, 28, 3);

    @TempDir
    Path dir;

    @Test
    void aFolderOfIdxFilesSplitsIntoTrainAndT10k() throws IOException {
        IdxWriter.write(dir, "train", ShapeImages.data("a", GRAY, 20, 1));
        IdxWriter.write(dir, "t10k", ShapeImages.data("b", GRAY, 5, 2));

        RealDataLoader.Split split = RealDataLoader.load(dir.toString(), Optional.empty(), LoaderOptions.forShape(GRAY), Progress.silent());

        assertThat(split.train().count()).isEqualTo(60);
        assertThat(split.heldOut().count()).isEqualTo(15);
        assertThat(split.heldOutFrom()).startsWith("t10k-images");
        assertThat(split.train().classNames()).containsExactly("0", "1", "2");
        assertThat(split.train().image(4)).isEqualTo(ShapeImages.data("a", GRAY, 20, 1).image(4));
        assertThat(split.train().label(4)).isEqualTo(1);
    }

    @Test
    void idxImagesAreResizedWhenTheGeneratorWantsAnotherShape() throws IOException {
        Path images = IdxWriter.write(dir, "train", ShapeImages.data("a", GRAY, 4, 1));

        RealData data = RealDataLoader.read(images.toString(), LoaderOptions.forShape(new ImageShape(64, 64, 3)));

        assertThat(data.count()).isEqualTo(12);
        assertThat(data.shape()).isEqualTo(new ImageShape(64, 64, 3));
    }

    @Test
    void classSubFoldersNameTheClassesAndASeededFifthIsHeldOut() throws IOException {
        writeClassFolders(dir, 10, new Random(3));

        RealDataLoader.Split split = RealDataLoader.load(dir.toString(), Optional.empty(), LoaderOptions.forShape(RGB), Progress.silent());

        assertThat(split.train().classNames()).containsExactly("bar", "plus", "square");
        assertThat(split.train().count()).isEqualTo(24);
        assertThat(split.heldOut().count()).isEqualTo(6);
        assertThat(split.heldOut().shape()).isEqualTo(RGB);
        assertThat(split.heldOutFrom()).contains("20% split");
        RealDataLoader.Split again = RealDataLoader.load(dir.toString(), Optional.empty(), LoaderOptions.forShape(RGB), Progress.silent());
        assertThat(again.heldOut().sha256()).as("the split is seeded").isEqualTo(split.heldOut().sha256());
    }

    @Test
    void trainAndTestSubFoldersAreTheSplit() throws IOException {
        writeClassFolders(dir.resolve("train"), 6, new Random(4));
        writeClassFolders(dir.resolve("test"), 2, new Random(5));

        RealDataLoader.Split split = RealDataLoader.load(dir.toString(), Optional.empty(), LoaderOptions.forShape(GRAY), Progress.silent());

        assertThat(split.train().count()).isEqualTo(18);
        assertThat(split.heldOut().count()).isEqualTo(6);
        assertThat(split.heldOutFrom()).isEqualTo("test/");
    }

    @Test
    void aLabelsCsvLabelsAFlatFolderAndAGivenClassListOrdersTheClasses() throws IOException {
        Random random = new Random(6);
        StringBuilder csv = new StringBuilder("file,label\n");
        for (int i = 0; i < 12; i++) {
            String name = "img" + i + ".png";
            Files.write(dir.resolve(name), Png.encode(ShapeImages.image(random, GRAY, i % 3)));
            csv.append(name).append(',').append(ShapeImages.CLASSES.get(i % 3)).append('\n');
        }
        Files.writeString(dir.resolve("labels.csv"), csv);

        RealData data = RealDataLoader.read(dir.toString(), LoaderOptions.forShape(GRAY).withClassNames(ShapeImages.CLASSES));

        assertThat(data.classNames()).isEqualTo(ShapeImages.CLASSES);
        assertThat(data.classCounts()).containsExactly(4, 4, 4);
        assertThatThrownBy(() -> RealDataLoader.read(dir.toString(), LoaderOptions.forShape(GRAY).withClassNames(List.of("square", "bar"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("The label 'plus'").hasMessageContaining("--classes");
    }

    @Test
    void theBundledSampleIsFashionMnistWithItsClassNames() throws IOException {
        RealDataLoader.Split split = RealDataLoader.load(SampleData.FASHION_MNIST, Optional.empty(), LoaderOptions.forShape(GRAY), Progress.silent());

        assertThat(split.train().count() + split.heldOut().count()).isEqualTo(SampleData.FASHION_MNIST_COUNT);
        assertThat(split.heldOut().count()).isEqualTo(100);
        assertThat(split.train().classNames()).isEqualTo(ClassList.fashionMnist().names());
    }

    @Test
    void idxPixelsTakenAsStoredAreWhatTheNormaliserMakesOfThem() throws IOException {
        RealData read = RealDataLoader.read(SampleData.FASHION_MNIST, LoaderOptions.forShape(GRAY));

        ImageNormalizer normalizer = new ImageNormalizer(new NormalizerSettings(GRAY, ClassList.parse("none-of-these"),
                NormalizerSettings.DEFAULT_MAX_BYTES, NormalizerSettings.DEFAULT_MAX_PIXELS, NormalizerSettings.DEFAULT_MIN_SIDE, Background.BLACK));
        try (IdxImageSource sample = SampleData.fashionMnist()) {
            for (int i = 0; i < SampleData.FASHION_MNIST_COUNT; i++) {
                SourceImage image = sample.next().orElseThrow();
                Outcome outcome = normalizer.normalize(image.encodedBytes(), Optional.empty());
                assertThat(outcome).isInstanceOf(Outcome.Accepted.class);
                assertThat(read.image(i)).as("image %d", i).isEqualTo(((Outcome.Accepted) outcome).image());
                assertThat(read.label(i)).as("label %d", i).isEqualTo(Integer.parseInt(image.label().orElseThrow()));
            }
        }
    }

    @Test
    void unlabelledImagesAreRefusedWithWhatToDo() throws IOException {
        Files.write(dir.resolve("a.png"), Png.encode(ShapeImages.image(new Random(1), GRAY, 0)));
        Files.write(dir.resolve("b.png"), Png.encode(ShapeImages.image(new Random(2), GRAY, 1)));

        assertThatThrownBy(() -> RealDataLoader.load(dir.toString(), Optional.empty(), LoaderOptions.forShape(GRAY), Progress.silent()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("carry no labels").hasMessageContaining("labels.csv");
    }

    @Test
    void aMissingPathIsExplained() {
        assertThatThrownBy(() -> RealDataLoader.load(dir.resolve("nothing").toString(), Optional.empty(), LoaderOptions.forShape(GRAY), Progress.silent()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("There is no file or folder");
    }

    @Test
    void theHashFollowsContentNotName() {
        RealData a = ShapeImages.data("a", GRAY, 3, 1);
        int[] labels = a.labels();
        labels[0] = 2;
        byte[] pixels = new byte[a.count() * GRAY.values()];
        for (int i = 0; i < a.count(); i++) {
            System.arraycopy(a.image(i).pixels(), 0, pixels, i * GRAY.values(), GRAY.values());
        }

        assertThat(RealData.of("renamed", GRAY, pixels, a.labels(), a.classNames()).sha256()).isEqualTo(a.sha256());
        assertThat(RealData.of("a", GRAY, pixels, labels, a.classNames()).sha256()).isNotEqualTo(a.sha256());
    }

    private static void writeClassFolders(Path root, int perClass, Random random) throws IOException {
        ImageShape big = new ImageShape(40, 40, 3);
        for (int c = 0; c < ShapeImages.CLASSES.size(); c++) {
            Path folder = Files.createDirectories(root.resolve(ShapeImages.CLASSES.get(c)));
            for (int i = 0; i < perClass; i++) {
                CanonicalImage image = ShapeImages.image(random, big, c);
                Files.write(folder.resolve("i" + i + ".png"), Png.encode(image));
            }
        }
    }
}
