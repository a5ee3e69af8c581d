package dev.ganpipe.quality;

import dev.ganpipe.quality.classifier.ClassifierOptions;
import dev.ganpipe.quality.metrics.PrecisionRecall;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How an evaluation runs.
 *
 * @param count generated images, and held-out real images they are compared with (capped at the held-out set's size)
 * @param kidSubsets subsets KID averages over
 * @param kidSubsetSize vectors per set in each KID subset (capped at {@code count})
 * @param neighbours k of the precision/recall manifolds
 * @param seed the fixed noise, the real images picked and the KID subsets: the same seed gives comparable numbers
 * @param batchSize images per generator call
 * @param floor whether to compute the floor (real training images against the held-out set; computed once per
 *        {@link Evaluator})
 * @param classifier how the classifier is trained when it is not cached
 * @param cacheDir where trained classifiers are kept
 * @param progress receives a line per step of long work
 */
public record EvaluationOptions(int count, int kidSubsets, int kidSubsetSize, int neighbours, long seed, int batchSize, boolean floor,
        ClassifierOptions classifier, Path cacheDir, Progress progress) {

    /** The default cache directory, relative to the working directory. */
    public static final Path DEFAULT_CACHE_DIR = Path.of(".gan", "quality");
    /** Images of a full evaluation: Fashion-MNIST's whole test set. */
    public static final int FULL_COUNT = 10_000;
    /** Images of an in-training evaluation. */
    public static final int IN_TRAINING_COUNT = 1_000;

    public EvaluationOptions {
        Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(progress, "progress");
        if (count < 10 || count > 1_000_000) {
            throw new IllegalArgumentException("Evaluate between 10 and 1,000,000 images (--count), but " + count + " were asked for; "
                    + "10000 is the usual full evaluation, 1000 a quick one.");
        }
        if (kidSubsets < 1 || kidSubsetSize < 2) {
            throw new IllegalArgumentException("KID needs at least 1 subset of at least 2 images, but got " + kidSubsets + " subsets of "
                    + kidSubsetSize + ".");
        }
        if (neighbours < 1 || neighbours > 100) {
            throw new IllegalArgumentException("The precision/recall neighbour count k must be between 1 and 100 (3 is usual), but was "
                    + neighbours + ".");
        }
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("The generator batch size must be between 1 and 10000, but was " + batchSize + ".");
        }
    }

    /**
     * A full evaluation as the literature reports it: 10,000 images, KID over 100 subsets of 1,000, k = 3, the floor.
     * Takes about a minute on two cores once the classifier is cached.
     */
    public static EvaluationOptions full() {
        return new EvaluationOptions(FULL_COUNT, 100, 1000, PrecisionRecall.DEFAULT_K, 0L, 250, true, ClassifierOptions.defaults(),
                DEFAULT_CACHE_DIR, Progress.silent());
    }

    /**
     * A cheap evaluation for use between training steps: 1,000 images, KID over 10 subsets of 500, k = 3. FID on
     * 1,000 images is biased upwards against the 10,000-image figure, so compare in-training numbers with each
     * other and with their own floor, never with a full evaluation's.
     */
    public static EvaluationOptions inTraining() {
        return new EvaluationOptions(IN_TRAINING_COUNT, 10, 500, PrecisionRecall.DEFAULT_K, 0L, 250, true, ClassifierOptions.defaults(),
                DEFAULT_CACHE_DIR, Progress.silent());
    }

    /** A copy with another image count. */
    public EvaluationOptions withCount(int newCount) {
        return new EvaluationOptions(newCount, kidSubsets, kidSubsetSize, neighbours, seed, batchSize, floor, classifier, cacheDir, progress);
    }

    /** A copy with other KID subsets. */
    public EvaluationOptions withKid(int newSubsets, int newSubsetSize) {
        return new EvaluationOptions(count, newSubsets, newSubsetSize, neighbours, seed, batchSize, floor, classifier, cacheDir, progress);
    }

    /** A copy with another neighbour count. */
    public EvaluationOptions withNeighbours(int k) {
        return new EvaluationOptions(count, kidSubsets, kidSubsetSize, k, seed, batchSize, floor, classifier, cacheDir, progress);
    }

    /** A copy with another seed. */
    public EvaluationOptions withSeed(long newSeed) {
        return new EvaluationOptions(count, kidSubsets, kidSubsetSize, neighbours, newSeed, batchSize, floor, classifier, cacheDir, progress);
    }

    /** A copy that does or does not compute the floor. */
    public EvaluationOptions withFloor(boolean newFloor) {
        return new EvaluationOptions(count, kidSubsets, kidSubsetSize, neighbours, seed, batchSize, newFloor, classifier, cacheDir, progress);
    }

    /** A copy with other classifier training options. */
    public EvaluationOptions withClassifier(ClassifierOptions newClassifier) {
        return new EvaluationOptions(count, kidSubsets, kidSubsetSize, neighbours, seed, batchSize, floor, newClassifier, cacheDir, progress);
    }

    /** A copy with another cache directory. */
    public EvaluationOptions withCacheDir(Path newCacheDir) {
        return new EvaluationOptions(count, kidSubsets, kidSubsetSize, neighbours, seed, batchSize, floor, classifier, newCacheDir, progress);
    }

    /** A copy that reports progress elsewhere. */
    public EvaluationOptions withProgress(Progress newProgress) {
        return new EvaluationOptions(count, kidSubsets, kidSubsetSize, neighbours, seed, batchSize, floor, classifier, cacheDir, newProgress);
    }
}
