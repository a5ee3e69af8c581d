package dev.ganpipe.quality.classifier;

import dev.ganpipe.quality.data.RealData;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks the training labels against the trained classifier. A classifier that agrees with the held-out labels far
 * more often than with the labels it was trained on has learned around wrong labels; the usual cause is a pair of
 * files that lost their alignment (an image or a label missing in the middle), which shows as a stretch of images
 * whose predictions match the <em>next</em> (or previous) image's label. The Fashion-MNIST copy this project was
 * measured on has exactly that defect, so the check names the first image of such a stretch.
 */
final class LabelAudit {

    /** Training agreement this far below held-out accuracy is suspicious. */
    private static final double TOLERANCE = 0.03;
    /** A window agreeing with its own labels below this share is not aligned. */
    private static final double MISALIGNED = 0.5;

    private LabelAudit() {
    }

    /**
     * A warning sentence when the labels look wrong, else empty.
     *
     * @param predicted the classifier's prediction for every training image, in order
     * @param heldOutAccuracy its accuracy on the held-out set
     */
    static Optional<String> audit(int[] predicted, RealData train, double heldOutAccuracy) {
        int n = predicted.length;
        double agreement = agreement(predicted, train, 0, 0, n);
        if (agreement >= heldOutAccuracy - TOLERANCE) {
            return Optional.empty();
        }
        int window = Math.max(100, n / 60);
        for (int shift : new int[] {1, -1}) {
            for (int start = 0; start + window <= n; start += window) {
                double own = agreement(predicted, train, 0, start, start + window);
                double shifted = agreement(predicted, train, shift, start, start + window);
                if (own < MISALIGNED && shifted > heldOutAccuracy - 2 * TOLERANCE) {
                    int from = switchPoint(predicted, train, shift, Math.max(0, start - window), start + window);
                    double after = agreement(predicted, train, shift, from, n);
                    return Optional.of(String.format(Locale.ROOT, "The training labels look shifted by one from image %d of %s on: for %.0f%% of "
                            + "images %d..%d the classifier predicts the label of the %s image, and the classifier agrees with %.1f%% of all "
                            + "training labels against %.1f%% of the held-out ones. An image or a label is missing from the files; fix the data "
                            + "(a classifier trained on it learned wrong labels there, and a conditional GAN would too).", from, train.name(),
                            100 * after, from, n - 1, shift > 0 ? "next" : "previous", 100 * agreement, 100 * heldOutAccuracy));
                }
            }
        }
        return Optional.of(String.format(Locale.ROOT, "The classifier agrees with only %.1f%% of the training labels of %s but %.1f%% of the "
                + "held-out labels; the training labels may be noisy or misaligned. Check the data.", 100 * agreement, train.name(),
                100 * heldOutAccuracy));
    }

    /** The share of images in [from, to) whose prediction is the label of image {@code i + shift}. */
    private static double agreement(int[] predicted, RealData train, int shift, int from, int to) {
        int hits = 0;
        int total = 0;
        for (int i = from; i < to; i++) {
            int j = i + shift;
            if (j >= 0 && j < predicted.length) {
                total++;
                hits += predicted[i] == train.label(j) ? 1 : 0;
            }
        }
        return total == 0 ? 0 : hits / (double) total;
    }

    /** The index k in [from, to] that best splits aligned images (before k) from shifted ones (from k on). */
    private static int switchPoint(int[] predicted, RealData train, int shift, int from, int to) {
        int score = 0;
        for (int i = from; i < to; i++) {
            score += matches(predicted, train, i, shift);
        }
        int best = from;
        int bestScore = score;
        for (int k = from; k < to; k++) { // moving k past image k turns it from "shifted" into "aligned"
            score += matches(predicted, train, k, 0) - matches(predicted, train, k, shift);
            if (score > bestScore) {
                bestScore = score;
                best = k + 1;
            }
        }
        return best;
    }

    private static int matches(int[] predicted, RealData train, int i, int shift) {
        int j = i + shift;
        return j >= 0 && j < predicted.length && predicted[i] == train.label(j) ? 1 : 0;
    }
}
