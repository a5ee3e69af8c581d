package dev.ganpipe.quality.report;

import dev.ganpipe.common.image.Png;
import dev.ganpipe.quality.usefulness.AugmentationUplift;
import dev.ganpipe.quality.usefulness.Memorisation;
import dev.ganpipe.quality.usefulness.UsefulnessReport;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The usefulness part of the report figure: its headline numbers as lines of text, then the closest
 * generated-training pairs side by side (generated left, its nearest training image right, their pixel distance
 * below), so that a reader sees at once whether the nearest ones are copies.
 */
final class UsefulnessStrip {

    private static final Color TEXT = new Color(0x22, 0x22, 0x22);
    private static final Color PAIR_FRAME = new Color(0xc0, 0x39, 0x2b);
    private static final int LINE = 16;
    private static final int GAP = 4;
    private static final int PAIR_GAP = 14;

    private UsefulnessStrip() {
    }

    /** The strip's height for a tile size. */
    static int height(UsefulnessReport report, int tile) {
        return 8 + lines(report).size() * LINE + 8 + LINE + tile + LINE + 16;
    }

    /** Draws the strip with its top-left corner at (x0, y0). */
    static void draw(Graphics2D g, UsefulnessReport report, int x0, int y0, int tile) {
        g.setColor(TEXT);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        int y = y0 + 8;
        List<String> lines = lines(report);
        for (int i = 0; i < lines.size(); i++) {
            g.setFont(new Font(Font.SANS_SERIF, i == 0 ? Font.BOLD : Font.PLAIN, i == 0 ? 13 : 12));
            y += LINE;
            g.drawString(lines.get(i), x0, y);
        }
        y += 8 + LINE;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString("Generated images nearest a training image (left: generated, right: nearest training image, pixel distance below):", x0, y - 4);
        int x = x0;
        for (Memorisation.Pair pair : report.memorisation().closest()) {
            g.drawImage(Png.toBufferedImage(pair.generated()), x, y, tile, tile, null);
            g.drawImage(Png.toBufferedImage(pair.training()), x + tile + GAP, y, tile, tile, null);
            g.setColor(PAIR_FRAME);
            g.drawRect(x - 1, y - 1, 2 * tile + GAP + 1, tile + 1);
            g.setColor(TEXT);
            g.drawString(String.format(Locale.ROOT, "%.2f", pair.distance()), x, y + tile + LINE - 2);
            x += 2 * tile + GAP + PAIR_GAP;
        }
    }

    private static List<String> lines(UsefulnessReport report) {
        List<String> out = new ArrayList<>();
        out.add("Do the images help?");
        if (!report.omitted().isEmpty()) {
            out.add(report.omitted());
        }
        report.cas().ifPresent(cas -> out.add(String.format(Locale.ROOT,
                "CAS: a classifier trained on %d generated images scores %.1f%% on held-out real images, on %d real images %.1f%%: %.3fx real",
                cas.generated().trainImages(), 100 * cas.generated().accuracy(), cas.real().trainImages(), 100 * cas.real().accuracy(), cas.ratio())));
        report.uplift().ifPresent(uplift -> {
            StringBuilder row = new StringBuilder("Uplift with " + uplift.generatedPerClass() + " generated per class:");
            for (AugmentationUplift.Row r : uplift.rows()) {
                row.append(String.format(Locale.ROOT, "  k=%d %.1f%% -> %.1f%% (%+.1f ± %.1f)", r.perClass(), 100 * r.realMean(), 100 * r.augmentedMean(),
                        100 * r.uplift(), 100 * r.upliftSpread()));
            }
            out.add(row.toString());
            AugmentationUplift.Imbalanced im = uplift.imbalanced();
            out.add(String.format(Locale.ROOT, "Imbalanced: %s cut to %d of %d images, recall %.1f%%; topped up with generated images, %.1f%%",
                    im.className(), im.realKept(), im.perClass(), 100 * im.recallBefore(), 100 * im.recallAfter()));
        });
        Memorisation m = report.memorisation();
        out.add(String.format(Locale.ROOT, "Memorisation: nearer a training image than the %dth percentile of held-out images: generated %.1f%% "
                + "(held-out %.1f%%) in pixels, %.1f%% (held-out %.1f%%) in features", Memorisation.PERCENTILE, 100 * m.pixels().generatedShare(),
                100 * m.pixels().heldOutShare(), 100 * m.features().generatedShare(), 100 * m.features().heldOutShare()));
        return out;
    }
}
