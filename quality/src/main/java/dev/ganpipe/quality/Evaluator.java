package dev.ganpipe.quality;

import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.image.ModelPixels;
import dev.ganpipe.common.model.Noise;
import dev.ganpipe.quality.classifier.ClassifierTrainer;
import dev.ganpipe.quality.classifier.DomainClassifier;
import dev.ganpipe.quality.classifier.Features;
import dev.ganpipe.quality.data.RealData;
import dev.ganpipe.quality.metrics.ClassCoverage;
import dev.ganpipe.quality.metrics.FeatureSet;
import dev.ganpipe.quality.metrics.FrechetDistance;
import dev.ganpipe.quality.metrics.GaussianStatistics;
import dev.ganpipe.quality.metrics.KernelDistance;
import dev.ganpipe.quality.metrics.PrecisionRecall;
import dev.ganpipe.quality.usefulness.ClassificationAccuracyScore;
import dev.ganpipe.quality.usefulness.TestScore;
import dev.ganpipe.quality.usefulness.Usefulness;
import dev.ganpipe.quality.usefulness.UsefulnessOptions;
import dev.ganpipe.quality.usefulness.UsefulnessReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Measures generators against held-out real images. {@link #prepare} does the fixed work once: the classifier
 * (trained or loaded from the cache), the held-out features, their Gaussian and k-NN manifold; then each
 * {@link #evaluate(Generator)} costs only the generated images' share, on the same fixed noise, so that numbers
 * from different training steps compare.
 *
 * <p>From a training loop: prepare once before training starts (or on the training thread: training a classifier
 * opens DJL's one-per-JVM {@code GradientCollector}, so never while the GAN trains on another thread), then call
 * {@code evaluate} between training steps on the training thread. Evaluation itself only runs inference. Not
 * for concurrent use: calls are serialised. Holds the classifier's native memory until {@link #close()}.
 */
public final class Evaluator implements AutoCloseable {

    /** Generated images kept per predicted class for the report's figure. */
    public static final int SAMPLES_PER_CLASS = 8;

    private final DomainClassifier classifier;
    private final boolean ownsClassifier;
    private final RealData train;
    private final RealData heldOut;
    private final EvaluationOptions options;
    private final double heldOutAccuracy;
    private final FeatureSet realVectors;
    private final GaussianStatistics realStatistics;
    private final PrecisionRecall.Manifold realManifold;
    private final double[] expectedShares;
    private QualityMetrics floor;
    private UsefulnessOptions casReferenceOptions;
    private TestScore casReference;

    private Evaluator(DomainClassifier classifier, boolean ownsClassifier, RealData train, RealData heldOut, EvaluationOptions options,
            HeldOutSide side) {
        this.classifier = classifier;
        this.ownsClassifier = ownsClassifier;
        this.train = train;
        this.heldOut = heldOut;
        this.options = options;
        this.expectedShares = train.classShares();
        this.heldOutAccuracy = side.accuracy();
        this.realVectors = side.vectors();
        this.realStatistics = GaussianStatistics.of(realVectors);
        this.realManifold = PrecisionRecall.manifold(realVectors, options.neighbours());
    }

    /** The classifier's view of the held-out set: its accuracy on all of it, and the features of the images compared. */
    private record HeldOutSide(double accuracy, FeatureSet vectors) {

        static HeldOutSide of(DomainClassifier classifier, RealData heldOut, EvaluationOptions options) {
            options.progress().report("Extracting the features of " + heldOut.count() + " held-out images ...");
            int[] all = new int[heldOut.count()];
            Arrays.setAll(all, i -> i);
            Features features = classifier.extract(heldOut, all);
            int[] predicted = features.predicted();
            int hits = 0;
            for (int i = 0; i < predicted.length; i++) {
                hits += predicted[i] == heldOut.label(i) ? 1 : 0;
            }
            int n = Math.min(options.count(), heldOut.count());
            FeatureSet vectors = n == heldOut.count() ? features.vectors() : features.vectors().rows(heldOut.sampleIndices(n, options.seed()));
            return new HeldOutSide(hits / (double) predicted.length, vectors);
        }
    }

    private static Evaluator create(DomainClassifier classifier, boolean owns, RealData train, RealData heldOut, EvaluationOptions options) {
        long started = System.nanoTime();
        Evaluator evaluator = new Evaluator(classifier, owns, train, heldOut, options, HeldOutSide.of(classifier, heldOut, options));
        options.progress().report(String.format(Locale.ROOT,
                "Held-out set ready: classifier accuracy %.2f%% on %d images; %d images per side (%.1f s).",
                100 * evaluator.heldOutAccuracy, heldOut.count(), evaluator.realVectors.count(), (System.nanoTime() - started) / 1e9));
        return evaluator;
    }

    /**
     * Trains or loads the classifier for {@code train} (from {@link EvaluationOptions#cacheDir()}) and prepares the
     * held-out side.
     *
     * @throws IllegalArgumentException when the sets differ in shape or classes, or are too small
     */
    public static Evaluator prepare(RealData train, RealData heldOut, EvaluationOptions options) {
        requireCompatible(train, heldOut, options);
        DomainClassifier classifier = ClassifierTrainer.trainOrLoad(train, heldOut, options.classifier(), options.cacheDir(), options.progress());
        try {
            return create(classifier, true, train, heldOut, options);
        } catch (RuntimeException e) {
            classifier.close();
            throw e;
        }
    }

    /** Prepares with a classifier the caller owns (and closes). */
    public static Evaluator prepare(DomainClassifier classifier, RealData train, RealData heldOut, EvaluationOptions options) {
        requireCompatible(train, heldOut, options);
        if (!classifier.architecture().input().equals(train.shape()) || !classifier.classNames().equals(train.classNames())) {
            throw new IllegalArgumentException("The classifier reads " + classifier.architecture().input() + " images of classes "
                    + classifier.classNames() + ", but the data is " + train.shape() + " of classes " + train.classNames() + ".");
        }
        return create(classifier, false, train, heldOut, options);
    }

    /** Prepares, evaluates one generator and frees everything: the one-shot form the command line uses. */
    public static EvaluationReport evaluate(Generator generator, RealData train, RealData heldOut, EvaluationOptions options) {
        try (Evaluator evaluator = prepare(train, heldOut, options)) {
            return evaluator.evaluate(generator);
        }
    }

    private static void requireCompatible(RealData train, RealData heldOut, EvaluationOptions options) {
        Objects.requireNonNull(options, "options");
        if (!train.shape().equals(heldOut.shape()) || !train.classNames().equals(heldOut.classNames())) {
            throw new IllegalArgumentException("The training set (" + train.shape() + ", classes " + train.classNames() + ") and the held-out set ("
                    + heldOut.shape() + ", classes " + heldOut.classNames() + ") must have the same shape and classes.");
        }
        if (heldOut.count() <= options.neighbours()) {
            throw new IllegalArgumentException("The held-out set has " + heldOut.count() + " images; precision and recall with k = "
                    + options.neighbours() + " need more. Give a larger held-out set.");
        }
    }

    /**
     * Measures a generator on {@code min(count, held-out size)} images from the fixed noise of
     * {@link EvaluationOptions#seed()}; a conditional generator is asked for the classes in turn (0, 1, 2, ...).
     *
     * @throws IllegalArgumentException when the generator's image shape is not the data's
     * @throws IllegalStateException when the generator returns the wrong number of values
     */
    public synchronized EvaluationReport evaluate(Generator generator) {
        ImageShape shape = train.shape();
        if (!generator.shape().equals(shape)) {
            throw new IllegalArgumentException("The generator makes " + generator.shape() + " images but the real data is " + shape
                    + "; load the real data at the generator's shape.");
        }
        Progress progress = options.progress();
        long started = System.nanoTime();
        int n = realVectors.count();
        int classes = train.classCount();
        int values = shape.values();
        int dim = realVectors.dim();
        float[] noise = Noise.gaussian(options.seed(), n, generator.noiseDim());
        int[] requested = generator.conditional() ? new int[n] : null;
        if (requested != null) {
            Arrays.setAll(requested, i -> i % classes);
        }
        float[] vectors = new float[Math.multiplyExact(n, dim)];
        int[] predicted = new int[n];
        List<List<CanonicalImage>> samples = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            samples.add(new ArrayList<>());
        }
        progress.report("Generating and classifying " + n + " images from " + generator.description() + " ...");
        for (int start = 0; start < n; start += options.batchSize()) {
            int count = Math.min(options.batchSize(), n - start);
            float[] z = Arrays.copyOfRange(noise, start * generator.noiseDim(), (start + count) * generator.noiseDim());
            float[] images = requested == null
                    ? generator.generate(z, count)
                    : generator.generate(z, Arrays.copyOfRange(requested, start, start + count), count);
            if (images == null || images.length != (long) count * values) {
                throw new IllegalStateException("The generator returned " + (images == null ? "null" : images.length + " values") + " for " + count
                        + " images of " + shape + "; it must return count * C * H * W = " + (long) count * values + " floats.");
            }
            quantise(images);
            Features batch = classifier.extract(images, count);
            batch.vectors().copyInto(vectors, start * dim);
            int[] batchPredicted = batch.predicted();
            for (int i = 0; i < count; i++) {
                predicted[start + i] = batchPredicted[i];
                List<CanonicalImage> group = samples.get(batchPredicted[i]);
                if (group.size() < SAMPLES_PER_CLASS) {
                    group.add(ModelPixels.fromModelOutput(images, i * values, shape));
                }
            }
        }
        QualityMetrics metrics = measure(new FeatureSet(vectors, n, dim), predicted, requested);
        double seconds = (System.nanoTime() - started) / 1e9;
        progress.report(String.format(Locale.ROOT, "Measured %s: FID %.3f, KID %.5f, precision %.3f, recall %.3f, %d/%d classes covered (%.1f s).",
                generator.description(), metrics.fid(), metrics.kid(), metrics.precision(), metrics.recall(), metrics.coverage().covered(),
                metrics.coverage().classes(), seconds));
        Optional<QualityMetrics> floorMetrics = options.floor() ? Optional.of(floor()) : Optional.empty();
        return new EvaluationReport(generator.description(), shape, train.classNames(), classifier.info(), heldOutAccuracy,
                train.name() + " (" + train.count() + " images)", heldOut.name() + " (" + heldOut.count() + " images)", metrics, floorMetrics,
                samples, new EvaluationReport.Settings(n, options.kidSubsetSize() >= n ? 1 : options.kidSubsets(), Math.min(options.kidSubsetSize(), n),
                        options.neighbours(),
                        options.seed()), seconds);
    }

    /**
     * Measures whether the generator's images help: CAS and augmentation uplift (conditional generators), and
     * memorisation against the training set in this evaluator's feature space. Trains
     * {@link UsefulnessOptions#classifiers()} small classifiers, so it opens DJL's {@code GradientCollector}: call it
     * on the training thread, never while the GAN trains on another.
     */
    public synchronized UsefulnessReport usefulness(Generator generator, UsefulnessOptions usefulnessOptions) {
        return Usefulness.measure(generator, classifier, train, heldOut, usefulnessOptions, options.progress());
    }

    /**
     * CAS alone, for measuring often: the classifier trained on real images is trained on the first call (and again
     * when the options change), then kept, so each later call trains one classifier. Same thread rule as
     * {@link #usefulness}.
     *
     * @throws IllegalArgumentException when the generator is unconditional
     */
    public synchronized ClassificationAccuracyScore classificationAccuracyScore(Generator generator, UsefulnessOptions usefulnessOptions) {
        TestScore onGenerated = Usefulness.casOnGenerated(generator, train, heldOut, usefulnessOptions);
        if (casReference == null || !usefulnessOptions.equals(casReferenceOptions)) {
            casReference = Usefulness.casOnReal(train, heldOut, usefulnessOptions);
            casReferenceOptions = usefulnessOptions;
        }
        return new ClassificationAccuracyScore(onGenerated, casReference);
    }

    /** Prepares, evaluates one generator with its usefulness measures and frees everything. */
    public static EvaluationReport evaluate(Generator generator, RealData train, RealData heldOut, EvaluationOptions options,
            UsefulnessOptions usefulnessOptions) {
        try (Evaluator evaluator = prepare(train, heldOut, options)) {
            EvaluationReport report = evaluator.evaluate(generator);
            return report.withUsefulness(evaluator.usefulness(generator, usefulnessOptions));
        }
    }

    /**
     * The floor: the metrics of {@code count} real training images against the held-out images, the best a
     * generator can hope for at this count. Computed on first use, then kept.
     */
    public synchronized QualityMetrics floor() {
        if (floor == null) {
            long started = System.nanoTime();
            int n = Math.min(realVectors.count(), train.count());
            options.progress().report("Measuring the floor: " + n + " real training images against the held-out images ...");
            int[] rows = train.sampleIndices(n, options.seed() + 1);
            Features features = classifier.extract(train, rows);
            QualityMetrics measured = measure(features.vectors(), features.predicted(), null);
            // A perfect conditional generator makes new images of the requested class: the classifier's accuracy on
            // images it never trained on (held-out) is its score, not the accuracy on the training images.
            floor = new QualityMetrics(measured.images(), measured.realImages(), measured.fid(), measured.kid(), measured.kidStd(),
                    measured.precision(), measured.recall(), measured.coverage(), heldOutAccuracy);
            options.progress().report(String.format(Locale.ROOT, "Floor: FID %.3f, KID %.5f, precision %.3f, recall %.3f (%.1f s).",
                    floor.fid(), floor.kid(), floor.precision(), floor.recall(), (System.nanoTime() - started) / 1e9));
        }
        return floor;
    }

    private QualityMetrics measure(FeatureSet vectors, int[] predicted, int[] requested) {
        double fid = FrechetDistance.between(realStatistics, GaussianStatistics.of(vectors));
        KernelDistance.Result kid = KernelDistance.between(realVectors, vectors, options.kidSubsets(), options.kidSubsetSize(), options.seed());
        PrecisionRecall.Result pr = PrecisionRecall.between(realManifold, vectors);
        ClassCoverage coverage = ClassCoverage.of(predicted, expectedShares);
        double conditional = requested == null ? Double.NaN : ClassCoverage.accuracy(predicted, requested);
        return new QualityMetrics(vectors.count(), realVectors.count(), fid, kid.mean(), kid.std(), pr.precision(), pr.recall(), coverage, conditional);
    }

    /** Rounds model output to the 8-bit levels users receive, as the services map it (NaN becomes -1). */
    private static void quantise(float[] images) {
        for (int i = 0; i < images.length; i++) {
            images[i] = ModelPixels.toModelValue((byte) ModelPixels.toLevel(images[i]));
        }
    }

    /** The classifier in use. */
    public DomainClassifier classifier() {
        return classifier;
    }

    /** The classifier's accuracy on the whole held-out set, 0..1. */
    public double heldOutAccuracy() {
        return heldOutAccuracy;
    }

    /** The options this evaluator runs with. */
    public EvaluationOptions options() {
        return options;
    }

    /** Frees the classifier when this evaluator loaded or trained it. */
    @Override
    public void close() {
        if (ownsClassifier) {
            classifier.close();
        }
    }
}
