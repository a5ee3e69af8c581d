package dev.ganpipe.trainer.quality;

import dev.ganpipe.quality.QualityMetrics;
import dev.ganpipe.quality.usefulness.UsefulnessReport;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides whether an exported generator may replace the live one: it may unless its score on the gate's metric is
 * worse than the live model's by more than a relative margin. The first model always publishes, and so does one
 * whose live predecessor carries no score for the metric (nothing to compare with); both are said in the reason.
 *
 * <p>The margin is relative because in-training scores are measured on few images and move from one evaluation to
 * the next even for the same generator; a margin of 0.1 lets a model 10% worse on FID through and stops one that
 * is clearly worse, such as a freshly initialised generator after a trained one.
 *
 * @param metric the score compared, a name of {@link QualityMetrics#asMap()} or {@link UsefulnessReport#CAS}
 * @param margin how much worse than the live model, as a fraction of its score, a candidate may be
 */
public record QualityGate(String metric, double margin) {

    /** Scores where lower is better; every other metric of {@link QualityMetrics} is higher-is-better. */
    private static final Set<String> LOWER_IS_BETTER = Set.of(QualityMetrics.FID, QualityMetrics.KID);
    /** The metrics a gate may use. */
    public static final Set<String> METRICS = Set.of(QualityMetrics.FID, QualityMetrics.KID, QualityMetrics.PRECISION,
            QualityMetrics.RECALL, QualityMetrics.COVERAGE, UsefulnessReport.CAS);
    /** The key under which a manifest's metrics carry a quality score, e.g. {@code quality_fid}. */
    public static final String MANIFEST_PREFIX = "quality_";

    public QualityGate {
        Objects.requireNonNull(metric, "metric");
        if (!METRICS.contains(metric)) {
            throw new IllegalArgumentException("The quality gate compares one of " + METRICS.stream().sorted().toList()
                    + ", but was asked for '" + metric + "'; choose one of those, or 'off'.");
        }
        if (!(margin >= 0 && margin <= 10)) {
            throw new IllegalArgumentException("The quality gate's margin is a fraction of the live model's score between 0 and 10 "
                    + "(0.1 = 10% worse allowed), but was " + margin + ".");
        }
    }

    /** What the gate decided and why, as a sentence for the log. */
    public record Decision(boolean publish, String reason) {
    }

    /**
     * @param candidate the export's scores
     * @param live the live model's scores (from its manifest), empty when nothing is published yet
     */
    public Decision decide(Map<String, Double> candidate, Optional<Map<String, Double>> live) {
        Double score = candidate.get(metric);
        if (score == null || score.isNaN()) {
            // A gate that cannot measure must not block publishing forever; it says so instead.
            return new Decision(true, "the candidate has no " + metric + " score, so the gate let it through");
        }
        if (live.isEmpty()) {
            return new Decision(true, "it is the first model, which always publishes");
        }
        Double liveScore = live.get().get(metric);
        if (liveScore == null || liveScore.isNaN()) {
            return new Decision(true, "the live model carries no " + metric + " score to compare with");
        }
        boolean lowerIsBetter = LOWER_IS_BETTER.contains(metric);
        double limit = lowerIsBetter ? liveScore + margin * Math.abs(liveScore) : liveScore - margin * Math.abs(liveScore);
        boolean acceptable = lowerIsBetter ? score <= limit : score >= limit;
        String comparison = String.format(Locale.ROOT, "%s %.4f against the live model's %.4f (%s is better; limit %.4f with margin %.0f%%)",
                metric, score, liveScore, lowerIsBetter ? "lower" : "higher", limit, 100 * margin);
        return new Decision(acceptable, comparison);
    }

    /** A manifest's quality scores (keys without {@link #MANIFEST_PREFIX}), empty when it has none. */
    public static Map<String, Double> fromManifest(Map<String, Double> manifestMetrics) {
        return manifestMetrics.entrySet().stream()
                .filter(e -> e.getKey().startsWith(MANIFEST_PREFIX))
                .collect(Collectors.toUnmodifiableMap(e -> e.getKey().substring(MANIFEST_PREFIX.length()),
                        Map.Entry::getValue));
    }
}
