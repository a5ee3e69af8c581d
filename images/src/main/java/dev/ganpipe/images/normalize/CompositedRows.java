package dev.ganpipe.images.normalize;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;

/**
 * Reads a decoded image row by row as 1 (gray) or 3 (RGB) channel values with alpha composited onto the
 * background. Gray and sRGB images (what PNG and JPEG decode to) are read straight from their raster: that is
 * about ten times faster than {@code BufferedImage.getRGB}, and for gray images it is also the only exact way,
 * since {@code getRGB} pushes gray through a linear-to-sRGB conversion that brightens it (Fashion-MNIST pixels must
 * come out unchanged). Anything else (palettes, CMYK, ICC profiles) goes through {@code getRGB}, which converts to
 * sRGB correctly.
 */
final class CompositedRows implements AreaResize.RowSource {

    private final BufferedImage image;
    private final int channels;
    private final Background background;
    private final boolean fromRaster;
    private final int bands;
    private final int colourBands;
    private final boolean alpha;
    private final double[] scale;
    private final int[] samples;
    private final int[] argb;

    CompositedRows(BufferedImage image, int channels, Background background) {
        this.image = image;
        this.channels = channels;
        this.background = background;
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        ColorSpace cs = cm.getColorSpace();
        this.fromRaster = cm instanceof ComponentColorModel
                && !cm.isAlphaPremultiplied()
                && (cs.getType() == ColorSpace.TYPE_GRAY || cs.isCS_sRGB())
                && raster.getNumBands() == cm.getNumComponents()
                && (raster.getTransferType() == DataBuffer.TYPE_BYTE || raster.getTransferType() == DataBuffer.TYPE_USHORT);
        this.bands = raster.getNumBands();
        this.colourBands = cm.getNumColorComponents();
        this.alpha = cm.hasAlpha();
        this.scale = new double[bands];
        for (int b = 0; b < bands && fromRaster; b++) {
            scale[b] = 1.0 / ((1 << cm.getComponentSize(b)) - 1);
        }
        this.samples = fromRaster ? new int[image.getWidth() * bands] : null;
        this.argb = fromRaster ? null : new int[image.getWidth()];
    }

    @Override
    public void read(int y, double[] row) {
        int width = image.getWidth();
        if (fromRaster) {
            image.getRaster().getPixels(0, y, width, 1, samples);
            for (int x = 0; x < width; x++) {
                int base = x * bands;
                double r = samples[base] * scale[0] * 255;
                double g = colourBands == 3 ? samples[base + 1] * scale[1] * 255 : r;
                double b = colourBands == 3 ? samples[base + 2] * scale[2] * 255 : r;
                double a = alpha ? samples[base + colourBands] * scale[colourBands] : 1.0;
                write(row, x, r, g, b, a);
            }
        } else {
            image.getRGB(0, y, width, 1, argb, 0, width);
            for (int x = 0; x < width; x++) {
                int p = argb[x];
                write(row, x, (p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff, ((p >>> 24) & 0xff) / 255.0);
            }
        }
    }

    private void write(double[] row, int x, double r, double g, double b, double a) {
        double rr = r * a + background.red() * (1 - a);
        double gg = g * a + background.green() * (1 - a);
        double bb = b * a + background.blue() * (1 - a);
        if (channels == 1) {
            // Equal channels skip the luma sum, whose rounding would otherwise nudge exact gray values.
            row[x] = rr == gg && gg == bb ? rr : 0.299 * rr + 0.587 * gg + 0.114 * bb;
        } else {
            row[x * 3] = rr;
            row[x * 3 + 1] = gg;
            row[x * 3 + 2] = bb;
        }
    }
}
