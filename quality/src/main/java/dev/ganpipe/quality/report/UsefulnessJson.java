package dev.ganpipe.quality.report;

import dev.ganpipe.quality.usefulness.AugmentationUplift;
import dev.ganpipe.quality.usefulness.ClassificationAccuracyScore;
import dev.ganpipe.quality.usefulness.Memorisation;
import dev.ganpipe.quality.usefulness.UsefulnessOptions;
import dev.ganpipe.quality.usefulness.UsefulnessReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The usefulness section of the JSON report: {@code cas{images, generated_accuracy, real_accuracy, ratio,
 * per_class[...]}, uplift{generated_per_class, rows[{k, real[], augmented[], real_mean, augmented_mean, uplift,
 * uplift_spread}], imbalanced{...}}, memorisation{generated, held_out, train_images, pixels{...}, features{...},
 * closest[...]}, omitted, settings{...}, seconds}}; CAS and uplift are null for unconditional generators.
 */
final class UsefulnessJson {

    private UsefulnessJson() {
    }

    static Map<String, Object> tree(UsefulnessReport report, List<String> classNames) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(UsefulnessReport.CAS, report.cas().map(c -> cas(c, classNames)).orElse(null));
        out.put("uplift", report.uplift().map(UsefulnessJson::uplift).orElse(null));
        out.put("memorisation", memorisation(report.memorisation()));
        out.put("omitted", report.omitted().isEmpty() ? null : report.omitted());
        UsefulnessOptions o = report.options();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("steps", o.steps());
        settings.put("batch_size", o.classifier().batchSize());
        settings.put("test_images", o.testImages());
        settings.put("seeds", o.seeds());
        settings.put("seed", o.seed());
        out.put("settings", settings);
        out.put("seconds", number(report.seconds()));
        return out;
    }

    private static Map<String, Object> cas(ClassificationAccuracyScore cas, List<String> classNames) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("images", cas.generated().trainImages());
        out.put("generated_accuracy", number(cas.generated().accuracy()));
        out.put("real_accuracy", number(cas.real().accuracy()));
        out.put("ratio", number(cas.ratio()));
        List<Map<String, Object>> perClass = new ArrayList<>();
        double[] generated = cas.generated().recall();
        double[] real = cas.real().recall();
        for (int c = 0; c < classNames.size(); c++) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("class", classNames.get(c));
            entry.put("generated_recall", number(generated[c]));
            entry.put("real_recall", number(real[c]));
            perClass.add(entry);
        }
        out.put("per_class", perClass);
        return out;
    }

    private static Map<String, Object> uplift(AugmentationUplift uplift) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("generated_per_class", uplift.generatedPerClass());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (AugmentationUplift.Row row : uplift.rows()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("k", row.perClass());
            entry.put("real", row.real());
            entry.put("augmented", row.augmented());
            entry.put("real_mean", number(row.realMean()));
            entry.put("augmented_mean", number(row.augmentedMean()));
            entry.put("uplift", number(row.uplift()));
            entry.put("uplift_spread", number(row.upliftSpread()));
            rows.add(entry);
        }
        out.put("rows", rows);
        AugmentationUplift.Imbalanced im = uplift.imbalanced();
        Map<String, Object> imbalanced = new LinkedHashMap<>();
        imbalanced.put("class", im.className());
        imbalanced.put("real_kept", im.realKept());
        imbalanced.put("per_class", im.perClass());
        imbalanced.put("recall_before", number(im.recallBefore()));
        imbalanced.put("recall_after", number(im.recallAfter()));
        imbalanced.put("accuracy_before", number(im.before().accuracy()));
        imbalanced.put("accuracy_after", number(im.after().accuracy()));
        out.put("imbalanced", imbalanced);
        return out;
    }

    private static Map<String, Object> memorisation(Memorisation m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("generated", m.generated());
        out.put("held_out", m.heldOut());
        out.put("train_images", m.trainImages());
        out.put("percentile", Memorisation.PERCENTILE);
        out.put("pixels", space(m.pixels()));
        out.put("features", space(m.features()));
        List<Map<String, Object>> closest = new ArrayList<>();
        for (Memorisation.Pair pair : m.closest()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("train_index", pair.trainIndex());
            entry.put("distance", number(pair.distance()));
            closest.add(entry);
        }
        out.put("closest", closest);
        return out;
    }

    private static Map<String, Object> space(Memorisation.Space s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("threshold", number(s.threshold()));
        out.put("generated_share", number(s.generatedShare()));
        out.put("held_out_share", number(s.heldOutShare()));
        out.put("generated_median", number(s.generatedMedian()));
        out.put("held_out_median", number(s.heldOutMedian()));
        return out;
    }

    private static Double number(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
