package dev.ganpipe.images.normalize;

import java.util.ArrayList;
import java.util.List;

/**
 * Resizing by area averaging (a box filter): every output pixel is the mean of the source area it covers, with
 * source pixels on its border weighted by the fraction inside. It neither aliases when shrinking (every source
 * pixel counts) nor blurs when the scale is 1 (the image comes back unchanged). The filter is separable: rows
 * are averaged horizontally as they stream in, then accumulated vertically, so memory is one source row plus
 * the output, whatever the source size.
 */
public final class AreaResize {

    /** Hands out the source row by row, in order, as channel values 0..255 (already composited). */
    @FunctionalInterface
    public interface RowSource {

        /** Writes row {@code y} into {@code row} ({@code width * channels} values, channels interleaved). */
        void read(int y, double[] row);
    }

    /**
     * Exact halves (x.5) come out of the weighted sums as x.4999999 or x.5000001 depending on summation order;
     * nudging by much less than one level makes them all round up, so a result never depends on that order.
     */
    private static final double ROUNDING_NUDGE = 1e-7;

    private AreaResize() {
    }

    /**
     * Resizes interleaved 8-bit pixels.
     *
     * @param pixels {@code srcWidth * srcHeight * channels} bytes, row-major, channels interleaved
     * @return {@code dstWidth * dstHeight * channels} bytes in the same layout
     */
    public static byte[] resize(byte[] pixels, int srcWidth, int srcHeight, int channels, int dstWidth, int dstHeight) {
        if (pixels.length != srcWidth * srcHeight * channels) {
            throw new IllegalArgumentException("A " + srcWidth + "x" + srcHeight + "x" + channels + " image has "
                    + srcWidth * srcHeight * channels + " values, but " + pixels.length + " were given.");
        }
        int stride = srcWidth * channels;
        return resize((y, row) -> {
            for (int i = 0; i < stride; i++) {
                row[i] = pixels[y * stride + i] & 0xff;
            }
        }, srcWidth, srcHeight, channels, dstWidth, dstHeight);
    }

    /** Resizes a streamed source; rows are requested once each, top to bottom. */
    public static byte[] resize(RowSource source, int srcWidth, int srcHeight, int channels, int dstWidth, int dstHeight) {
        if (srcWidth < 1 || srcHeight < 1 || dstWidth < 1 || dstHeight < 1 || channels < 1) {
            throw new IllegalArgumentException("Sizes must be positive, but got " + srcWidth + "x" + srcHeight
                    + " to " + dstWidth + "x" + dstHeight + " with " + channels + " channels.");
        }
        Axis horizontal = Axis.of(srcWidth, dstWidth);
        Axis vertical = Axis.of(srcHeight, dstHeight);
        List<List<double[]>> rowTargets = vertical.bySource(srcHeight);

        double[] row = new double[srcWidth * channels];
        double[] averaged = new double[dstWidth * channels];
        double[] acc = new double[dstWidth * dstHeight * channels];
        for (int y = 0; y < srcHeight; y++) {
            source.read(y, row);
            for (int j = 0; j < dstWidth; j++) {
                double[] w = horizontal.weights[j];
                int first = horizontal.first[j];
                for (int c = 0; c < channels; c++) {
                    double sum = 0;
                    for (int k = 0; k < w.length; k++) {
                        sum += w[k] * row[(first + k) * channels + c];
                    }
                    averaged[j * channels + c] = sum;
                }
            }
            for (double[] target : rowTargets.get(y)) {
                int offset = (int) target[0] * dstWidth * channels;
                double weight = target[1];
                for (int i = 0; i < averaged.length; i++) {
                    acc[offset + i] += weight * averaged[i];
                }
            }
        }
        byte[] out = new byte[acc.length];
        for (int i = 0; i < acc.length; i++) {
            long v = Math.round(acc[i] + ROUNDING_NUDGE);
            out[i] = (byte) Math.max(0, Math.min(255, v));
        }
        return out;
    }

    /**
     * The weights of one axis: output pixel {@code j} covers source coordinates [j*src/dst, (j+1)*src/dst).
     * Coordinates are kept in units of 1/dst source pixel, so overlaps are exact integers and weights are
     * overlap / src.
     */
    private record Axis(int[] first, double[][] weights) {

        static Axis of(int src, int dst) {
            int[] first = new int[dst];
            double[][] weights = new double[dst][];
            for (int j = 0; j < dst; j++) {
                long start = (long) j * src;
                long end = (long) (j + 1) * src;
                int i0 = (int) (start / dst);
                int i1 = (int) ((end - 1) / dst);
                first[j] = i0;
                weights[j] = new double[i1 - i0 + 1];
                for (int i = i0; i <= i1; i++) {
                    long lo = Math.max(start, (long) i * dst);
                    long hi = Math.min(end, (long) (i + 1) * dst);
                    weights[j][i - i0] = (double) (hi - lo) / src;
                }
            }
            return new Axis(first, weights);
        }

        /** For every source index, the (output index, weight) pairs it contributes to. */
        List<List<double[]>> bySource(int src) {
            List<List<double[]>> result = new ArrayList<>(src);
            for (int i = 0; i < src; i++) {
                result.add(new ArrayList<>(2));
            }
            for (int j = 0; j < first.length; j++) {
                for (int k = 0; k < weights[j].length; k++) {
                    result.get(first[j] + k).add(new double[] {j, weights[j][k]});
                }
            }
            return result;
        }
    }
}
