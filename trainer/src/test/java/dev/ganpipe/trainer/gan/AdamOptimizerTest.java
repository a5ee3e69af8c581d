package dev.ganpipe.trainer.gan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdamOptimizerTest extends TorchCpuFixture {

    private static final float LR = 0.05f;
    private static final float B1 = 0.5f;
    private static final float B2 = 0.999f;

    private Block block;

    @BeforeEach
    void setUp() {
        block = Linear.builder().setUnits(2).build();
        DcganModels.initialize(block, manager, new Shape(4, 3), 11);
    }

    @Test
    void matchesTorchAdamArithmeticIncludingBiasCorrectionAndZeroesGradients() {
        NDArray weight = block.getParameters().get("weight").getArray();
        double[] w = toDouble(weight.toFloatArray());
        double[] m = new double[w.length];
        double[] v = new double[w.length];
        try (AdamOptimizer adam = new AdamOptimizer(manager, block, LR, B1, B2)) {
            assertThat(adam.parameterCount()).isEqualTo(2); // weight and bias
            for (int t = 1; t <= 3; t++) {
                adam.zeroGradients();
                backwardOnce(t);
                double[] g;
                try (NDArray grad = weight.getGradient()) {
                    g = toDouble(grad.toFloatArray());
                }
                adam.update();
                for (int i = 0; i < w.length; i++) { // torch.optim.Adam, in double precision
                    m[i] = B1 * m[i] + (1 - B1) * g[i];
                    v[i] = B2 * v[i] + (1 - B2) * g[i] * g[i];
                    double mHat = m[i] / (1 - Math.pow(B1, t));
                    double vHat = v[i] / (1 - Math.pow(B2, t));
                    w[i] -= LR * mHat / (Math.sqrt(vHat) + AdamOptimizer.EPSILON);
                }
                float[] actual = weight.toFloatArray();
                for (int i = 0; i < w.length; i++) {
                    assertThat((double) actual[i]).as("step %d, weight %d", t, i).isCloseTo(w[i], within(1e-6));
                }
                try (NDArray grad = weight.getGradient()) {
                    assertThat(grad.toFloatArray()).as("gradient after update").containsOnly(0f);
                }
            }
            assertThat(adam.updates()).isEqualTo(3);
        }
    }

    @Test
    void djlAccumulatesGradientsAcrossBackwardPassesUntilTheyAreZeroed() {
        NDArray weight = block.getParameters().get("weight").getArray();
        try (AdamOptimizer adam = new AdamOptimizer(manager, block, LR, B1, B2)) {
            backwardOnce(1);
            float[] once;
            try (NDArray grad = weight.getGradient()) {
                once = grad.toFloatArray();
            }
            backwardOnce(1);
            try (NDArray grad = weight.getGradient()) {
                float[] twice = grad.toFloatArray();
                for (int i = 0; i < once.length; i++) {
                    assertThat(twice[i]).isCloseTo(2 * once[i], within(1e-6f));
                }
            }
            adam.zeroGradients();
            try (NDArray grad = weight.getGradient()) {
                assertThat(grad.toFloatArray()).containsOnly(0f);
            }
        }
    }

    /** loss = sum((x W^T + b)^2) for a fixed x that depends on t. */
    private void backwardOnce(int t) {
        try (NDManager scope = manager.newSubManager();
                GradientCollector collector = engine.newGradientCollector()) {
            NDArray x = scope.arange(12f).reshape(4, 3).div(10f).add(t);
            NDArray y = block.forward(new ParameterStore(scope, false), new NDList(x), true).singletonOrThrow();
            collector.backward(y.square().sum());
        }
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
