package dev.ganpipe.quality.usefulness;

import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.quality.Generator;
import dev.ganpipe.quality.Progress;
import dev.ganpipe.quality.classifier.ClassifierOptions;
import dev.ganpipe.quality.classifier.DomainClassifier;
import dev.ganpipe.quality.data.RealData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/** Measures whether a generator's images help: {@link #measure} runs CAS, the augmentation uplift and memorisation. */
public final class Usefulness {

    private Usefulness() {
    }

    /**
     * Measures {@code generator} against the real data.
     *
     * @param classifier the evaluator's classifier: its features are the feature space of the memorisation search
     * @throws IllegalArgumentException when the generator's shape or the imbalanced class does not fit the data
     */
    public static UsefulnessReport measure(Generator generator, DomainClassifier classifier, RealData train, RealData heldOut,
            UsefulnessOptions options, Progress progress) {
        if (!generator.shape().equals(train.shape())) {
            throw new IllegalArgumentException("The generator makes " + generator.shape() + " images but the real data is " + train.shape()
                    + "; load the real data at the generator's shape.");
        }
        int classes = train.classCount();
        if (options.imbalancedClass() >= classes) {
            throw new IllegalArgumentException("The imbalanced class (--imbalanced-class) is " + options.imbalancedClass() + ", but the data has only "
                    + classes + " classes (0.." + (classes - 1) + ").");
        }
        long started = System.nanoTime();
        boolean conditional = generator.conditional();
        int poolSize = conditional
                ? max(options.casImages(), options.generatedPerClass() * classes, options.imbalancedPerClass() * classes, options.memorisationImages())
                : options.memorisationImages();
        progress.report("Usefulness: generating " + poolSize + " images; " + (conditional ? options.classifiers() + " scoring classifiers of "
                + options.steps() + " steps each, then " : "") + "a nearest-neighbour search of the " + train.count() + " training images ...");
        List<CanonicalImage> pool = GeneratedImages.generate(generator, poolSize, classes, options.seed());
        int[] requested = conditional ? GeneratedImages.requestedLabels(poolSize, classes) : new int[poolSize];
        RealData generated = RealData.of(generator.description() + " (generated)", pool, requested, train.classNames());
        RealData test = testSet(heldOut, options);

        Optional<ClassificationAccuracyScore> cas = Optional.empty();
        Optional<AugmentationUplift> uplift = Optional.empty();
        if (conditional) {
            cas = Optional.of(cas(generated, train, test, options, progress));
            uplift = Optional.of(uplift(generated, train, test, options, progress));
        }
        long searchStarted = System.nanoTime();
        int m = Math.min(options.memorisationImages(), poolSize);
        Memorisation memorisation = MemorisationSearch.measure(generated.subset(range(0, m), generated.name()), train, heldOut, classifier,
                options.pairsShown(), options.seed());
        progress.report(String.format(Locale.ROOT, "  memorisation: %.1f%% of %d generated images nearer a training image than the %dth percentile "
                + "of held-out images (pixels; held-out: %.1f%%), %.1f%% in features (held-out: %.1f%%) (%.0f s)",
                100 * memorisation.pixels().generatedShare(), m, Memorisation.PERCENTILE, 100 * memorisation.pixels().heldOutShare(),
                100 * memorisation.features().generatedShare(), 100 * memorisation.features().heldOutShare(), seconds(searchStarted)));
        String omitted = conditional ? "" : "CAS and augmentation uplift need a conditional generator (images of a requested class); this one is "
                + "unconditional.";
        return new UsefulnessReport(cas, uplift, memorisation, omitted, options, seconds(started));
    }

    /**
     * The generated side of CAS alone: a classifier trained on {@link UsefulnessOptions#casImages()} images of the
     * requested classes in turn, tested on the held-out sample {@link #measure} uses. For a trainer that measures CAS
     * often and the real side ({@link #casOnReal}) once.
     *
     * @throws IllegalArgumentException when the generator is unconditional
     */
    public static TestScore casOnGenerated(Generator generator, RealData train, RealData heldOut, UsefulnessOptions options) {
        if (!generator.conditional()) {
            throw new IllegalArgumentException("CAS needs a conditional generator (images of a requested class); " + generator.description()
                    + " is unconditional.");
        }
        int n = options.casImages();
        List<CanonicalImage> images = GeneratedImages.generate(generator, n, train.classCount(), options.seed());
        RealData generated = RealData.of(generator.description() + " (generated)", images, GeneratedImages.requestedLabels(n, train.classCount()),
                train.classNames());
        return TestScore.of(generated, testSet(heldOut, options), options.classifier(), options.steps());
    }

    /** The real side of CAS: the same classifier trained on as many real training images, tested on the same sample. */
    public static TestScore casOnReal(RealData train, RealData heldOut, UsefulnessOptions options) {
        return TestScore.of(train.subset(train.sampleIndices(options.casImages(), options.seed() + 5), train.name() + " (CAS sample)"),
                testSet(heldOut, options), options.classifier(), options.steps());
    }

    private static RealData testSet(RealData heldOut, UsefulnessOptions options) {
        return heldOut.subset(heldOut.sampleIndices(options.testImages(), options.seed() + 3), heldOut.name() + " (test sample)");
    }

    private static ClassificationAccuracyScore cas(RealData generated, RealData train, RealData test, UsefulnessOptions options, Progress progress) {
        long started = System.nanoTime();
        int n = options.casImages();
        TestScore onGenerated = TestScore.of(generated.subset(range(0, n), generated.name()), test, options.classifier(), options.steps());
        TestScore onReal = casOnReal(train, test, options.withTestImages(test.count()));
        ClassificationAccuracyScore score = new ClassificationAccuracyScore(onGenerated, onReal);
        progress.report(String.format(Locale.ROOT, "  CAS: %.2f%% trained on %d generated images, %.2f%% on %d real ones: %.3fx real (%.0f s)",
                100 * onGenerated.accuracy(), n, 100 * onReal.accuracy(), n, score.ratio(), seconds(started)));
        return score;
    }

    private static AugmentationUplift uplift(RealData generated, RealData train, RealData test, UsefulnessOptions options, Progress progress) {
        int classes = train.classCount();
        List<AugmentationUplift.Row> rows = new ArrayList<>();
        for (int k : options.upliftPerClass()) {
            long started = System.nanoTime();
            List<Double> real = new ArrayList<>();
            List<Double> augmented = new ArrayList<>();
            for (int s = 0; s < options.seeds(); s++) {
                long seed = options.seed() + 1000L * (s + 1) + k;
                ClassifierOptions classifier = withSeed(options.classifier(), seed);
                List<Integer> realRows = perClass(train, k, classes, seed);
                List<Integer> generatedRows = perClass(generated, options.generatedPerClass(), classes, seed + 1);
                RealData realSet = train.subset(toArray(realRows), train.name() + " (" + k + " per class)");
                real.add(TestScore.of(realSet, test, classifier, options.steps()).accuracy());
                augmented.add(TestScore.of(join(realSet, generated, generatedRows), test, classifier, options.steps()).accuracy());
            }
            AugmentationUplift.Row row = new AugmentationUplift.Row(k, real, augmented);
            rows.add(row);
            progress.report(String.format(Locale.ROOT, "  uplift at k = %d: %.2f%% real, %.2f%% with %d generated per class: %+.2f points (± %.2f over "
                    + "%d seeds) (%.0f s)", k, 100 * row.realMean(), 100 * row.augmentedMean(), options.generatedPerClass(), 100 * row.uplift(),
                    100 * row.upliftSpread(), options.seeds(), seconds(started)));
        }
        return new AugmentationUplift(rows, options.generatedPerClass(), imbalanced(generated, train, test, options, progress));
    }

    private static AugmentationUplift.Imbalanced imbalanced(RealData generated, RealData train, RealData test, UsefulnessOptions options,
            Progress progress) {
        long started = System.nanoTime();
        int classes = train.classCount();
        int cut = options.imbalancedClass();
        int perClass = options.imbalancedPerClass();
        int kept = Math.max(1, (int) Math.round(options.imbalancedShare() * perClass));
        long seed = options.seed() + 7;
        List<Integer> rows = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            List<Integer> ofClass = ofClass(train, c, perClass, seed + c);
            rows.addAll(c == cut ? ofClass.subList(0, Math.min(kept, ofClass.size())) : ofClass);
        }
        RealData before = train.subset(toArray(rows), train.name() + " (" + train.classNames().get(cut) + " cut to " + kept + ")");
        List<Integer> topUp = ofClass(generated, cut, perClass - kept, seed + 100);
        TestScore beforeScore = TestScore.of(before, test, options.classifier(), options.steps());
        TestScore afterScore = TestScore.of(join(before, generated, topUp), test, options.classifier(), options.steps());
        AugmentationUplift.Imbalanced result = new AugmentationUplift.Imbalanced(cut, train.classNames().get(cut), kept, perClass, beforeScore,
                afterScore);
        progress.report(String.format(Locale.ROOT, "  imbalanced: %s cut to %d of %d images: recall %.1f%%, topped up with %d generated: %.1f%% (%.0f s)",
                result.className(), kept, perClass, 100 * result.recallBefore(), topUp.size(), 100 * result.recallAfter(), seconds(started)));
        return result;
    }

    /** Up to {@code k} images of each class, seeded. */
    private static List<Integer> perClass(RealData data, int k, int classes, long seed) {
        List<Integer> rows = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            rows.addAll(ofClass(data, c, k, seed + 31L * c));
        }
        return rows;
    }

    /** Up to {@code k} images of class {@code c}, in a seeded order. */
    private static List<Integer> ofClass(RealData data, int c, int k, long seed) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < data.count(); i++) {
            if (data.label(i) == c) {
                rows.add(i);
            }
        }
        Collections.shuffle(rows, new Random(seed));
        return new ArrayList<>(rows.subList(0, Math.min(k, rows.size())));
    }

    /** {@code base} followed by the images of {@code extra} at {@code rows}. */
    private static RealData join(RealData base, RealData extra, List<Integer> rows) {
        List<CanonicalImage> images = new ArrayList<>(base.count() + rows.size());
        int[] labels = new int[base.count() + rows.size()];
        for (int i = 0; i < base.count(); i++) {
            images.add(base.image(i));
            labels[i] = base.label(i);
        }
        for (int n = 0; n < rows.size(); n++) {
            images.add(extra.image(rows.get(n)));
            labels[base.count() + n] = extra.label(rows.get(n));
        }
        return RealData.of(base.name() + " + " + rows.size() + " generated", images, labels, base.classNames());
    }

    private static ClassifierOptions withSeed(ClassifierOptions o, long seed) {
        return new ClassifierOptions(o.epochs(), o.batchSize(), o.learningRate(), seed);
    }

    private static int[] range(int from, int to) {
        int[] out = new int[to - from];
        Arrays.setAll(out, i -> from + i);
        return out;
    }

    private static int[] toArray(List<Integer> rows) {
        return rows.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int max(int... values) {
        return Arrays.stream(values).max().orElseThrow();
    }

    private static double seconds(long started) {
        return (System.nanoTime() - started) / 1e9;
    }
}
