package dev.ganpipe.quality.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {

    @Test
    void findsTheEigenvaluesOfASmallMatrixByHand() {
        // [[2, 1], [1, 2]] has eigenvalues 1 and 3 with vectors (1, -1) and (1, 1) over sqrt(2).
        SymmetricEigen eigen = SymmetricEigen.of(new double[][] {{2, 1}, {1, 2}});

        assertThat(eigen.values()).containsExactly(new double[] {1, 3}, within(1e-14));
        double[][] v = eigen.vectors();
        assertThat(Math.abs(v[0][1])).isCloseTo(Math.sqrt(0.5), within(1e-14));
        assertThat(v[0][1] * v[1][1]).as("the vector of 3 is along (1, 1)").isPositive();
    }

    @Test
    void reconstructsARandomSymmetricMatrixFromItsDecomposition() {
        int n = 40;
        double[][] a = randomSymmetric(new Random(3), n);

        SymmetricEigen eigen = SymmetricEigen.of(a);

        double[] values = eigen.values();
        double[][] v = eigen.vectors();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                double dot = 0;
                for (int k = 0; k < n; k++) {
                    sum += v[i][k] * values[k] * v[j][k];
                    dot += v[k][i] * v[k][j];
                }
                assertThat(sum).as("A[%d][%d]", i, j).isCloseTo(a[i][j], within(1e-10));
                assertThat(dot).as("orthonormal columns %d, %d", i, j).isCloseTo(i == j ? 1 : 0, within(1e-12));
            }
        }
        for (int k = 1; k < n; k++) {
            assertThat(values[k]).isGreaterThanOrEqualTo(values[k - 1]);
        }
    }

    @Test
    void theSquareRootOfAPsdMatrixSquaresBackToIt() {
        int n = 12;
        double[][] b = randomSymmetric(new Random(5), n);
        double[][] psd = new double[n][n]; // B B^T is PSD
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    psd[i][j] += b[i][k] * b[j][k];
                }
            }
        }
        double[][] root = SymmetricEigen.of(psd).sqrtPsd();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int k = 0; k < n; k++) {
                    sum += root[i][k] * root[k][j];
                }
                assertThat(sum).isCloseTo(psd[i][j], within(1e-9));
            }
        }
    }

    @Test
    void handlesZeroAndDiagonalMatrices() {
        assertThat(SymmetricEigen.of(new double[3][3]).values()).containsExactly(0, 0, 0);
        assertThat(SymmetricEigen.of(new double[][] {{5, 0}, {0, -2}}).values()).containsExactly(-2, 5);
    }

    @Test
    void refusesANonSymmetricMatrixWithASentence() {
        assertThatThrownBy(() -> SymmetricEigen.of(new double[][] {{1, 2}, {0, 1}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not symmetric");
    }

    static double[][] randomSymmetric(Random random, int n) {
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                a[i][j] = random.nextGaussian();
                a[j][i] = a[i][j];
            }
        }
        return a;
    }
}
