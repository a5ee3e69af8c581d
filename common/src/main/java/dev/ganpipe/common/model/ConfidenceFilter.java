package dev.ganpipe.common.model;

/**
 * Serving only images whose shipped classifier is confident of their label ({@code min_confidence}, DESIGN.md,
 * "Model file"): the bound on the work, shared by the generator service, which serves filtered images, and the
 * evaluator, which measures what filtering does, so the evaluator measures exactly what is served.
 */
public final class ConfidenceFilter {

    /**
     * At most this many candidate images per image asked for (per class, for the evaluator); past it a request
     * fails rather than keep the generator busy.
     */
    public static final int MAX_CANDIDATES_PER_IMAGE = 8;

    private ConfidenceFilter() {
    }

    /**
     * Checks a threshold: a probability from 0 to below 1 (1 itself would ask for certainty, which a softmax never
     * gives).
     *
     * @param source where the value came from, for the message, e.g. {@code "--min-confidence"}
     * @throws IllegalArgumentException saying what is allowed
     */
    public static double requireThreshold(double value, String source) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(source + " must be a probability from 0 to below 1 (the classifier's confidence for the "
                    + "image's label, e.g. 0.9), but was " + value + ".");
        }
        return value;
    }
}
