package dev.ganpipe.quality.metrics;

/**
 * The mean and covariance (unbiased, divided by {@code n - 1}) of a feature set, in double precision: the Gaussian
 * that the Fréchet distance compares. Immutable.
 */
public final class GaussianStatistics {

    private final double[] mean;
    private final double[][] covariance;
    private final int count;

    private GaussianStatistics(double[] mean, double[][] covariance, int count) {
        this.mean = mean;
        this.covariance = covariance;
        this.count = count;
    }

    /**
     * The statistics of {@code features}.
     *
     * @throws IllegalArgumentException for fewer than two vectors (no covariance)
     */
    public static GaussianStatistics of(FeatureSet features) {
        int n = features.count();
        int d = features.dim();
        if (n < 2) {
            throw new IllegalArgumentException("A covariance needs at least two feature vectors, but got " + n + "; evaluate more images.");
        }
        double[] mean = new double[d];
        float[] v = features.values();
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                mean[k] += v[i * d + k];
            }
        }
        for (int k = 0; k < d; k++) {
            mean[k] /= n;
        }
        double[][] cov = new double[d][d];
        double[] centred = new double[d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                centred[k] = v[i * d + k] - mean[k];
            }
            for (int a = 0; a < d; a++) {
                double ca = centred[a];
                if (ca == 0) {
                    continue;
                }
                double[] row = cov[a];
                for (int b = a; b < d; b++) {
                    row[b] += ca * centred[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                cov[a][b] /= n - 1;
                cov[b][a] = cov[a][b];
            }
        }
        return new GaussianStatistics(mean, cov, n);
    }

    /** Statistics given directly (for tests and analytic checks). */
    public static GaussianStatistics of(double[] mean, double[][] covariance) {
        if (covariance.length != mean.length) {
            throw new IllegalArgumentException("The covariance must be " + mean.length + "x" + mean.length + " to match the mean, but has "
                    + covariance.length + " rows.");
        }
        double[][] cov = new double[mean.length][];
        for (int i = 0; i < mean.length; i++) {
            if (covariance[i].length != mean.length) {
                throw new IllegalArgumentException("Covariance row " + i + " has " + covariance[i].length + " values, not " + mean.length + ".");
            }
            cov[i] = covariance[i].clone();
        }
        return new GaussianStatistics(mean.clone(), cov, 0);
    }

    /** The dimension. */
    public int dim() {
        return mean.length;
    }

    /** How many vectors the statistics were taken over (0 when given directly). */
    public int count() {
        return count;
    }

    double[] mean() {
        return mean;
    }

    double[][] covariance() {
        return covariance;
    }
}
