package dev.ganpipe.trainer.quality;

import java.util.Map;

/**
 * One in-training evaluation as the history keeps it.
 *
 * @param step training step the generator was measured at
 * @param time ISO-8601 time of the measurement
 * @param outcome {@code evaluated} (a scheduled measurement), {@code published} or {@code refused} (an export the
 *     gate let through or kept back)
 * @param scores the evaluator's numbers by name (fid, kid, kid_std, precision, recall, coverage, classes_covered,
 *     and conditional_accuracy for conditional models); NaN scores are left out
 * @param floorFid FID of real training images against the same held-out images: the best a generator can reach
 *     with these settings
 */
public record QualityRecord(long step, String time, String outcome, Map<String, Double> scores, double floorFid) {

    /** The outcome of a scheduled measurement with no export. */
    public static final String EVALUATED = "evaluated";
    /** The outcome of an export the gate published. */
    public static final String PUBLISHED = "published";
    /** The outcome of an export the gate refused. */
    public static final String REFUSED = "refused";

    public QualityRecord {
        scores = Map.copyOf(scores);
    }
}
