package dev.ganpipe.bench.quality;

import dev.ganpipe.common.Json;
import dev.ganpipe.quality.QualityMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Renders the equal-step mode's curves: FID (and KID) of every recipe at every measuring point, and the ratio lines. */
final class EqualStepTable {

    private EqualStepTable() {
    }

    /** One row per step, one FID column and one KID column per recipe, in the order the recipes were given; the floor below. */
    static String markdown(List<EqualStepStudy.Point> points, List<Integer> at, QualityMetrics floor) {
        Set<Recipe> recipes = recipes(points);
        StringBuilder b = new StringBuilder("| step |");
        recipes.forEach(r -> b.append(" FID ").append(r.id()).append(" |"));
        recipes.forEach(r -> b.append(" KID ").append(r.id()).append(" |"));
        b.append("\n|---:|");
        b.append("---:|".repeat(2 * recipes.size())).append('\n');
        for (int step : at) {
            b.append(String.format(Locale.ROOT, "| %,d |", step));
            recipes.forEach(r -> b.append(find(points, r, step).map(m -> String.format(Locale.ROOT, " %.2f |", m.fid())).orElse(" – |")));
            recipes.forEach(r -> b.append(find(points, r, step).map(m -> String.format(Locale.ROOT, " %.3f |", m.kid())).orElse(" – |")));
            b.append('\n');
        }
        if (floor != null) {
            b.append(String.format(Locale.ROOT, "%nFloor (real training images against the held-out set): FID %.2f, KID %.3f.%n", floor.fid(),
                    floor.kid()));
        }
        return b.toString();
    }

    /**
     * {@code ratio fid_ours_vs_pytorch_at_<step> <value>} for every step both measured: the FID of the first trainer recipe
     * over that of the first PyTorch recipe (below 1: ours is better). With more recipes on either side, {@code
     * ratio fid_<ours>_vs_<theirs>_at_<step>} lines follow for every other pair.
     */
    static List<String> ratioLines(List<EqualStepStudy.Point> points, List<Integer> at) {
        return ratioLines(points, at, "");
    }

    /** As above, each name ending in {@code suffix} (e.g. {@code _seed_7} for one seed of several). */
    static List<String> ratioLines(List<EqualStepStudy.Point> points, List<Integer> at, String suffix) {
        List<Recipe> ours = recipes(points).stream().filter(r -> !r.pytorch()).toList();
        List<Recipe> theirs = recipes(points).stream().filter(Recipe::pytorch).toList();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < ours.size(); i++) {
            for (int j = 0; j < theirs.size(); j++) {
                String name = i == 0 && j == 0 ? "ours_vs_pytorch" : ours.get(i).id().replace('-', '_') + "_vs_"
                        + theirs.get(j).id().replace('-', '_');
                for (int step : at) {
                    Optional<QualityMetrics> a = find(points, ours.get(i), step);
                    Optional<QualityMetrics> b = find(points, theirs.get(j), step);
                    if (a.isPresent() && b.isPresent()) {
                        lines.add(String.format(Locale.ROOT, "ratio fid_%s_at_%d%s %.3f", name, step, suffix, a.get().fid() / b.get().fid()));
                    }
                }
            }
        }
        return lines;
    }

    /**
     * The headline over several seeds: per step, the median over the seeds of the first trainer recipe's FID over the first
     * PyTorch recipe's (the mean of the middle two for an even count), with each seed's ratio beside it.
     */
    static List<String> medianRatioLines(Map<Long, List<EqualStepStudy.Point>> bySeed, List<Integer> at) {
        List<String> lines = new ArrayList<>();
        for (int step : at) {
            List<Double> ratios = new ArrayList<>();
            List<String> each = new ArrayList<>();
            for (Map.Entry<Long, List<EqualStepStudy.Point>> seed : bySeed.entrySet()) {
                var all = recipes(seed.getValue());
                Optional<Recipe> ours = all.stream().filter(r -> !r.pytorch()).findFirst();
                Optional<Recipe> theirs = all.stream().filter(Recipe::pytorch).findFirst();
                if (ours.isEmpty() || theirs.isEmpty()) {
                    continue;
                }
                Optional<QualityMetrics> a = find(seed.getValue(), ours.get(), step);
                Optional<QualityMetrics> b = find(seed.getValue(), theirs.get(), step);
                if (a.isPresent() && b.isPresent()) {
                    double r = a.get().fid() / b.get().fid();
                    ratios.add(r);
                    each.add(String.format(Locale.ROOT, "seed %d: %.2f / %.2f = %.3f", seed.getKey(), a.get().fid(), b.get().fid(), r));
                }
            }
            if (ratios.isEmpty()) {
                continue;
            }
            List<Double> sorted = ratios.stream().sorted().toList();
            int n = sorted.size();
            double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
            lines.add(String.format(Locale.ROOT, "ratio fid_ours_vs_pytorch_at_%d %.3f", step, median));
            lines.add(String.format(Locale.ROOT, "  (median of %d seeds; %s)", n, String.join("; ", each)));
        }
        return lines;
    }

    /** The points as JSON: per recipe, its training wall time and its metrics at each step (NaN written as null). */
    static String json(List<EqualStepStudy.Point> points, Map<Recipe, Double> trainSeconds, QualityMetrics floor) {
        Map<String, Object> root = new LinkedHashMap<>();
        List<Map<String, Object>> curves = new ArrayList<>();
        for (Recipe r : recipes(points)) {
            Map<String, Object> curve = new LinkedHashMap<>();
            curve.put("recipe", r.id());
            curve.put("title", r.title());
            curve.put("train_seconds", trainSeconds.containsKey(r) ? StudyTable.finite(trainSeconds.get(r)) : null);
            List<Map<String, Object>> rows = new ArrayList<>();
            for (EqualStepStudy.Point p : points) {
                if (p.recipe() == r) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("step", p.step());
                    row.put("metrics", StudyTable.metrics(p.metrics()));
                    rows.add(row);
                }
            }
            curve.put("points", rows);
            curves.add(curve);
        }
        root.put("curves", curves);
        root.put("floor", floor == null ? null : StudyTable.metrics(floor));
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("The equal-step results could not be written as JSON; this is a bug in EqualStepTable.", e);
        }
    }

    private static Set<Recipe> recipes(List<EqualStepStudy.Point> points) {
        Set<Recipe> out = new LinkedHashSet<>();
        points.forEach(p -> out.add(p.recipe()));
        return out;
    }

    private static Optional<QualityMetrics> find(List<EqualStepStudy.Point> points, Recipe recipe, int step) {
        return points.stream().filter(p -> p.recipe() == recipe && p.step() == step).map(EqualStepStudy.Point::metrics).findFirst();
    }
}
