package dev.ganpipe.quality.report;

import dev.ganpipe.quality.usefulness.AugmentationUplift;
import dev.ganpipe.quality.usefulness.ClassificationAccuracyScore;
import dev.ganpipe.quality.usefulness.Memorisation;
import dev.ganpipe.quality.usefulness.UsefulnessOptions;
import dev.ganpipe.quality.usefulness.UsefulnessReport;
import java.util.List;
import java.util.Locale;

/** The usefulness section of the plain-text report: CAS, augmentation uplift, the imbalanced case, memorisation. */
final class UsefulnessTable {

    private UsefulnessTable() {
    }

    static void render(StringBuilder out, UsefulnessReport report, List<String> classNames) {
        UsefulnessOptions o = report.options();
        out.append('\n');
        line(out, "Do the images help? Every classifier: the evaluator's, %d steps of %d images, tested on %d held-out images; %.1f s",
                o.steps(), o.classifier().batchSize(), o.testImages(), report.seconds());
        if (!report.omitted().isEmpty()) {
            line(out, "%s", report.omitted());
        }
        report.cas().ifPresent(cas -> cas(out, cas, classNames));
        report.uplift().ifPresent(uplift -> uplift(out, uplift, o));
        memorisation(out, report.memorisation());
    }

    private static void cas(StringBuilder out, ClassificationAccuracyScore cas, List<String> classNames) {
        out.append('\n');
        line(out, "CAS: trained on %d generated images %s, on %d real images %s: %.3fx real", cas.generated().trainImages(),
                percent(cas.generated().accuracy()), cas.real().trainImages(), percent(cas.real().accuracy()), cas.ratio());
        line(out, "%-30s %10s %10s", "held-out recall per class", "generated", "real");
        double[] generated = cas.generated().recall();
        double[] real = cas.real().recall();
        for (int c = 0; c < classNames.size(); c++) {
            line(out, "%-30s %10s %10s", abbreviate(classNames.get(c)), percent(generated[c]), percent(real[c]));
        }
    }

    private static void uplift(StringBuilder out, AugmentationUplift uplift, UsefulnessOptions o) {
        out.append('\n');
        line(out, "Augmentation uplift: k real images per class, alone and with %d generated per class (%d seed%s)", uplift.generatedPerClass(),
                o.seeds(), o.seeds() == 1 ? "" : "s");
        line(out, "%-14s %10s %12s %20s", "k per class", "real", "augmented", "uplift (points)");
        for (AugmentationUplift.Row row : uplift.rows()) {
            line(out, "%-14d %10s %12s %20s", row.perClass(), percent(row.realMean()), percent(row.augmentedMean()),
                    String.format(Locale.ROOT, "%+.2f ± %.2f", 100 * row.uplift(), 100 * row.upliftSpread()));
        }
        AugmentationUplift.Imbalanced im = uplift.imbalanced();
        line(out, "Imbalanced: %s cut to %d of %d images, recall %s; topped up with %d generated, %s (accuracy %s -> %s)", im.className(),
                im.realKept(), im.perClass(), percent(im.recallBefore()), im.perClass() - im.realKept(), percent(im.recallAfter()),
                percent(im.before().accuracy()), percent(im.after().accuracy()));
    }

    private static void memorisation(StringBuilder out, Memorisation m) {
        out.append('\n');
        line(out, "Memorisation: %d generated and %d held-out images against %d training images; share nearer a training image than the %dth",
                m.generated(), m.heldOut(), m.trainImages(), Memorisation.PERCENTILE);
        line(out, "percentile of held-out images (another %d held-out images set it)", m.heldOut());
        line(out, "%-10s %12s %12s %12s %16s %16s", "space", "threshold", "generated", "held-out", "median generated", "median held-out");
        space(out, "pixels", m.pixels());
        space(out, "features", m.features());
        if (!m.closest().isEmpty()) {
            Memorisation.Pair nearest = m.closest().getFirst();
            line(out, "Nearest pair: a generated image %.3f from training image %d (pixels 0..1, Euclidean)", nearest.distance(), nearest.trainIndex());
        }
    }

    private static void space(StringBuilder out, String name, Memorisation.Space s) {
        line(out, "%-10s %12.3f %12s %12s %16.3f %16.3f", name, s.threshold(), percent(s.generatedShare()), percent(s.heldOutShare()),
                s.generatedMedian(), s.heldOutMedian());
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    private static String abbreviate(String s) {
        return s.length() <= 30 ? s : s.substring(0, 29) + "…";
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args).stripTrailing()).append('\n');
    }
}
