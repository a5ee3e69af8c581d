package dev.ganpipe.trainer.gan;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/**
 * The evidence issue 18 asks for before an R1 gradient penalty: DJL's PyTorch engine takes second-order gradients. DJL's
 * public {@code GradientCollector.backward} never builds a graph of the backward pass, but the engine's
 * {@code JniUtils.backward(target, grad, keepGraph, createGraph)} does, so a gradient can be differentiated again.
 */
class SecondOrderGradientTest {

    @Test
    @SuppressWarnings("try") // the collector is never called: its scope is what records the graph
    void aGradientComputedWithItsGraphCanBeDifferentiatedAgain() {
        Engine engine = TorchRuntime.engine();
        try (NDManager m = engine.newBaseManager()) {
            NDArray x = m.create(new float[] {1f, 2f, 3f});
            x.setRequiresGradient(true);
            try (GradientCollector recording = engine.newGradientCollector()) {
                NDArray y = x.pow(3).sum();
                JniUtils.backward((PtNDArray) y, (PtNDArray) m.ones(y.getShape()), true, true);
                // d/dx sum(x^3) = 3x^2, and it is part of a graph: copied (mul 1) before the gradient buffer is reset.
                NDArray first = x.getGradient().mul(1f);
                assertThat(first.toFloatArray()).containsExactly(3f, 12f, 27f);
                NDArray penalty = first.square().sum(); // sum 9x^4, so d/dx = 36x^3
                JniUtils.zeroGrad((PtNDArray) x);
                JniUtils.backward((PtNDArray) penalty, (PtNDArray) m.ones(penalty.getShape()), false, false);
                assertThat(x.getGradient().toFloatArray()).containsExactly(36f, 288f, 972f);
            }
        }
    }
}
