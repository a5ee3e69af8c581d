package dev.ganpipe.quality.metrics;

import java.util.Random;

/**
 * KID (Bińkowski et al. 2018): the unbiased estimate of the squared maximum mean discrepancy with the cubic
 * polynomial kernel {@code k(x, y) = (x.y / d + 1)^3}, averaged over random subsets of both sets, with the standard
 * deviation over those subsets (population form, as the reference implementations report it). Unbiased means an
 * estimate may fall slightly below zero when the two sets come from one distribution.
 */
public final class KernelDistance {

    /**
     * The result.
     *
     * @param mean the mean MMD² over subsets
     * @param std its standard deviation over subsets
     * @param subsets how many subsets were drawn (1 when both sets were small enough to be used whole)
     * @param subsetSize vectors per set in each subset
     */
    public record Result(double mean, double std, int subsets, int subsetSize) {
    }

    private KernelDistance() {
    }

    /**
     * KID between {@code x} and {@code y} over {@code subsets} subsets of {@code subsetSize} vectors drawn without
     * replacement from each set (capped at the smaller set's size); {@code seed} fixes the draws.
     *
     * @throws IllegalArgumentException when a set has fewer than two vectors, dimensions differ or {@code subsets < 1}
     */
    public static Result between(FeatureSet x, FeatureSet y, int subsets, int subsetSize, long seed) {
        if (x.dim() != y.dim()) {
            throw new IllegalArgumentException("Both feature sets need the same dimension, but have " + x.dim() + " and " + y.dim() + ".");
        }
        if (subsets < 1 || subsetSize < 2) {
            throw new IllegalArgumentException("KID needs at least one subset of at least two vectors, but got " + subsets + " subsets of "
                    + subsetSize + ".");
        }
        int m = Math.min(subsetSize, Math.min(x.count(), y.count()));
        if (m < 2) {
            throw new IllegalArgumentException("KID needs at least two vectors in each set, but got " + x.count() + " and " + y.count() + ".");
        }
        // When both sets are used whole, every subset is the same: compute it once.
        int runs = m == x.count() && m == y.count() ? 1 : subsets;
        Random random = new Random(seed);
        double[] values = new double[runs];
        for (int s = 0; s < runs; s++) {
            FeatureSet xs = m == x.count() ? x : x.rows(choose(random, x.count(), m));
            FeatureSet ys = m == y.count() ? y : y.rows(choose(random, y.count(), m));
            values[s] = mmd2(xs, ys);
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= runs;
        double var = 0;
        for (double v : values) {
            var += (v - mean) * (v - mean);
        }
        return new Result(mean, Math.sqrt(var / runs), runs, m);
    }

    /** The unbiased MMD² of two sets with the cubic polynomial kernel, over all their vectors. */
    public static double mmd2(FeatureSet x, FeatureSet y) {
        int m = x.count();
        int n = y.count();
        double kxx = kernelSum(x, x, true);
        double kyy = kernelSum(y, y, true);
        double kxy = kernelSum(x, y, false);
        return kxx / ((double) m * (m - 1)) + kyy / ((double) n * (n - 1)) - 2 * kxy / ((double) m * n);
    }

    /**
     * The sum of k(a_i, b_j) over all pairs, leaving out i == j when {@code a} and {@code b} are one set. Rows are
     * summed on their own and then in order, so the result does not depend on how the threads were scheduled.
     */
    private static double kernelSum(FeatureSet a, FeatureSet b, boolean sameSet) {
        double invD = 1.0 / a.dim();
        double[] rowSums = new double[a.count()];
        PairwiseDots.run(a, b, (row, column, dots, length) -> {
            double sum = 0;
            for (int j = 0; j < length; j++) {
                if (sameSet && column + j == row) {
                    continue;
                }
                double base = dots[j] * invD + 1;
                sum += base * base * base;
            }
            rowSums[row] += sum;
        });
        double total = 0;
        for (double s : rowSums) {
            total += s;
        }
        return total;
    }

    /** {@code m} distinct indices below {@code n} (a partial Fisher-Yates shuffle). */
    static int[] choose(Random random, int n, int m) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        for (int i = 0; i < m; i++) {
            int j = i + random.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return java.util.Arrays.copyOf(all, m);
    }
}
