package dev.ganpipe.quality.usefulness;

import dev.ganpipe.quality.classifier.ClassifierOptions;
import java.util.List;
import java.util.Objects;

/**
 * How much work the usefulness measures do. Each scoring classifier costs {@code steps} optimiser steps of the
 * classifier's batch, plus one pass over {@code testImages} held-out images; there are {@code 2 + 2 * seeds *
 * upliftPerClass.size() + 2} of them. Memorisation costs one exhaustive nearest-neighbour search of {@code
 * memorisationImages} generated and as many held-out images against the whole training set, in pixels and in
 * classifier features.
 *
 * @param casImages N: generated images the CAS classifier trains on, and real images its reference trains on
 * @param steps optimiser steps of every scoring classifier
 * @param testImages held-out real images every scoring classifier is tested on (capped at the held-out set)
 * @param upliftPerClass k: real images per class of the augmentation runs
 * @param generatedPerClass generated images per class added to the k real ones
 * @param seeds seeds per k (the spread is over them)
 * @param imbalancedClass the class cut to {@code imbalancedShare} of its images in the imbalanced case
 * @param imbalancedPerClass real images per class of the imbalanced case before the cut
 * @param imbalancedShare the share of its images the cut class keeps, e.g. 0.02
 * @param memorisationImages generated images searched for their nearest training image (and as many held-out ones
 *        to set and check the threshold)
 * @param pairsShown closest generated-training pairs drawn in the figure
 * @param classifier architecture options of every scoring classifier (the evaluator's own; epochs are replaced by
 *        {@code steps})
 * @param seed noise of the generated images and every sample of real images
 */
public record UsefulnessOptions(int casImages, int steps, int testImages, List<Integer> upliftPerClass, int generatedPerClass, int seeds,
        int imbalancedClass, int imbalancedPerClass, double imbalancedShare, int memorisationImages, int pairsShown, ClassifierOptions classifier,
        long seed) {

    /** Default N of CAS. */
    public static final int DEFAULT_CAS_IMAGES = 5_000;
    /** Default steps per scoring classifier. */
    public static final int DEFAULT_STEPS = 200;
    /** Default test images per scoring classifier. */
    public static final int DEFAULT_TEST_IMAGES = 5_000;
    /** Default k values of the uplift. */
    public static final List<Integer> DEFAULT_UPLIFT_PER_CLASS = List.of(10, 50, 100);
    /** Default generated images per class added in the uplift and imbalanced runs. */
    public static final int DEFAULT_GENERATED_PER_CLASS = 200;
    /** Default seeds per k. */
    public static final int DEFAULT_SEEDS = 2;
    /** Default images per class of the imbalanced case. */
    public static final int DEFAULT_IMBALANCED_PER_CLASS = 500;
    /** The cut class keeps 2% of its images. */
    public static final double DEFAULT_IMBALANCED_SHARE = 0.02;
    /** Default generated images checked for memorisation. */
    public static final int DEFAULT_MEMORISATION_IMAGES = 1_000;

    public UsefulnessOptions {
        Objects.requireNonNull(classifier, "classifier");
        upliftPerClass = List.copyOf(upliftPerClass);
        if (casImages < 10 || casImages > 1_000_000) {
            throw new IllegalArgumentException("CAS trains on 10 to 1,000,000 images (--cas-images), but " + casImages + " were asked for.");
        }
        if (steps < 1 || steps > 1_000_000) {
            throw new IllegalArgumentException("Scoring classifiers train for 1 to 1,000,000 steps (--usefulness-steps), but " + steps
                    + " were asked for.");
        }
        if (testImages < 10) {
            throw new IllegalArgumentException("Scoring classifiers need at least 10 test images (--usefulness-test-images), but got " + testImages + ".");
        }
        for (int k : upliftPerClass) {
            if (k < 1 || k > 100_000) {
                throw new IllegalArgumentException("Each uplift k (--uplift-k) must be 1 to 100,000 real images per class, but one is " + k + ".");
            }
        }
        if (generatedPerClass < 1 || seeds < 1 || seeds > 100) {
            throw new IllegalArgumentException("The uplift needs at least 1 generated image per class and 1 to 100 seeds, but got " + generatedPerClass
                    + " and " + seeds + ".");
        }
        if (imbalancedClass < 0 || imbalancedPerClass < 2 || !(imbalancedShare > 0 && imbalancedShare < 1)) {
            throw new IllegalArgumentException("The imbalanced case needs a class index of 0 or more, at least 2 images per class and a kept share "
                    + "above 0 and below 1, but got class " + imbalancedClass + ", " + imbalancedPerClass + " per class, share " + imbalancedShare + ".");
        }
        if (memorisationImages < 20 || pairsShown < 0) {
            throw new IllegalArgumentException("Memorisation needs at least 20 images (--memorisation-images) and 0 or more pairs shown, but got "
                    + memorisationImages + " and " + pairsShown + ".");
        }
    }

    /**
     * The defaults for {@code ./gan evaluate}: 2 + 12 + 2 = 16 classifiers of 200 steps of 64 images, and a search of
     * 3,000 images (1,000 generated, 2 x 1,000 held-out) against the training set; docs/quality.md has measured times.
     */
    public static UsefulnessOptions defaults() {
        return new UsefulnessOptions(DEFAULT_CAS_IMAGES, DEFAULT_STEPS, DEFAULT_TEST_IMAGES, DEFAULT_UPLIFT_PER_CLASS, DEFAULT_GENERATED_PER_CLASS,
                DEFAULT_SEEDS, 0, DEFAULT_IMBALANCED_PER_CLASS, DEFAULT_IMBALANCED_SHARE, DEFAULT_MEMORISATION_IMAGES, 8, ClassifierOptions.defaults(), 0L);
    }

    /**
     * CAS between training steps: 1,000 generated images, 100 steps, 1,000 test images; one classifier per
     * measurement (the real reference is trained once), about 10 s on two cores.
     */
    public static UsefulnessOptions inTraining() {
        return defaults().withCasImages(1_000).withSteps(100).withTestImages(1_000);
    }

    /** The number of scoring classifiers a conditional generator costs. */
    public int classifiers() {
        return 2 + 2 * seeds * upliftPerClass.size() + 2;
    }

    /** A copy with another CAS N. */
    public UsefulnessOptions withCasImages(int n) {
        return new UsefulnessOptions(n, steps, testImages, upliftPerClass, generatedPerClass, seeds, imbalancedClass, imbalancedPerClass,
                imbalancedShare, memorisationImages, pairsShown, classifier, seed);
    }

    /** A copy with another step budget per classifier. */
    public UsefulnessOptions withSteps(int n) {
        return new UsefulnessOptions(casImages, n, testImages, upliftPerClass, generatedPerClass, seeds, imbalancedClass, imbalancedPerClass,
                imbalancedShare, memorisationImages, pairsShown, classifier, seed);
    }

    /** A copy with another number of test images. */
    public UsefulnessOptions withTestImages(int n) {
        return new UsefulnessOptions(casImages, steps, n, upliftPerClass, generatedPerClass, seeds, imbalancedClass, imbalancedPerClass,
                imbalancedShare, memorisationImages, pairsShown, classifier, seed);
    }

    /** A copy with other uplift settings. */
    public UsefulnessOptions withUplift(List<Integer> k, int generated, int newSeeds) {
        return new UsefulnessOptions(casImages, steps, testImages, k, generated, newSeeds, imbalancedClass, imbalancedPerClass, imbalancedShare,
                memorisationImages, pairsShown, classifier, seed);
    }

    /** A copy with other imbalanced-case settings. */
    public UsefulnessOptions withImbalanced(int cls, int perClass, double share) {
        return new UsefulnessOptions(casImages, steps, testImages, upliftPerClass, generatedPerClass, seeds, cls, perClass, share,
                memorisationImages, pairsShown, classifier, seed);
    }

    /** A copy with another memorisation sample size. */
    public UsefulnessOptions withMemorisationImages(int n) {
        return new UsefulnessOptions(casImages, steps, testImages, upliftPerClass, generatedPerClass, seeds, imbalancedClass, imbalancedPerClass,
                imbalancedShare, n, pairsShown, classifier, seed);
    }

    /** A copy with other classifier options. */
    public UsefulnessOptions withClassifier(ClassifierOptions options) {
        return new UsefulnessOptions(casImages, steps, testImages, upliftPerClass, generatedPerClass, seeds, imbalancedClass, imbalancedPerClass,
                imbalancedShare, memorisationImages, pairsShown, options, seed);
    }

    /** A copy with another seed. */
    public UsefulnessOptions withSeed(long newSeed) {
        return new UsefulnessOptions(casImages, steps, testImages, upliftPerClass, generatedPerClass, seeds, imbalancedClass, imbalancedPerClass,
                imbalancedShare, memorisationImages, pairsShown, classifier, newSeed);
    }
}
