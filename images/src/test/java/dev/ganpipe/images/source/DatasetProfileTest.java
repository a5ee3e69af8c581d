package dev.ganpipe.images.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.images.TestImages;
import dev.ganpipe.images.normalize.ClassList;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real files, real decoders: a dataset's shape and classes decided from its images. */
class DatasetProfileTest {

    @TempDir
    Path dir;

    private final List<String> progress = new ArrayList<>();

    @Test
    void classSubFoldersOfColourImagesGiveAnRgbShapeOfTheirSizeAndTheFolderNamesSorted() throws IOException {
        for (int i = 0; i < 3; i++) {
            write("dogs/d" + i + ".png", TestImages.png(TestImages.noise(64, 64, i)));
            write("cats/c" + i + ".png", TestImages.png(TestImages.gray(64, 64, (x, y) -> x * 4)));
        }
        write("birds/odd-size.png", TestImages.png(TestImages.noise(80, 50, 9)));

        DatasetProfile profile = DatasetProfile.scan(dir.toString(), Optional.empty(), Optional.empty(), progress::add);

        assertThat(profile.shape()).isEqualTo(new ImageShape(64, 64, 3));
        assertThat(profile.classes()).contains(ClassList.parse("birds,cats,dogs"));
        assertThat(profile.images()).isEqualTo(7);
        assertThat(profile.labelled()).isEqualTo(7);
        assertThat(profile.conditional()).isTrue();
        assertThat(String.join(" ", profile.evidence())).contains("6 of the 7 readable images are 64x64 (2 sizes in all")
                .contains("They are RGB: ");
        assertThat(profile.summary()).isEqualTo("7 images, 64x64x3, 3 classes (birds, cats, dogs)");
    }

    @Test
    void grayImagesStayGrayEvenWithAlphaAndScaleDownToTheLargestTrainableSide() throws IOException {
        // 40x40 gray content drawn in ARGB with a transparent border: composited onto black it is still gray.
        for (int i = 0; i < 4; i++) {
            int shade = 40 * i;
            write("g" + i + ".png", TestImages.png(TestImages.argb(40, 40,
                    (x, y) -> x < 4 ? 0 : 0xFF000000 | shade << 16 | shade << 8 | shade)));
        }
        DatasetProfile profile = DatasetProfile.scan(dir.toString(), Optional.empty(), Optional.empty(), progress::add);
        assertThat(profile.shape()).isEqualTo(new ImageShape(32, 32, 1));
        assertThat(profile.classes()).isEmpty();
        assertThat(String.join(" ", profile.evidence())).contains("They are gray").contains("unconditional");
    }

    @Test
    void aTarWithALabelsCsvOfNumbersIsNamedByNumberAndGivenFlagsWin() throws IOException {
        Path archive = dir.resolve("set.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(archive))) {
            FolderAndTarSourceTest.entry(tar, "labels.csv", "file,label\na.png,0\nb.png,2\nc.png,1\ngone.png,1\n".getBytes(StandardCharsets.UTF_8));
            for (String name : List.of("a", "b", "c")) {
                FolderAndTarSourceTest.entry(tar, name + ".png", TestImages.png(TestImages.gray(28, 28, (x, y) -> y)));
            }
        }
        DatasetProfile decided = DatasetProfile.scan(archive.toString(), Optional.empty(), Optional.empty(), progress::add);
        assertThat(decided.shape()).isEqualTo(ImageShape.FASHION_MNIST);
        assertThat(decided.classes()).contains(ClassList.parse("0,1,2"));
        assertThat(decided.evidence()).anySatisfy(line -> assertThat(line)
                .startsWith("1 line of labels.csv in " + archive + " names no image there (e.g. gone.png)"));

        DatasetProfile given = DatasetProfile.scan(archive.toString(), Optional.of(new ImageShape(64, 64, 3)),
                Optional.of(ClassList.parse("zero,one")), progress::add);
        assertThat(given.shape()).isEqualTo(new ImageShape(64, 64, 3));
        assertThat(given.classes()).contains(ClassList.parse("zero,one"));
        assertThat(String.join(" ", given.evidence())).contains("1 labels name none of them; ingest dead-letters those images as bad_label");
    }

    @Test
    void theBundledIdxSampleIsFashionMnistWithItsClassNames() throws IOException {
        DatasetProfile profile = DatasetProfile.scan(SampleData.FASHION_MNIST, Optional.empty(), Optional.empty(), progress::add);
        assertThat(profile.shape()).isEqualTo(ImageShape.FASHION_MNIST);
        assertThat(profile.classes()).contains(ClassList.fashionMnist());
        assertThat(profile.images()).isEqualTo(SampleData.FASHION_MNIST_COUNT);
    }

    @Test
    void anEmptyFolderAndUnreadableImagesGetASentence() throws IOException {
        assertThatThrownBy(() -> DatasetProfile.scan(dir.toString(), Optional.empty(), Optional.empty(), progress::add))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("There is no image in " + dir);
        write("broken.png", TestImages.truncatedPng());
        assertThatThrownBy(() -> DatasetProfile.scan(dir.toString(), Optional.empty(), Optional.empty(), progress::add))
                .hasMessageStartingWith("None of the 1 images in " + dir + " could be read");
        write("fine.png", TestImages.goodPng());
        DatasetProfile profile = DatasetProfile.scan(dir.toString(), Optional.empty(), Optional.empty(), progress::add);
        assertThat(profile.unreadable()).isEqualTo(1);
        assertThat(String.join(" ", profile.evidence())).contains("1 of 2 images could not be read");
    }

    @Test
    void sidesMapToTheLargestTrainableOneNotAboveThem() {
        assertThat(DatasetProfile.sideFor(16)).isEqualTo(28);
        assertThat(DatasetProfile.sideFor(28)).isEqualTo(28);
        assertThat(DatasetProfile.sideFor(31)).isEqualTo(28);
        assertThat(DatasetProfile.sideFor(32)).isEqualTo(32);
        assertThat(DatasetProfile.sideFor(63)).isEqualTo(32);
        assertThat(DatasetProfile.sideFor(512)).isEqualTo(64);
    }

    private Path write(String relative, byte[] bytes) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }
}
