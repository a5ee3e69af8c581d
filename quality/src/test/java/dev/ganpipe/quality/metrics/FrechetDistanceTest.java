package dev.ganpipe.quality.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FrechetDistanceTest {

    @Test
    void identicalSetsAreAtDistanceZero() {
        FeatureSet x = gaussian(new Random(1), 500, 16, 0, 1);

        assertThat(FrechetDistance.between(x, x)).isCloseTo(0, within(1e-9));
    }

    @Test
    void aShiftedCopyIsAtTheSquaredShift() {
        // Shifting every vector by delta leaves the covariance unchanged, so the distance is |delta|^2 exactly.
        FeatureSet x = gaussian(new Random(2), 400, 8, 0, 1);
        float[] shifted = new float[400 * 8];
        double squaredShift = 0;
        for (int k = 0; k < 8; k++) {
            squaredShift += (0.25 * k) * (0.25 * k);
        }
        for (int i = 0; i < 400; i++) {
            for (int k = 0; k < 8; k++) {
                shifted[i * 8 + k] = x.get(i, k) + 0.25f * k;
            }
        }

        assertThat(FrechetDistance.between(x, new FeatureSet(shifted, 400, 8))).isCloseTo(squaredShift, within(1e-4));
    }

    @Test
    void diagonalGaussiansFollowTheClosedForm() {
        // For diagonal covariances: |m1 - m2|^2 + sum (sqrt(a_i) - sqrt(b_i))^2.
        GaussianStatistics a = GaussianStatistics.of(new double[] {0, 0, 1}, diag(4, 1, 9));
        GaussianStatistics b = GaussianStatistics.of(new double[] {1, 0, 1}, diag(1, 1, 1));

        assertThat(FrechetDistance.between(a, b)).isCloseTo(1 + 1 + 0 + 4, within(1e-12));
    }

    @Test
    void nonCommutingCovariancesMatchTheTwoByTwoFormula() {
        // For 2x2 PSD S1, S2: tr sqrt(S1 S2) = sqrt(tr(S1 S2) + 2 sqrt(det(S1) det(S2))).
        double[][] s1 = {{2, 1}, {1, 2}};
        double[][] s2 = {{1, 0}, {0, 3}};
        double trProduct = 2 * 1 + 1 * 0 + 1 * 0 + 2 * 3; // tr(S1 S2) = 8
        double traceRoot = Math.sqrt(trProduct + 2 * Math.sqrt(3 * 3)); // det S1 = 3, det S2 = 3
        double expected = 4 + 4 - 2 * traceRoot; // zero mean difference; tr S1 = 4, tr S2 = 4

        double fid = FrechetDistance.between(GaussianStatistics.of(new double[2], s1), GaussianStatistics.of(new double[2], s2));

        assertThat(fid).isCloseTo(expected, within(1e-12));
    }

    @Test
    void samplesOfTwoKnownGaussiansApproachTheAnalyticDistance() {
        // N(0, I) against N(mu, 4 I) in 4 dimensions: |mu|^2 + 4 * (1 - 2)^2.
        FeatureSet a = gaussian(new Random(7), 20_000, 4, 0, 1);
        FeatureSet b = gaussian(new Random(8), 20_000, 4, 0.5f, 2);
        double expected = 4 * 0.25 + 4 * 1;

        assertThat(FrechetDistance.between(a, b)).isCloseTo(expected, within(0.1));
    }

    @Test
    void statisticsUseTheUnbiasedCovariance() {
        FeatureSet x = new FeatureSet(new float[] {0, 2, 4}, 3, 1); // mean 2, squared deviations 4 + 0 + 4 over n - 1 = 2

        GaussianStatistics s = GaussianStatistics.of(x);

        assertThat(s.mean()[0]).isEqualTo(2);
        assertThat(s.covariance()[0][0]).isEqualTo(4);
    }

    static double[][] diag(double... values) {
        double[][] m = new double[values.length][values.length];
        for (int i = 0; i < values.length; i++) {
            m[i][i] = values[i];
        }
        return m;
    }

    static FeatureSet gaussian(Random random, int n, int d, float mean, float std) {
        float[] v = new float[n * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = mean + std * (float) random.nextGaussian();
        }
        return new FeatureSet(v, n, d);
    }
}
