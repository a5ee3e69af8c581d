package dev.ganpipe.quality.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.quality.ShapeImages;
import dev.ganpipe.quality.data.RealData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifierTrainerTest {

    private static final ImageShape GRAY = new ImageShape(28, 28, 1);
    private static final ClassifierOptions QUICK = new ClassifierOptions(6, 32, 2e-3, 1);
    private static final RealData TRAIN = ShapeImages.data("shapes-train", GRAY, 100, 1);
    private static final RealData HELD_OUT = ShapeImages.data("shapes-test", GRAY, 30, 2);

    @TempDir
    Path cache;

    @Test
    void learnsThreeShapeClassesToHighHeldOutAccuracy() {
        List<String> lines = new ArrayList<>();
        try (DomainClassifier classifier = ClassifierTrainer.train(TRAIN, HELD_OUT, QUICK, lines::add)) {
            assertThat(classifier.accuracy(HELD_OUT)).isGreaterThanOrEqualTo(0.95);
            assertThat(classifier.info().heldOutAccuracy()).isEqualTo(classifier.accuracy(HELD_OUT));
            assertThat(classifier.info().fromCache()).isFalse();
            Features features = classifier.extract(HELD_OUT, new int[] {0, 1, 2});
            assertThat(features.vectors().dim()).isEqualTo(ClassifierArchitecture.DEFAULT_FEATURE_DIM);
            assertThat(features.predicted()).containsExactly(0, 1, 2);
        }
        assertThat(lines).anyMatch(l -> l.contains("epoch 6/6") && l.contains("held-out accuracy"));
    }

    @Test
    void aSecondRunLoadsTheCachedClassifierWithIdenticalFeatures() {
        int[] all = IntStream.range(0, HELD_OUT.count()).toArray();
        float[] first;
        try (DomainClassifier trained = ClassifierTrainer.trainOrLoad(TRAIN, HELD_OUT, QUICK, cache, line -> { })) {
            assertThat(trained.info().fromCache()).isFalse();
            assertThat(trained.info().cacheEntry()).startsWith(cache.toString());
            first = values(trained.extract(HELD_OUT, all));
        }
        List<String> lines = new ArrayList<>();
        try (DomainClassifier loaded = ClassifierTrainer.trainOrLoad(TRAIN, HELD_OUT, QUICK, cache, lines::add)) {
            assertThat(loaded.info().fromCache()).isTrue();
            assertThat(loaded.classNames()).isEqualTo(ShapeImages.CLASSES);
            assertThat(values(loaded.extract(HELD_OUT, all))).containsExactly(first);
        }
        assertThat(lines).anyMatch(l -> l.startsWith("Loaded the classifier from"));
        assertThat(lines).noneMatch(l -> l.contains("epoch"));
    }

    @Test
    void otherDataOrOtherOptionsGetTheirOwnCacheEntry() {
        ClassifierArchitecture architecture = ClassifierArchitecture.defaultFor(GRAY, 3);
        int[] labels = TRAIN.labels();
        labels[0] = (labels[0] + 1) % 3;
        RealData relabelled = RealData.of("shapes-train", GRAY, pixels(TRAIN), labels, ShapeImages.CLASSES);

        Path base = ClassifierCache.entry(cache, TRAIN, architecture, QUICK);
        assertThat(ClassifierCache.entry(cache, RealData.of("renamed", GRAY, pixels(TRAIN), TRAIN.labels(), ShapeImages.CLASSES), architecture, QUICK))
                .as("the name does not matter, the content does").isEqualTo(base);
        assertThat(ClassifierCache.entry(cache, relabelled, architecture, QUICK)).isNotEqualTo(base);
        assertThat(ClassifierCache.entry(cache, TRAIN, architecture, QUICK.withEpochs(4))).isNotEqualTo(base);
    }

    @Test
    void aCorruptCacheEntryIsReportedAndReplaced() throws IOException {
        ClassifierArchitecture architecture = ClassifierArchitecture.defaultFor(GRAY, 3);
        Path entry = ClassifierCache.entry(cache, TRAIN, architecture, QUICK);
        Files.createDirectories(entry);
        Files.writeString(entry.resolve(ClassifierCache.METADATA), "{not json");
        Files.writeString(entry.resolve(ClassifierCache.WEIGHTS), "garbage");
        List<String> lines = new ArrayList<>();

        try (DomainClassifier classifier = ClassifierTrainer.trainOrLoad(TRAIN, HELD_OUT, QUICK, cache, lines::add)) {
            assertThat(classifier.info().fromCache()).isFalse();
        }
        assertThat(lines).anyMatch(l -> l.contains("cannot be read") && l.contains("training a new one"));
        try (DomainClassifier again = ClassifierTrainer.trainOrLoad(TRAIN, HELD_OUT, QUICK, cache, line -> { })) {
            assertThat(again.info().fromCache()).isTrue();
        }
    }

    @Test
    void extractsTheSameFeaturesOnAnotherThread() throws InterruptedException {
        // Grad mode is per thread and on by default on threads that did not load the engine.
        try (DomainClassifier classifier = ClassifierTrainer.train(TRAIN, HELD_OUT, QUICK.withEpochs(1), line -> { })) {
            int[] some = {0, 5, 7};
            float[] here = values(classifier.extract(HELD_OUT, some));
            AtomicReference<float[]> there = new AtomicReference<>();
            Thread thread = new Thread(() -> there.set(values(classifier.extract(HELD_OUT, some))));
            thread.start();
            thread.join();
            assertThat(there.get()).containsExactly(here);
        }
    }

    @Test
    void learnsColourImagesToo() {
        ImageShape rgb = new ImageShape(28, 28, 3);
        RealData train = ShapeImages.data("rgb-train", rgb, 100, 21);
        RealData heldOut = ShapeImages.data("rgb-test", rgb, 20, 22);

        try (DomainClassifier classifier = ClassifierTrainer.train(train, heldOut, QUICK, line -> { })) {
            assertThat(classifier.accuracy(heldOut)).isGreaterThanOrEqualTo(0.9);
        }
    }

    @Test
    void runsTheThreeBlockLayoutOn64x64Images() {
        ImageShape big = new ImageShape(64, 64, 3);
        RealData train = ShapeImages.data("big-train", big, 8, 31);

        try (DomainClassifier classifier = ClassifierTrainer.train(train, train, QUICK.withEpochs(1), line -> { })) {
            assertThat(classifier.architecture().convWidths()).hasSize(3);
            Features features = classifier.extract(train, new int[] {0, 1});
            assertThat(features.vectors().count()).isEqualTo(2);
            assertThat(features.vectors().dim()).isEqualTo(ClassifierArchitecture.DEFAULT_FEATURE_DIM);
        }
    }

    @Test
    void theDefaultLayoutGrowsWithTheImageSize() {
        assertThat(ClassifierArchitecture.defaultFor(new ImageShape(28, 28, 1), 10).key()).isEqualTo("cnn1-28x28x1-k10-c32.64-f128");
        assertThat(ClassifierArchitecture.defaultFor(new ImageShape(32, 32, 3), 10).key()).isEqualTo("cnn1-32x32x3-k10-c32.64-f128");
        assertThat(ClassifierArchitecture.defaultFor(new ImageShape(64, 64, 3), 10).key()).isEqualTo("cnn1-64x64x3-k10-c32.64.128-f128");
        assertThat(ClassifierArchitecture.defaultFor(new ImageShape(128, 128, 3), 2).convWidths()).hasSize(4);
    }

    private static float[] values(Features features) {
        float[] out = new float[features.vectors().count() * features.vectors().dim()];
        features.vectors().copyInto(out, 0);
        return out;
    }

    private static byte[] pixels(RealData data) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < data.count(); i++) {
            out.writeBytes(data.image(i).pixels());
        }
        return out.toByteArray();
    }
}
