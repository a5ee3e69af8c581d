package dev.ganpipe.quality.report;

import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.Png;
import dev.ganpipe.quality.EvaluationReport;
import dev.ganpipe.quality.Evaluator;
import dev.ganpipe.quality.QualityMetrics;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The report as a PNG: on the left, generated samples in one row per predicted class (with the class's share of
 * the generated images); on the right, one pair of bars per metric, generated beside floor; below, when measured,
 * the usefulness headline and the generated images nearest a training image, each beside that image. Drawn with java.awt
 * into an image, so it runs headless (it needs fontconfig and one font, which JRE images carry).
 */
public final class ReportFigure {

    private static final Color BACKGROUND = Color.WHITE;
    private static final Color TEXT = new Color(0x22, 0x22, 0x22);
    private static final Color GENERATED = new Color(0x2b, 0x6c, 0xb0);
    private static final Color FLOOR = new Color(0x9a, 0x9a, 0x9a);
    private static final Color TILE_BACKGROUND = new Color(0xee, 0xee, 0xee);
    private static final int MARGIN = 16;
    private static final int LABEL_WIDTH = 150;
    private static final int GAP = 4;
    private static final int CHART_WIDTH = 420;
    private static final int BAR_HEIGHT = 14;

    private ReportFigure() {
    }

    /** The figure as PNG bytes. */
    public static byte[] png(EvaluationReport report) {
        return Png.encode(render(report));
    }

    /** The figure as an image. */
    public static BufferedImage render(EvaluationReport report) {
        int tile = Math.max(report.shape().width(), report.shape().height()) < 48 ? 2 * Math.max(report.shape().width(), report.shape().height())
                : Math.max(report.shape().width(), report.shape().height());
        int classes = report.classNames().size();
        int gridWidth = LABEL_WIDTH + Evaluator.SAMPLES_PER_CLASS * (tile + GAP);
        int titleHeight = 64;
        int gridHeight = classes * (tile + GAP);
        List<Bar> bars = bars(report);
        int chartHeight = 24 + bars.size() * (2 * BAR_HEIGHT + 22) + 40;
        int width = MARGIN + gridWidth + 2 * MARGIN + CHART_WIDTH + MARGIN;
        int top = titleHeight + Math.max(gridHeight, chartHeight) + MARGIN;
        int height = top + report.usefulness().map(u -> UsefulnessStrip.height(u, tile)).orElse(0);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, width, height);
            title(g, report);
            grid(g, report, MARGIN, titleHeight, tile);
            chart(g, bars, report.floor().isPresent(), MARGIN + gridWidth + 2 * MARGIN, titleHeight);
            report.usefulness().ifPresent(u -> UsefulnessStrip.draw(g, u, MARGIN, top, tile));
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void title(Graphics2D g, EvaluationReport report) {
        g.setColor(TEXT);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(report.generator(), MARGIN, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        QualityMetrics m = report.generated();
        g.drawString(String.format(Locale.ROOT, "%s, %d images per side; classifier %s, held-out accuracy %.1f%%", report.shape(),
                report.settings().count(), report.classifier().architecture(), 100 * report.heldOutAccuracy()), MARGIN, 42);
        g.drawString(String.format(Locale.ROOT, "FID %.3f   KID %.5f   precision %.3f   recall %.3f   classes %d/%d%s", m.fid(), m.kid(), m.precision(),
                m.recall(), m.coverage().covered(), m.coverage().classes(),
                report.floor().map(f -> String.format(Locale.ROOT, "   (floor FID %.3f)", f.fid())).orElse("")), MARGIN, 58);
    }

    private static void grid(Graphics2D g, EvaluationReport report, int x0, int y0, int tile) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        double[] shares = report.generated().coverage().shares();
        for (int c = 0; c < report.classNames().size(); c++) {
            int y = y0 + c * (tile + GAP);
            g.setColor(TEXT);
            String label = fit(fm, report.classNames().get(c), LABEL_WIDTH - 56);
            g.drawString(label, x0, y + tile / 2 + fm.getAscent() / 2 - 2);
            g.drawString(String.format(Locale.ROOT, "%.1f%%", 100 * shares[c]), x0 + LABEL_WIDTH - 52, y + tile / 2 + fm.getAscent() / 2 - 2);
            List<CanonicalImage> samples = c < report.samplesByClass().size() ? report.samplesByClass().get(c) : List.of();
            for (int i = 0; i < Evaluator.SAMPLES_PER_CLASS; i++) {
                int x = x0 + LABEL_WIDTH + i * (tile + GAP);
                if (i < samples.size()) {
                    g.drawImage(Png.toBufferedImage(samples.get(i)), x, y, tile, tile, null);
                } else {
                    g.setColor(TILE_BACKGROUND);
                    g.fillRect(x, y, tile, tile);
                }
            }
        }
    }

    /** One metric: its name, the generated value, the floor's, and the value that fills the whole bar. */
    private record Bar(String name, double generated, Optional<Double> floor, double full, String format) {
    }

    private static List<Bar> bars(EvaluationReport report) {
        QualityMetrics m = report.generated();
        Optional<QualityMetrics> f = report.floor();
        List<Bar> bars = new ArrayList<>();
        double fidFull = Math.max(m.fid(), f.map(QualityMetrics::fid).orElse(0.0));
        bars.add(new Bar("FID (lower is better)", m.fid(), f.map(QualityMetrics::fid), fidFull, "%.3f"));
        double kidFull = Math.max(m.kid(), f.map(QualityMetrics::kid).orElse(0.0));
        bars.add(new Bar("KID (lower is better)", m.kid(), f.map(QualityMetrics::kid), kidFull, "%.5f"));
        bars.add(new Bar("precision", m.precision(), f.map(QualityMetrics::precision), 1, "%.3f"));
        bars.add(new Bar("recall", m.recall(), f.map(QualityMetrics::recall), 1, "%.3f"));
        bars.add(new Bar("classes covered (share)", m.coverage().ratio(), f.map(x -> x.coverage().ratio()), 1, "%.2f"));
        if (!Double.isNaN(m.conditionalAccuracy())) {
            bars.add(new Bar("label accuracy", m.conditionalAccuracy(), f.map(QualityMetrics::conditionalAccuracy), 1, "%.3f"));
        }
        return bars;
    }

    private static void chart(Graphics2D g, List<Bar> bars, boolean withFloor, int x0, int y0) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        int barMax = CHART_WIDTH - 90;
        int y = y0 + 4;
        for (Bar bar : bars) {
            g.setColor(TEXT);
            g.drawString(bar.name(), x0, y + fm.getAscent());
            y += 18;
            drawBar(g, fm, x0, y, barMax, bar.generated(), bar.full(), bar.format(), GENERATED);
            y += BAR_HEIGHT + 2;
            if (bar.floor().isPresent()) {
                drawBar(g, fm, x0, y, barMax, bar.floor().get(), bar.full(), bar.format(), FLOOR);
            }
            y += BAR_HEIGHT + 4;
        }
        y += 8;
        g.setColor(GENERATED);
        g.fillRect(x0, y, 12, 12);
        g.setColor(TEXT);
        g.drawString("generated", x0 + 18, y + 11);
        if (withFloor) {
            g.setColor(FLOOR);
            g.fillRect(x0 + 110, y, 12, 12);
            g.setColor(TEXT);
            g.drawString("floor: real training images", x0 + 128, y + 11);
        }
    }

    private static void drawBar(Graphics2D g, FontMetrics fm, int x, int y, int max, double value, double full, String format, Color color) {
        double fraction = full > 0 && Double.isFinite(value) ? Math.max(0, Math.min(1, value / full)) : 0;
        int length = (int) Math.round(fraction * max);
        g.setColor(color);
        g.fillRect(x, y, Math.max(1, length), BAR_HEIGHT);
        g.setColor(TEXT);
        g.drawString(Double.isFinite(value) ? String.format(Locale.ROOT, format, value) : "-", x + length + 6, y + fm.getAscent());
    }

    private static String fit(FontMetrics fm, String text, int width) {
        if (fm.stringWidth(text) <= width) {
            return text;
        }
        String t = text;
        while (t.length() > 1 && fm.stringWidth(t + "…") > width) {
            t = t.substring(0, t.length() - 1);
        }
        return t + "…";
    }
}
