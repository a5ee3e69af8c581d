package dev.ganpipe.quality.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KernelDistanceTest {

    @Test
    void matchesAHandComputedUnbiasedMmd() {
        // d = 2, k(a, b) = (a.b / 2 + 1)^3. x = {(1,0), (0,1)}, y = {(1,1), (0,0)}.
        // Kxx off-diagonal: x1.x2 = 0 -> 1, twice, over 2*1 pairs -> 1. Kyy: y1.y2 = 0 -> 1 -> 1.
        // Kxy: 1.5^3 + 1 + 1.5^3 + 1 = 8.75 over 4 -> 2.1875. MMD^2 = 1 + 1 - 2 * 2.1875 = -2.375.
        FeatureSet x = new FeatureSet(new float[] {1, 0, 0, 1}, 2, 2);
        FeatureSet y = new FeatureSet(new float[] {1, 1, 0, 0}, 2, 2);

        assertThat(KernelDistance.mmd2(x, y)).isCloseTo(-2.375, within(1e-12));
        KernelDistance.Result kid = KernelDistance.between(x, y, 3, 2, 0); // both sets whole: one subset
        assertThat(kid.mean()).isCloseTo(-2.375, within(1e-12));
        assertThat(kid.std()).isZero();
        assertThat(kid.subsetSize()).isEqualTo(2);
        assertThat(kid.subsets()).isEqualTo(1);
    }

    @Test
    void isNearZeroForOneDistributionAndClearlyPositiveForAShiftedOne() {
        FeatureSet a = FrechetDistanceTest.gaussian(new Random(1), 2000, 16, 0, 1);
        FeatureSet b = FrechetDistanceTest.gaussian(new Random(2), 2000, 16, 0, 1);
        FeatureSet shifted = FrechetDistanceTest.gaussian(new Random(3), 2000, 16, 0.5f, 1);

        KernelDistance.Result same = KernelDistance.between(a, b, 10, 500, 1);
        KernelDistance.Result different = KernelDistance.between(a, shifted, 10, 500, 1);

        assertThat(Math.abs(same.mean())).isLessThan(3 * same.std() + 0.01);
        assertThat(different.mean()).isGreaterThan(10 * same.std()).isGreaterThan(0.1);
        assertThat(different.subsets()).isEqualTo(10);
    }

    @Test
    void theSameSeedDrawsTheSameSubsets() {
        FeatureSet a = FrechetDistanceTest.gaussian(new Random(4), 300, 8, 0, 1);
        FeatureSet b = FrechetDistanceTest.gaussian(new Random(5), 300, 8, 0.2f, 1);

        assertThat(KernelDistance.between(a, b, 5, 100, 9)).isEqualTo(KernelDistance.between(a, b, 5, 100, 9));
    }

    @Test
    void agreesWithAPlainDoubleLoopOnLargerSets() {
        // Larger than one tile of the pairwise kernel, so tiling and row blocks are exercised.
        Random random = new Random(6);
        FeatureSet x = FrechetDistanceTest.gaussian(random, 1100, 5, 0, 1);
        FeatureSet y = FrechetDistanceTest.gaussian(random, 1030, 5, 0.1f, 1);

        assertThat(KernelDistance.mmd2(x, y)).isCloseTo(naiveMmd2(x, y), within(1e-6));
    }

    private static double naiveMmd2(FeatureSet x, FeatureSet y) {
        double xx = 0;
        double yy = 0;
        double xy = 0;
        for (int i = 0; i < x.count(); i++) {
            for (int j = 0; j < x.count(); j++) {
                if (i != j) {
                    xx += k(x, i, x, j);
                }
            }
            for (int j = 0; j < y.count(); j++) {
                xy += k(x, i, y, j);
            }
        }
        for (int i = 0; i < y.count(); i++) {
            for (int j = 0; j < y.count(); j++) {
                if (i != j) {
                    yy += k(y, i, y, j);
                }
            }
        }
        double m = x.count();
        double n = y.count();
        return xx / (m * (m - 1)) + yy / (n * (n - 1)) - 2 * xy / (m * n);
    }

    private static double k(FeatureSet a, int i, FeatureSet b, int j) {
        double dot = 0;
        for (int t = 0; t < a.dim(); t++) {
            dot += (double) a.get(i, t) * b.get(j, t);
        }
        return Math.pow(dot / a.dim() + 1, 3);
    }
}
