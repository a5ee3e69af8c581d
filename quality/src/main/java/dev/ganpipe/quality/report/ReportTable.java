package dev.ganpipe.quality.report;

import dev.ganpipe.quality.EvaluationReport;
import dev.ganpipe.quality.QualityMetrics;
import dev.ganpipe.quality.classifier.ClassifierInfo;
import dev.ganpipe.quality.metrics.ClassCoverage;
import java.util.Locale;
import java.util.Optional;

/** The report as a plain-text table: generated beside floor, the predicted-class histogram, then whether the images help. */
public final class ReportTable {

    private ReportTable() {
    }

    /** The table, lines ending in {@code \n}. */
    public static String render(EvaluationReport report) {
        StringBuilder out = new StringBuilder();
        ClassifierInfo c = report.classifier();
        EvaluationReport.Settings s = report.settings();
        QualityMetrics g = report.generated();
        Optional<QualityMetrics> f = report.floor();
        line(out, "Quality of %s (%s images, %d classes)", report.generator(), report.shape(), report.classNames().size());
        line(out, "Classifier %s: held-out accuracy %.2f%%; trained on %d images%s", c.architecture(), 100 * report.heldOutAccuracy(),
                c.trainImages(), c.fromCache() ? " (loaded from " + c.cacheEntry() + ")" : c.cacheEntry().isEmpty() ? "" : " (cached in " + c.cacheEntry() + ")");
        if (!c.labelWarning().isEmpty()) {
            line(out, "WARNING: %s", c.labelWarning());
        }
        line(out, "Real data: training %s; held-out %s", report.trainData(), report.heldOutData());
        line(out, "Settings: %d images per side, KID over %d subset%s of %d, k = %d, seed %d; %.1f s", s.count(), s.kidSubsets(),
                s.kidSubsets() == 1 ? "" : "s", s.kidSubsetSize(), s.neighbours(), s.seed(), report.seconds());
        out.append('\n');
        line(out, "%-30s %22s %22s", "metric", "generated", f.isPresent() ? "floor (real train)" : "");
        row(out, "FID (classifier), lower better", String.format(Locale.ROOT, "%.4f", g.fid()), f.map(m -> String.format(Locale.ROOT, "%.4f", m.fid())));
        row(out, "KID, lower better", kid(g), f.map(ReportTable::kid));
        row(out, "precision, higher better", String.format(Locale.ROOT, "%.4f", g.precision()),
                f.map(m -> String.format(Locale.ROOT, "%.4f", m.precision())));
        row(out, "recall, higher better", String.format(Locale.ROOT, "%.4f", g.recall()), f.map(m -> String.format(Locale.ROOT, "%.4f", m.recall())));
        row(out, "classes covered", covered(g.coverage()), f.map(m -> covered(m.coverage())));
        if (!Double.isNaN(g.conditionalAccuracy())) {
            row(out, "requested-label accuracy", percent(g.conditionalAccuracy()), f.map(m -> percent(m.conditionalAccuracy())));
        }
        out.append('\n');
        line(out, "%-30s %10s %10s %10s", "predicted class", "generated", "expected", f.isPresent() ? "floor" : "");
        ClassCoverage cov = g.coverage();
        for (int k = 0; k < report.classNames().size(); k++) {
            int cls = k;
            boolean covered = cov.expectedShares()[k] > 0 && cov.shares()[k] >= ClassCoverage.COVERED_FRACTION * cov.expectedShares()[k];
            line(out, "%-30s %10s %10s %10s%s", abbreviate(report.classNames().get(k)), percent(cov.shares()[k]), percent(cov.expectedShares()[k]),
                    f.map(m -> percent(m.coverage().shares()[cls])).orElse(""), covered ? "" : "   not covered");
        }
        report.usefulness().ifPresent(u -> UsefulnessTable.render(out, u, report.classNames()));
        return out.toString();
    }

    private static String kid(QualityMetrics m) {
        return String.format(Locale.ROOT, "%.5f ± %.5f", m.kid(), m.kidStd());
    }

    private static String covered(ClassCoverage c) {
        return c.covered() + "/" + c.classes();
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    private static String abbreviate(String s) {
        return s.length() <= 30 ? s : s.substring(0, 29) + "…";
    }

    private static void row(StringBuilder out, String name, String generated, Optional<String> floor) {
        line(out, "%-30s %22s %22s", name, generated, floor.orElse(""));
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args).stripTrailing()).append('\n');
    }
}
