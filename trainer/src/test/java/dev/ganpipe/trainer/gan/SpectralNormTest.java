package dev.ganpipe.trainer.gan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Spectral normalisation: the normalised weight's largest singular value is 1, found by persistent power iteration. */
class SpectralNormTest extends TorchCpuFixture {

    private ParameterStore store;

    @BeforeEach
    void setUp() {
        store = new ParameterStore(manager, false);
    }

    @Test
    void theNormalisedConvolutionWeightHasLargestSingularValueOne() {
        SpectralNorm sn = new SpectralNorm(Conv2d.builder().setFilters(32).setKernelShape(new Shape(4, 4))
                .optStride(new Shape(2, 2)).optPadding(new Shape(1, 1)).build(), 32);
        Shape input = new Shape(2, 16, 8, 8);
        DcganModels.initialize(sn, manager, input, 3);
        scaleWeight(sn, 25f); // sigma(W) well above 1, so the normalisation has work to do
        double rawSigma = largestSingularValue(matrix(sn.layer().getDirectParameters().get("weight").getArray()), 32);
        assertThat(rawSigma).isGreaterThan(5);

        trainingForwards(sn, input, 60); // the persistent u converges over training forwards, one step each
        try (NDManager scope = manager.newSubManager()) {
            double sigma = largestSingularValue(matrix(sn.normalizedWeight(scope)), 32);
            assertThat(sigma).as("largest singular value of W / sigma(W), by SVD-grade power iteration in the test")
                    .isCloseTo(1.0, within(1e-3));
        }
    }

    @Test
    void theLinearLayerIsNormalisedTooAndOneStepNeverOverestimatesSigma() {
        SpectralNorm sn = new SpectralNorm(Linear.builder().setUnits(1).build(), 1);
        Shape input = new Shape(4, 50);
        DcganModels.initialize(sn, manager, input, 4);
        scaleWeight(sn, 40f);
        trainingForwards(sn, input, 1);
        try (NDManager scope = manager.newSubManager()) {
            // A 1 x 50 matrix has one singular value, its norm: one power-iteration step finds it exactly.
            assertThat(largestSingularValue(matrix(sn.normalizedWeight(scope)), 1)).isCloseTo(1.0, within(1e-5));
        }

        SpectralNorm wide = new SpectralNorm(Linear.builder().setUnits(24).build(), 24);
        DcganModels.initialize(wide, manager, new Shape(4, 40), 5);
        scaleWeight(wide, 40f);
        trainingForwards(wide, new Shape(4, 40), 1);
        try (NDManager scope = manager.newSubManager()) {
            // After a single step the estimate is at most the true sigma, so the normalised sigma is at least 1.
            assertThat(largestSingularValue(matrix(wide.normalizedWeight(scope)), 24)).isGreaterThanOrEqualTo(1.0 - 1e-6);
        }
    }

    @Test
    void trainingForwardsStepTheVectorAndInferenceForwardsLeaveIt() {
        SpectralNorm sn = new SpectralNorm(Linear.builder().setUnits(8).build(), 8);
        Shape input = new Shape(2, 6);
        DcganModels.initialize(sn, manager, input, 6);
        float[] before = sn.u().toFloatArray();
        forward(sn, input, false);
        assertThat(sn.u().toFloatArray()).as("inference forward").containsExactly(before);
        forward(sn, input, true);
        assertThat(sn.u().toFloatArray()).as("training forward").isNotEqualTo(before);
    }

    private void trainingForwards(SpectralNorm sn, Shape input, int times) {
        for (int i = 0; i < times; i++) {
            forward(sn, input, true);
        }
    }

    private void forward(SpectralNorm sn, Shape input, boolean training) {
        try (NDManager scope = manager.newSubManager()) {
            sn.forward(store, new NDList(scope.randomNormal(input)), training);
        }
    }

    private static void scaleWeight(SpectralNorm sn, float factor) {
        NDArray w = sn.layer().getDirectParameters().get("weight").getArray();
        try (NDArray scaled = w.mul(factor)) {
            w.set(new NDIndex(":"), scaled);
        }
    }

    /** The weight as a {@code rows x (size / rows)} matrix of doubles. */
    private static double[][] matrix(NDArray w) {
        float[] v = w.toFloatArray();
        int rows = Math.toIntExact(w.getShape().get(0));
        int cols = v.length / rows;
        double[][] m = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m[r][c] = v[r * cols + c];
            }
        }
        return m;
    }

    /** sqrt of the largest eigenvalue of M M^T, by power iteration in double precision run to convergence. */
    private static double largestSingularValue(double[][] m, int rows) {
        double[][] gram = new double[rows][rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < rows; j++) {
                double s = 0;
                for (int k = 0; k < m[0].length; k++) {
                    s += m[i][k] * m[j][k];
                }
                gram[i][j] = s;
            }
        }
        double[] x = new Random(1).doubles(rows, 0.5, 1.5).toArray();
        double lambda = 0;
        for (int iter = 0; iter < 10_000; iter++) {
            double[] y = new double[rows];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < rows; j++) {
                    y[i] += gram[i][j] * x[j];
                }
            }
            double norm = Math.sqrt(java.util.Arrays.stream(y).map(a -> a * a).sum());
            for (int i = 0; i < rows; i++) {
                x[i] = y[i] / norm;
            }
            if (Math.abs(norm - lambda) < 1e-14 * norm) {
                return Math.sqrt(norm);
            }
            lambda = norm;
        }
        return Math.sqrt(lambda);
    }
}
