package dev.ganpipe.quality.report;

import dev.ganpipe.common.Json;
import dev.ganpipe.quality.EvaluationReport;
import dev.ganpipe.quality.QualityMetrics;
import dev.ganpipe.quality.classifier.ClassifierInfo;
import dev.ganpipe.quality.metrics.ClassCoverage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report as JSON, field names in snake case, numbers that do not apply (NaN) as {@code null}. The layout:
 * {@code generator, image_shape, classes, classifier{...}, held_out_accuracy, train_data, held_out_data,
 * settings{...}, generated{fid, kid, kid_std, precision, recall, coverage{covered, classes, ratio, histogram[...]},
 * conditional_accuracy, images, real_images}, floor{same, or null}, seconds, usefulness{cas, uplift, memorisation, ...}
 * (null when not measured; see {@code UsefulnessJson})}.
 */
public final class ReportJson {

    private ReportJson() {
    }

    /** The report as a JSON document. */
    public static String render(EvaluationReport report) {
        return Json.string(tree(report));
    }

    /** The report as nested maps and lists, before serialisation. */
    public static Map<String, Object> tree(EvaluationReport report) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("generator", report.generator());
        out.put("image_shape", report.shape().toString());
        out.put("classes", report.classNames());
        ClassifierInfo c = report.classifier();
        Map<String, Object> classifier = new LinkedHashMap<>();
        classifier.put("architecture", c.architecture());
        classifier.put("dataset_sha256", c.datasetSha256());
        classifier.put("train_images", c.trainImages());
        classifier.put("options", c.options());
        classifier.put("accuracy_when_trained", number(c.heldOutAccuracy()));
        classifier.put("train_label_agreement", number(c.trainAccuracy()));
        classifier.put("label_warning", c.labelWarning().isEmpty() ? null : c.labelWarning());
        classifier.put("train_seconds", number(c.trainSeconds()));
        classifier.put("from_cache", c.fromCache());
        classifier.put("cache_entry", c.cacheEntry());
        out.put("classifier", classifier);
        out.put("held_out_accuracy", number(report.heldOutAccuracy()));
        out.put("train_data", report.trainData());
        out.put("held_out_data", report.heldOutData());
        EvaluationReport.Settings s = report.settings();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("count", s.count());
        settings.put("kid_subsets", s.kidSubsets());
        settings.put("kid_subset_size", s.kidSubsetSize());
        settings.put("neighbours", s.neighbours());
        settings.put("seed", s.seed());
        out.put("settings", settings);
        out.put("generated", metrics(report.generated(), report.classNames()));
        out.put("floor", report.floor().map(m -> metrics(m, report.classNames())).orElse(null));
        out.put("seconds", number(report.seconds()));
        out.put("usefulness", report.usefulness().map(u -> UsefulnessJson.tree(u, report.classNames())).orElse(null));
        return out;
    }

    private static Map<String, Object> metrics(QualityMetrics m, List<String> classNames) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(QualityMetrics.FID, number(m.fid()));
        out.put(QualityMetrics.KID, number(m.kid()));
        out.put(QualityMetrics.KID_STD, number(m.kidStd()));
        out.put(QualityMetrics.PRECISION, number(m.precision()));
        out.put(QualityMetrics.RECALL, number(m.recall()));
        ClassCoverage cov = m.coverage();
        Map<String, Object> coverage = new LinkedHashMap<>();
        coverage.put("covered", cov.covered());
        coverage.put("classes", cov.classes());
        coverage.put("ratio", number(cov.ratio()));
        List<Map<String, Object>> histogram = new ArrayList<>();
        for (int k = 0; k < classNames.size(); k++) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("class", classNames.get(k));
            entry.put("count", cov.counts()[k]);
            entry.put("share", number(cov.shares()[k]));
            entry.put("expected_share", number(cov.expectedShares()[k]));
            histogram.add(entry);
        }
        coverage.put("histogram", histogram);
        out.put(QualityMetrics.COVERAGE, coverage);
        out.put(QualityMetrics.CONDITIONAL_ACCURACY, number(m.conditionalAccuracy()));
        out.put("images", m.images());
        out.put("real_images", m.realImages());
        return out;
    }

    private static Double number(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
