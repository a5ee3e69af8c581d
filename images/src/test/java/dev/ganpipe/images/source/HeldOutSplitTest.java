package dev.ganpipe.images.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ganpipe.images.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real folders: the held-out images are the same on every read, never published, and copied out by class. */
class HeldOutSplitTest {

    @TempDir
    Path dir;

    @Test
    void theSameImagesAreHeldOutOnEveryReadAndTheTrainingViewNeverShowsThem() throws IOException {
        Path data = dir.resolve("data");
        for (int i = 0; i < 200; i++) {
            Path file = data.resolve((i % 2 == 0 ? "cats" : "dogs") + "/" + i + ".png");
            Files.createDirectories(file.getParent());
            Files.write(file, TestImages.png(TestImages.gray(16, 16, (x, y) -> x)));
        }
        HeldOutSplit split = HeldOutSplit.of(200, 0.10, 1000, 42);
        Set<String> held = new HashSet<>();
        List<String> trained = new ArrayList<>();
        try (ImageSource all = ImageSources.open(data.toString(), SourceOptions.labelsAsWritten(1 << 20));
                ImageSource training = split.training(ImageSources.open(data.toString(), SourceOptions.labelsAsWritten(1 << 20)))) {
            for (Optional<SourceImage> next = all.next(); next.isPresent(); next = all.next()) {
                if (split.holds(next.get().sourceId())) {
                    held.add(next.get().sourceId());
                }
            }
            for (Optional<SourceImage> next = training.next(); next.isPresent(); next = training.next()) {
                trained.add(next.get().sourceId());
            }
        }
        assertThat(held.size()).as("about a tenth").isBetween(8, 35);
        assertThat(trained).hasSize(200 - held.size()).doesNotContainAnyElementsOf(held);

        Path folder = dir.resolve("held-out");
        Files.createDirectories(folder.resolve("stale"));
        assertThat(split.write(data.toString(), folder)).isEqualTo(held.size());
        try (Stream<Path> files = Files.walk(folder)) {
            assertThat(files.filter(Files::isRegularFile).map(f -> folder.relativize(f).getName(0).toString()).distinct().sorted().toList())
                    .as("one folder per class, the stale one gone").containsExactly("cats", "dogs");
        }
        assertThat(HeldOutSplit.of(200, 0.10, 1000, 7).holds(held.iterator().next()) && HeldOutSplit.of(200, 0.10, 1000, 7)
                .holds(held.stream().skip(1).findFirst().orElseThrow()) && HeldOutSplit.of(200, 0.10, 1000, 7)
                .holds(held.stream().skip(2).findFirst().orElseThrow())).as("another seed holds out other images").isFalse();
    }

    @Test
    void theShareIsCappedAtTheMaximumCount() {
        assertThat(HeldOutSplit.of(100_000, 0.10, 1000, 1).share()).isCloseTo(0.01, within(1e-12));
        assertThat(HeldOutSplit.of(500, 0.10, 1000, 1).share()).isCloseTo(0.10, within(1e-12));
    }
}
