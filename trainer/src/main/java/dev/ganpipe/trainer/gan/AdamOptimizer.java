package dev.ganpipe.trainer.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam (Kingma and Ba) over the trainable parameters of one block, with the same arithmetic as
 * {@code torch.optim.Adam} (no weight decay, no AMSGrad).
 *
 * <p>The moments live in this optimiser's own NDManager so they can be checkpointed and restored.
 * The update uses the engine's fused {@code adamUpdate}, which runs with autograd off and zeroes the
 * parameter's gradient afterwards.
 */
final class AdamOptimizer implements AutoCloseable {

    /** Adam epsilon, PyTorch's default. */
    static final float EPSILON = 1e-8f;

    private final NDManager stateManager;
    private final List<NDArray> weights = new ArrayList<>();
    private final List<NDArray> firstMoments = new ArrayList<>();
    private final List<NDArray> secondMoments = new ArrayList<>();
    private final float learningRate;
    private final float beta1;
    private final float beta2;
    private long updates;

    /** Tracks every parameter of {@code block} that requires a gradient; the block must be initialised. */
    AdamOptimizer(NDManager parent, Block block, float learningRate, float beta1, float beta2) {
        this.stateManager = parent.newSubManager();
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        for (Parameter p : block.getParameters().values()) {
            if (p.requiresGradient()) {
                NDArray w = p.getArray();
                weights.add(w);
                firstMoments.add(stateManager.zeros(w.getShape(), w.getDataType()));
                secondMoments.add(stateManager.zeros(w.getShape(), w.getDataType()));
            }
        }
    }

    /** Zeroes the accumulated gradients of every tracked parameter. */
    void zeroGradients() {
        for (NDArray w : weights) {
            TorchRuntime.zeroGradient(w);
        }
    }

    /** Applies one Adam update from the current gradients, in place, then zeroes the gradients. */
    void update() {
        updates++;
        double correction1 = 1 - Math.pow(beta1, updates);
        double correction2 = 1 - Math.pow(beta2, updates);
        // The fused kernel computes w -= lrc * m / (sqrt(v) + epsc). With lrc = lr * sqrt(c2) / c1 and
        // epsc = eps * sqrt(c2) this is exactly PyTorch's w -= lr * (m / c1) / (sqrt(v / c2) + eps).
        float correctedRate = (float) (learningRate * Math.sqrt(correction2) / correction1);
        float correctedEpsilon = (float) (EPSILON * Math.sqrt(correction2));
        for (int i = 0; i < weights.size(); i++) {
            NDArray w = weights.get(i);
            // getGradient() makes a new handle attached to the parameter's long-lived manager: close it now.
            try (NDArray grad = w.getGradient()) {
                w.getNDArrayInternal()
                        .adamUpdate(
                                new NDList(w, grad, firstMoments.get(i), secondMoments.get(i)),
                                new NDList(w),
                                learningRate,
                                correctedRate,
                                0f, // weight decay
                                1f, // gradient rescale
                                -1f, // no gradient clipping
                                beta1,
                                beta2,
                                correctedEpsilon,
                                false,
                                false);
            }
        }
    }

    /** Number of updates applied so far (Adam's t). */
    long updates() {
        return updates;
    }

    /** Number of parameter tensors this optimiser updates. */
    int parameterCount() {
        return weights.size();
    }

    @Override
    public void close() {
        stateManager.close();
    }
}
