package dev.ganpipe.quality.metrics;

/**
 * How the generated images spread over the classes, as the classifier sees them: the predicted-class histogram, and
 * the number of classes that get at least half of their expected share (their share of the real training data). A
 * generator that collapses onto a few modes covers few classes.
 *
 * @param counts generated images predicted as each class
 * @param shares each class's share of the generated images
 * @param expectedShares each class's share of the real training data
 * @param covered classes whose share is at least {@value #COVERED_FRACTION} of the expected one
 * @param classes classes that have any real images (the most that can be covered)
 */
public record ClassCoverage(int[] counts, double[] shares, double[] expectedShares, int covered, int classes) {

    /** A class counts as covered at this fraction of its expected share. */
    public static final double COVERED_FRACTION = 0.5;

    public ClassCoverage {
        counts = counts.clone();
        shares = shares.clone();
        expectedShares = expectedShares.clone();
    }

    /**
     * The coverage of predicted classes.
     *
     * @param predicted the predicted class of each generated image
     * @param expectedShares each class's share of the real data
     */
    public static ClassCoverage of(int[] predicted, double[] expectedShares) {
        int k = expectedShares.length;
        if (predicted.length == 0) {
            throw new IllegalArgumentException("Class coverage needs at least one generated image.");
        }
        int[] counts = new int[k];
        for (int p : predicted) {
            if (p < 0 || p >= k) {
                throw new IllegalArgumentException("Predicted class " + p + " is outside the " + k + " classes.");
            }
            counts[p]++;
        }
        double[] shares = new double[k];
        int covered = 0;
        int classes = 0;
        for (int c = 0; c < k; c++) {
            shares[c] = counts[c] / (double) predicted.length;
            if (expectedShares[c] > 0) {
                classes++;
                if (shares[c] >= COVERED_FRACTION * expectedShares[c]) {
                    covered++;
                }
            }
        }
        return new ClassCoverage(counts, shares, expectedShares, covered, classes);
    }

    @Override
    public int[] counts() {
        return counts.clone();
    }

    @Override
    public double[] shares() {
        return shares.clone();
    }

    @Override
    public double[] expectedShares() {
        return expectedShares.clone();
    }

    /** The covered share of classes, 0..1. */
    public double ratio() {
        return classes == 0 ? 0 : covered / (double) classes;
    }

    /** The share of images whose predicted class is the requested one. */
    public static double accuracy(int[] predicted, int[] requested) {
        if (predicted.length != requested.length || predicted.length == 0) {
            throw new IllegalArgumentException("Accuracy needs as many predictions as requested labels, and at least one; got "
                    + predicted.length + " and " + requested.length + ".");
        }
        int hits = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == requested[i]) {
                hits++;
            }
        }
        return hits / (double) predicted.length;
    }
}
