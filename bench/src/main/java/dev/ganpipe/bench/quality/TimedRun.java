package dev.ganpipe.bench.quality;

import dev.ganpipe.quality.QualityMetrics;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One recipe of the equal-time mode: what it reached in its minutes of training, its curve of in-training measurements,
 * and the full evaluation of its published generator at the end.
 *
 * @param recipe what was trained
 * @param steps training steps reached
 * @param trainSeconds training wall time (measurements not counted), a step past the minutes asked for at most
 * @param curve the in-training measurements (1,000 images), in training order; the last one is at the end
 * @param full the full evaluator's figures for the published generator at the end
 * @param samples the sample grid's file, relative to the output folder
 */
record TimedRun(Recipe recipe, int steps, double trainSeconds, List<Point> curve, QualityMetrics full, String samples) {

    /**
     * One in-training measurement.
     *
     * @param trainSeconds training wall time before it (measurements not counted)
     * @param step training steps before it
     * @param metrics the in-training evaluator's figures for the published generator
     */
    record Point(double trainSeconds, int step, QualityMetrics metrics) {

        Point {
            Objects.requireNonNull(metrics, "metrics");
        }

        /** Minutes of training before this measurement. */
        double minutes() {
            return trainSeconds / 60;
        }
    }

    TimedRun {
        Objects.requireNonNull(recipe, "recipe");
        curve = List.copyOf(curve);
        Objects.requireNonNull(full, "full");
        Objects.requireNonNull(samples, "samples");
    }

    /** Training steps per second of training wall time. */
    double stepsPerSecond() {
        return trainSeconds > 0 ? steps / trainSeconds : Double.NaN;
    }

    /** Minutes of training until the in-training FID first fell to {@code fid} or below; empty when it never did. */
    OptionalDouble minutesTo(double fid) {
        return curve.stream().filter(p -> p.metrics().fid() <= fid).mapToDouble(Point::minutes).findFirst();
    }
}
