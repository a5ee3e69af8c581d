package dev.ganpipe.trainer.quality;

import dev.ganpipe.common.image.Png;
import dev.ganpipe.quality.QualityMetrics;
import dev.ganpipe.quality.usefulness.UsefulnessReport;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Draws quality over training steps: FID on the left (with the floor as a dashed line, refused exports as red
 * crosses), precision, recall, class coverage and CAS on the right (0 to 1).
 */
final class QualityChart {

    private static final int PANEL_WIDTH = 460;
    private static final int PANEL_HEIGHT = 300;
    private static final int MARGIN = 48;
    private static final Color TEXT = new Color(0x22, 0x22, 0x22);
    private static final Color AXIS = new Color(0xaa, 0xaa, 0xaa);
    private static final Color FID = new Color(0x2b, 0x6c, 0xb0);
    private static final Color FLOOR = new Color(0x88, 0x88, 0x88);
    private static final Color REFUSED = new Color(0xc0, 0x39, 0x2b);
    private static final Color PRECISION = new Color(0x2b, 0x6c, 0xb0);
    private static final Color RECALL = new Color(0xe6, 0x7e, 0x22);
    private static final Color COVERAGE = new Color(0x27, 0xae, 0x60);
    private static final Color CAS = new Color(0x8e, 0x44, 0xad);

    private QualityChart() {
    }

    static byte[] png(List<QualityRecord> records) {
        return Png.encode(render(records));
    }

    static BufferedImage render(List<QualityRecord> records) {
        int width = 2 * (PANEL_WIDTH + 2 * MARGIN);
        int height = PANEL_HEIGHT + 2 * MARGIN + 20;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            long minStep = records.stream().mapToLong(QualityRecord::step).min().orElse(0);
            long maxStep = Math.max(minStep + 1, records.stream().mapToLong(QualityRecord::step).max().orElse(1));
            double maxFid = records.stream().mapToDouble(r -> Math.max(score(r, QualityMetrics.FID), r.floorFid()))
                    .filter(Double::isFinite).max().orElse(1);
            Panel left = new Panel(MARGIN, MARGIN, minStep, maxStep, 0, maxFid <= 0 ? 1 : maxFid * 1.05);
            left.frame(g, "classifier FID (lower is better)");
            left.line(g, records, r -> r.floorFid(), FLOOR, true);
            left.line(g, records, r -> score(r, QualityMetrics.FID), FID, false);
            for (QualityRecord r : records) {
                if (QualityRecord.REFUSED.equals(r.outcome()) && Double.isFinite(score(r, QualityMetrics.FID))) {
                    left.cross(g, r.step(), score(r, QualityMetrics.FID), REFUSED);
                }
            }
            left.legend(g, new String[] {"FID", "floor (real vs held-out)", "export refused by the gate"},
                    new Color[] {FID, FLOOR, REFUSED});
            Panel right = new Panel(3 * MARGIN + PANEL_WIDTH, MARGIN, minStep, maxStep, 0, 1);
            right.frame(g, "precision, recall, class coverage, CAS (higher is better)");
            right.line(g, records, r -> score(r, QualityMetrics.PRECISION), PRECISION, false);
            right.line(g, records, r -> score(r, QualityMetrics.RECALL), RECALL, false);
            right.line(g, records, r -> score(r, QualityMetrics.COVERAGE), COVERAGE, false);
            right.line(g, records, r -> score(r, UsefulnessReport.CAS), CAS, false); // measured at some steps only: joins those
            right.legend(g, new String[] {"precision", "recall", "coverage", "CAS (held-out accuracy)"},
                    new Color[] {PRECISION, RECALL, COVERAGE, CAS});
        } finally {
            g.dispose();
        }
        return image;
    }

    private static double score(QualityRecord r, String metric) {
        Double v = r.scores().get(metric);
        return v == null ? Double.NaN : v;
    }

    /** One plot area with its data ranges. */
    private record Panel(int x, int y, long minStep, long maxStep, double minValue, double maxValue) {

        int px(long step) {
            return x + (int) Math.round((step - minStep) * (double) PANEL_WIDTH / (maxStep - minStep));
        }

        int py(double value) {
            return y + PANEL_HEIGHT - (int) Math.round((value - minValue) * PANEL_HEIGHT / (maxValue - minValue));
        }

        void frame(Graphics2D g, String title) {
            g.setColor(AXIS);
            g.drawRect(x, y, PANEL_WIDTH, PANEL_HEIGHT);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.setColor(TEXT);
            for (int i = 0; i <= 4; i++) {
                double v = minValue + i * (maxValue - minValue) / 4;
                int yy = py(v);
                g.drawString(String.format(Locale.ROOT, maxValue > 10 ? "%.0f" : "%.2f", v), x - 40, yy + 4);
                g.setColor(AXIS);
                g.drawLine(x - 3, yy, x, yy);
                g.setColor(TEXT);
            }
            g.drawString("step " + minStep, x, y + PANEL_HEIGHT + 16);
            String last = "step " + maxStep;
            g.drawString(last, x + PANEL_WIDTH - g.getFontMetrics().stringWidth(last), y + PANEL_HEIGHT + 16);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            g.drawString(title, x, y - 10);
        }

        void line(Graphics2D g, List<QualityRecord> records, ToDoubleFunction<QualityRecord> value, Color color, boolean dashed) {
            Stroke old = g.getStroke();
            g.setStroke(dashed ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f)
                    : new BasicStroke(2f));
            g.setColor(color);
            int lastX = -1;
            int lastY = -1;
            for (QualityRecord r : records) {
                double v = value.applyAsDouble(r);
                if (!Double.isFinite(v)) {
                    continue;
                }
                int xx = px(r.step());
                int yy = py(v);
                if (lastX >= 0) {
                    g.drawLine(lastX, lastY, xx, yy);
                }
                g.fillOval(xx - 2, yy - 2, 5, 5);
                lastX = xx;
                lastY = yy;
            }
            g.setStroke(old);
        }

        void cross(Graphics2D g, long step, double value, Color color) {
            int xx = px(step);
            int yy = py(value);
            g.setColor(color);
            g.setStroke(new BasicStroke(2f));
            g.drawLine(xx - 5, yy - 5, xx + 5, yy + 5);
            g.drawLine(xx - 5, yy + 5, xx + 5, yy - 5);
        }

        void legend(Graphics2D g, String[] names, Color[] colors) {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            int yy = y + PANEL_HEIGHT + 34;
            int xx = x;
            for (int i = 0; i < names.length; i++) {
                g.setColor(colors[i]);
                g.fillRect(xx, yy - 8, 10, 10);
                g.setColor(TEXT);
                g.drawString(names[i], xx + 14, yy + 1);
                xx += 24 + g.getFontMetrics().stringWidth(names[i]);
            }
        }
    }
}
