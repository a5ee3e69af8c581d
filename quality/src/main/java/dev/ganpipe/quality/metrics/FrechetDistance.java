package dev.ganpipe.quality.metrics;

/**
 * The Fréchet distance between two Gaussians, the formula of FID (Heusel et al. 2017):
 * {@code |m1 - m2|^2 + tr(S1) + tr(S2) - 2 tr((S1 S2)^(1/2))}.
 *
 * <p>{@code S1 S2} is not symmetric, so the trace of its square root is computed as that of the symmetric PSD
 * matrix {@code S1^(1/2) S2 S1^(1/2)}, which has the same eigenvalues: two symmetric eigen-decompositions instead of
 * a general matrix square root, all in double precision.
 */
public final class FrechetDistance {

    private FrechetDistance() {
    }

    /** The distance between the Gaussians of two feature sets. */
    public static double between(FeatureSet a, FeatureSet b) {
        return between(GaussianStatistics.of(a), GaussianStatistics.of(b));
    }

    /**
     * The distance between two Gaussians; rounding below zero (identical inputs) is reported as 0.
     *
     * @throws IllegalArgumentException when the dimensions differ
     */
    public static double between(GaussianStatistics a, GaussianStatistics b) {
        int d = a.dim();
        if (b.dim() != d) {
            throw new IllegalArgumentException("Both Gaussians need the same dimension, but have " + d + " and " + b.dim() + ".");
        }
        double meanTerm = 0;
        for (int k = 0; k < d; k++) {
            double diff = a.mean()[k] - b.mean()[k];
            meanTerm += diff * diff;
        }
        double[][] s1 = a.covariance();
        double[][] s2 = b.covariance();
        double trace1 = 0;
        double trace2 = 0;
        for (int k = 0; k < d; k++) {
            trace1 += s1[k][k];
            trace2 += s2[k][k];
        }
        double[][] root1 = SymmetricEigen.of(s1).sqrtPsd();
        double[][] product = multiply(multiply(root1, s2), root1);
        for (int i = 0; i < d; i++) { // symmetric in exact arithmetic; remove the rounding
            for (int j = 0; j < i; j++) {
                double mean = 0.5 * (product[i][j] + product[j][i]);
                product[i][j] = mean;
                product[j][i] = mean;
            }
        }
        double traceRoot = 0;
        for (double lambda : SymmetricEigen.of(product).values()) {
            traceRoot += Math.sqrt(Math.max(lambda, 0));
        }
        return Math.max(0, meanTerm + trace1 + trace2 - 2 * traceRoot);
    }

    private static double[][] multiply(double[][] x, double[][] y) {
        int n = x.length;
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            double[] row = out[i];
            for (int k = 0; k < n; k++) {
                double xik = x[i][k];
                double[] yk = y[k];
                for (int j = 0; j < n; j++) {
                    row[j] += xik * yk[j];
                }
            }
        }
        return out;
    }
}
