package dev.ganpipe.bench.quality;

import dev.ganpipe.common.Json;
import dev.ganpipe.quality.QualityMetrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Renders the study's results as a Markdown table and as JSON. */
final class StudyTable {

    /**
     * What the numbers were measured under.
     *
     * @param startedAt ISO time the study started
     * @param machine cores and CPU model
     * @param loadBefore load averages (1, 5, 15 min) when the study started
     * @param loadAfter load averages when it ended
     * @param data the real data and its held-out set
     * @param usableImages training images trained on
     * @param batch images per step
     * @param threads intra-op threads (0: engine default)
     * @param classifierAccuracy the evaluator's classifier accuracy on the held-out set, 0..1
     * @param evaluatedImages generated images per evaluation
     */
    record Context(String startedAt, String machine, String loadBefore, String loadAfter, String data, int usableImages, int batch,
            int threads, double classifierAccuracy, int evaluatedImages) {
    }

    static final String HEADER = "| recipe | steps | train wall s | steps/s | FID | KID ± std | precision | recall | coverage | classes covered |"
            + " cond. acc. |";

    private StudyTable() {
    }

    /** The Markdown table: one row per result, in the given order, and the floor last. */
    static String markdown(List<StudyResult> results, QualityMetrics floor) {
        StringBuilder b = new StringBuilder();
        b.append(HEADER).append('\n');
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (StudyResult r : results) {
            QualityMetrics m = r.metrics();
            b.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.2f | %s |%n", r.recipe().title(), r.steps(), r.trainSeconds(),
                    r.stepsPerSecond(), metricCells(m)));
        }
        if (floor != null) {
            b.append(String.format(Locale.ROOT, "| floor (real train vs held-out) | – | – | – | %s |%n", metricCells(floor)));
        }
        return b.toString();
    }

    private static String metricCells(QualityMetrics m) {
        return String.format(Locale.ROOT, "%.2f | %.3f ± %.3f | %.3f | %.3f | %.2f | %d/%d | %s", m.fid(), m.kid(), m.kidStd(), m.precision(),
                m.recall(), m.coverage().ratio(), m.coverage().covered(), m.coverage().classes(),
                Double.isNaN(m.conditionalAccuracy()) ? "–" : String.format(Locale.ROOT, "%.3f", m.conditionalAccuracy()));
    }

    /** The result with the lowest FID, if any. */
    static Optional<StudyResult> bestByFid(List<StudyResult> results) {
        return results.stream().filter(r -> !Double.isNaN(r.metrics().fid())).min(Comparator.comparingDouble(r -> r.metrics().fid()));
    }

    /** The whole report as Markdown: the context, the table, the grids. */
    static String document(Context context, List<StudyResult> results, QualityMetrics floor) {
        StringBuilder b = new StringBuilder();
        b.append("# Quality study (`./gan bench quality`)\n\n");
        b.append(String.format(Locale.ROOT, "Started %s on %s; load average %s at the start, %s at the end. Data %s, the first %,d training "
                        + "images in one seeded order, batch %d, threads %s; each generator measured on %,d images (classifier accuracy "
                        + "%.1f%% on the held-out set).%n%n",
                context.startedAt(), context.machine(), context.loadBefore(), context.loadAfter(), context.data(), context.usableImages(),
                context.batch(), context.threads() == 0 ? "engine default" : Integer.toString(context.threads()), context.evaluatedImages(),
                100 * context.classifierAccuracy()));
        b.append(markdown(results, floor)).append('\n');
        bestByFid(results).ifPresent(best -> b.append(String.format(Locale.ROOT, "Lowest FID: %s (%.2f).%n%n", best.recipe().title(),
                best.metrics().fid())));
        for (StudyResult r : results) {
            b.append("- ").append(r.recipe().title()).append(": ![").append(r.recipe().id()).append("](").append(r.samples()).append(")\n");
        }
        return b.toString();
    }

    /** The same as JSON (NaN written as null). */
    static String json(Context context, List<StudyResult> results, QualityMetrics floor) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("context", context);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (StudyResult r : results) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("recipe", r.recipe().id());
            row.put("title", r.recipe().title());
            row.put("steps", r.steps());
            row.put("train_seconds", finite(r.trainSeconds()));
            row.put("steps_per_second", finite(r.stepsPerSecond()));
            row.put("evaluation_seconds", finite(r.evaluationSeconds()));
            row.put("metrics", metrics(r.metrics()));
            row.put("samples", r.samples());
            rows.add(row);
        }
        root.put("results", rows);
        root.put("floor", floor == null ? null : metrics(floor));
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("The study's results could not be written as JSON; this is a bug in StudyTable.", e);
        }
    }

    static Map<String, Object> metrics(QualityMetrics m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.asMap().forEach((k, v) -> out.put(k, finite(v)));
        out.put("class_counts", m.coverage().counts());
        return out;
    }

    static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
