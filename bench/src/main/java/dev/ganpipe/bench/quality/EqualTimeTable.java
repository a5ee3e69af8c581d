package dev.ganpipe.bench.quality;

import dev.ganpipe.common.Json;
import dev.ganpipe.quality.QualityMetrics;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Renders the equal-time mode's results: a row per recipe (steps reached, speed, the full evaluation at the end, time to
 * quality), the in-training FID over minutes per recipe, and the ratio lines against the PyTorch seed recipe.
 */
final class EqualTimeTable {

    /** The recipe the ratio lines compare against: a plain PyTorch DCGAN script. */
    static final Recipe REFERENCE = Recipe.PYTORCH_SEED;

    private EqualTimeTable() {
    }

    /** One row per run, in the order they ran, and the floor below. */
    static String markdown(List<TimedRun> runs, double minutes, double threshold, QualityMetrics floor) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "| recipe | steps in %s min | steps/s | FID | KID ± std | precision | recall | "
                + "minutes to FID_1000 ≤ %s |%n", number(minutes), number(threshold)));
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (TimedRun r : runs) {
            QualityMetrics m = r.full();
            OptionalDouble reached = r.minutesTo(threshold);
            b.append(String.format(Locale.ROOT, "| %s | %,d | %.2f | %.2f | %.3f ± %.3f | %.3f | %.3f | %s |%n", r.recipe().title(), r.steps(),
                    r.stepsPerSecond(), m.fid(), m.kid(), m.kidStd(), m.precision(), m.recall(),
                    reached.isPresent() ? String.format(Locale.ROOT, "%.2f", reached.getAsDouble())
                            : "not reached in " + number(minutes) + " min"));
        }
        if (floor != null) {
            b.append(String.format(Locale.ROOT, "%nFloor (real training images against the held-out set): FID %.2f, KID %.3f.%n", floor.fid(),
                    floor.kid()));
        }
        return b.toString();
    }

    /** The in-training FID (1,000 images) over minutes of training: one row per measurement, recipe by recipe. */
    static String curve(List<TimedRun> runs) {
        StringBuilder b = new StringBuilder("| recipe | training minutes | step | FID_1000 |\n|---|---:|---:|---:|\n");
        for (TimedRun r : runs) {
            for (TimedRun.Point p : r.curve()) {
                b.append(String.format(Locale.ROOT, "| %s | %.2f | %,d | %.2f |%n", r.recipe().id(), p.minutes(), p.step(), p.metrics().fid()));
            }
        }
        return b.toString();
    }

    /**
     * One line per target, for every trainer recipe when the PyTorch seed recipe ran too: {@code ratio
     * fid_<recipe>_vs_pytorch_seed_at_<M>min} (full FID at the end over the reference's; below 1, ours is better), and
     * {@code ratio minutes_to_fid<T>_<recipe>_vs_pytorch_seed} (minutes of training to an in-training FID of T or below,
     * over the reference's) when both reached it. Recipe ids are written with underscores.
     */
    static List<String> ratioLines(List<TimedRun> runs, double minutes, double threshold) {
        Optional<TimedRun> reference = runs.stream().filter(r -> r.recipe() == REFERENCE).findFirst();
        List<String> lines = new ArrayList<>();
        if (reference.isEmpty()) {
            return lines;
        }
        String theirs = name(REFERENCE);
        OptionalDouble theirMinutes = reference.get().minutesTo(threshold);
        for (TimedRun r : runs) {
            if (r.recipe().pytorch()) {
                continue;
            }
            lines.add(String.format(Locale.ROOT, "ratio fid_%s_vs_%s_at_%smin %.3f", name(r.recipe()), theirs, number(minutes),
                    r.full().fid() / reference.get().full().fid()));
            OptionalDouble ours = r.minutesTo(threshold);
            if (ours.isPresent() && theirMinutes.isPresent()) {
                lines.add(String.format(Locale.ROOT, "ratio minutes_to_fid%s_%s_vs_%s %.3f", number(threshold), name(r.recipe()), theirs,
                        ours.getAsDouble() / theirMinutes.getAsDouble()));
            }
        }
        return lines;
    }

    /** The whole report as Markdown: the context, both tables, the ratio lines and the sample grids. */
    static String document(StudyTable.Context context, List<TimedRun> runs, double minutes, double every, double threshold,
            QualityMetrics floor) {
        StringBuilder b = new StringBuilder();
        b.append("# Equal wall time (`./gan bench quality --minutes ").append(number(minutes)).append("`)\n\n");
        b.append(String.format(Locale.ROOT, "Started %s on %s; load average %s at the start, %s at the end. Data %s, the first %,d training "
                        + "images in one seeded order, batch %d, %s intra-op threads. Each recipe trained alone for %s minutes of "
                        + "training wall time, measured every %s minutes on 1,000 images (the clock paused meanwhile) and at the end on "
                        + "%,d images (classifier accuracy %.1f%% on the held-out set).%n%n",
                context.startedAt(), context.machine(), context.loadBefore(), context.loadAfter(), context.data(), context.usableImages(),
                context.batch(), context.threads(), number(minutes), number(every), context.evaluatedImages(),
                100 * context.classifierAccuracy()));
        b.append(markdown(runs, minutes, threshold, floor)).append('\n');
        b.append("In-training FID (1,000 images) over minutes of training:\n\n").append(curve(runs)).append('\n');
        List<String> ratios = ratioLines(runs, minutes, threshold);
        if (!ratios.isEmpty()) {
            b.append("```\n").append(String.join("\n", ratios)).append("\n```\n\n");
        }
        for (TimedRun r : runs) {
            b.append("- ").append(r.recipe().title()).append(": ![").append(r.recipe().id()).append("](").append(r.samples()).append(")\n");
        }
        return b.toString();
    }

    /** The same as JSON (NaN written as null; a threshold not reached as null). */
    static String json(StudyTable.Context context, List<TimedRun> runs, double minutes, double every, double threshold,
            QualityMetrics floor) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("context", context);
        root.put("minutes", minutes);
        root.put("measure_every_minutes", every);
        root.put("fid_threshold", threshold);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (TimedRun r : runs) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("recipe", r.recipe().id());
            row.put("title", r.recipe().title());
            row.put("steps", r.steps());
            row.put("train_seconds", StudyTable.finite(r.trainSeconds()));
            row.put("steps_per_second", StudyTable.finite(r.stepsPerSecond()));
            OptionalDouble reached = r.minutesTo(threshold);
            row.put("minutes_to_threshold", reached.isPresent() ? reached.getAsDouble() : null);
            row.put("metrics", StudyTable.metrics(r.full()));
            List<Map<String, Object>> curve = new ArrayList<>();
            for (TimedRun.Point p : r.curve()) {
                Map<String, Object> point = new LinkedHashMap<>();
                point.put("minutes", StudyTable.finite(p.minutes()));
                point.put("step", p.step());
                point.put("metrics", StudyTable.metrics(p.metrics()));
                curve.add(point);
            }
            row.put("curve", curve);
            row.put("samples", r.samples());
            rows.add(row);
        }
        root.put("runs", rows);
        root.put("ratios", ratioLines(runs, minutes, threshold));
        root.put("floor", floor == null ? null : StudyTable.metrics(floor));
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("The equal-time results could not be written as JSON; this is a bug in EqualTimeTable.", e);
        }
    }

    /** A number as the ratio names write it: 12 for 12.0, 0.05 for 0.05 (no exponent, no trailing zeros). */
    static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static String name(Recipe recipe) {
        return recipe.id().replace('-', '_');
    }
}
