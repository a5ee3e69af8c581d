package dev.ganpipe.quality;

import dev.ganpipe.quality.metrics.ClassCoverage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One set of images measured against the held-out real images, in the classifier's feature space.
 *
 * @param images images measured
 * @param realImages held-out real images they were compared with
 * @param fid classifier FID: Fréchet distance of the feature Gaussians (lower is better, 0 for identical sets)
 * @param kid KID: mean unbiased MMD² with the cubic kernel over subsets (lower is better, about 0 for one distribution)
 * @param kidStd KID's standard deviation over the subsets
 * @param precision share of the images inside the real manifold (higher is better)
 * @param recall share of the real images inside the images' manifold (higher is better)
 * @param coverage the predicted-class histogram and the classes covered
 * @param conditionalAccuracy share of images classified as their requested label; NaN for unconditional generators
 *        (for the floor: the classifier's accuracy on the held-out images, what a perfect conditional generator would get)
 */
public record QualityMetrics(int images, int realImages, double fid, double kid, double kidStd, double precision, double recall,
        ClassCoverage coverage, double conditionalAccuracy) {

    /** Metric names as {@link #asMap()}, the trainer's {@code gan_trainer_quality{metric=...}} and model manifests use them. */
    public static final String FID = "fid";
    public static final String KID = "kid";
    public static final String KID_STD = "kid_std";
    public static final String PRECISION = "precision";
    public static final String RECALL = "recall";
    public static final String COVERAGE = "coverage";
    public static final String CLASSES_COVERED = "classes_covered";
    public static final String CONDITIONAL_ACCURACY = "conditional_accuracy";

    public QualityMetrics {
        Objects.requireNonNull(coverage, "coverage");
    }

    /**
     * The numbers by name, in a fixed order: {@code fid, kid, kid_std, precision, recall, coverage} (covered share of
     * classes, 0..1), {@code classes_covered}, and {@code conditional_accuracy} for conditional generators.
     */
    public Map<String, Double> asMap() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(FID, fid);
        out.put(KID, kid);
        out.put(KID_STD, kidStd);
        out.put(PRECISION, precision);
        out.put(RECALL, recall);
        out.put(COVERAGE, coverage.ratio());
        out.put(CLASSES_COVERED, (double) coverage.covered());
        if (!Double.isNaN(conditionalAccuracy)) {
            out.put(CONDITIONAL_ACCURACY, conditionalAccuracy);
        }
        return out;
    }
}
