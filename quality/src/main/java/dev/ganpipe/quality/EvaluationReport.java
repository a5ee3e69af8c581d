package dev.ganpipe.quality;

import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.quality.classifier.ClassifierInfo;
import dev.ganpipe.quality.usefulness.UsefulnessReport;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of one evaluation; {@link dev.ganpipe.quality.report} turns it into a table, JSON and a figure.
 *
 * @param generator what was evaluated
 * @param shape the image shape
 * @param classNames the classes, index order
 * @param classifier the classifier whose features the metrics use
 * @param heldOutAccuracy the classifier's accuracy on the whole held-out set, 0..1
 * @param trainData the real training set, by name and size
 * @param heldOutData the held-out set, by name and size
 * @param generated the generator's metrics
 * @param floor the same metrics for real training images, when computed
 * @param samplesByClass generated images grouped by predicted class (a few per class), for the figure
 * @param settings the options that matter to compare numbers: count, KID subsets, k, seed
 * @param seconds how long the evaluation of the generator took (classifier and floor not included)
 * @param usefulness whether the images help (CAS, augmentation uplift, memorisation), when measured
 */
public record EvaluationReport(String generator, ImageShape shape, List<String> classNames, ClassifierInfo classifier, double heldOutAccuracy,
        String trainData, String heldOutData, QualityMetrics generated, Optional<QualityMetrics> floor,
        List<List<CanonicalImage>> samplesByClass, Settings settings, double seconds, Optional<UsefulnessReport> usefulness) {

    /** A report without the usefulness measures. */
    public EvaluationReport(String generator, ImageShape shape, List<String> classNames, ClassifierInfo classifier, double heldOutAccuracy,
            String trainData, String heldOutData, QualityMetrics generated, Optional<QualityMetrics> floor,
            List<List<CanonicalImage>> samplesByClass, Settings settings, double seconds) {
        this(generator, shape, classNames, classifier, heldOutAccuracy, trainData, heldOutData, generated, floor, samplesByClass, settings, seconds,
                Optional.empty());
    }

    /** The same report with the usefulness measures. */
    public EvaluationReport withUsefulness(UsefulnessReport report) {
        return new EvaluationReport(generator, shape, classNames, classifier, heldOutAccuracy, trainData, heldOutData, generated, floor,
                samplesByClass, settings, seconds, Optional.of(report));
    }

    /**
     * The options that decide the numbers.
     *
     * @param count images per side
     * @param kidSubsets KID subsets
     * @param kidSubsetSize images per KID subset
     * @param neighbours k of precision and recall
     * @param seed noise and sampling seed
     */
    public record Settings(int count, int kidSubsets, int kidSubsetSize, int neighbours, long seed) {
    }

    public EvaluationReport {
        Objects.requireNonNull(generator, "generator");
        Objects.requireNonNull(shape, "shape");
        classNames = List.copyOf(classNames);
        Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(generated, "generated");
        Objects.requireNonNull(floor, "floor");
        samplesByClass = samplesByClass.stream().map(List::copyOf).toList();
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(usefulness, "usefulness");
    }
}
