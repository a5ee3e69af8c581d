package dev.ganpipe.bench.quality;

import dev.ganpipe.quality.QualityMetrics;
import java.util.Objects;

/**
 * One recipe's outcome.
 *
 * @param recipe what was trained
 * @param steps training steps run
 * @param trainSeconds wall time of the training steps (model building and evaluation not included)
 * @param evaluationSeconds wall time of the full evaluation
 * @param metrics the evaluator's numbers for the published generator (the weight average when on)
 * @param samples the sample grid's file, relative to the output folder
 */
record StudyResult(Recipe recipe, int steps, double trainSeconds, double evaluationSeconds, QualityMetrics metrics, String samples) {

    StudyResult {
        Objects.requireNonNull(recipe, "recipe");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(samples, "samples");
    }

    /** Training steps per second of wall time. */
    double stepsPerSecond() {
        return trainSeconds > 0 ? steps / trainSeconds : Double.NaN;
    }
}
