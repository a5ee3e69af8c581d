package dev.ganpipe.trainer.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
    private final List<String> names = new ArrayList<>();
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
        for (Pair<String, Parameter> entry : block.getParameters()) {
            Parameter p = entry.getValue();
            if (p.requiresGradient()) {
                NDArray w = p.getArray();
                names.add(entry.getKey());
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

    /**
     * Adds this optimiser's moments to {@code into} as {@code <prefix>.m/<parameter>} and {@code <prefix>.v/<parameter>}.
     */
    void saveMoments(String prefix, Map<String, TrainingState.Tensor> into) {
        for (int i = 0; i < weights.size(); i++) {
            into.put(prefix + ".m/" + names.get(i), GanTrainingCore.tensorOf(firstMoments.get(i)));
            into.put(prefix + ".v/" + names.get(i), GanTrainingCore.tensorOf(secondMoments.get(i)));
        }
    }

    /**
     * Restores the moments saved by {@link #saveMoments} and the update count, in place.
     *
     * @throws IllegalArgumentException when a moment is missing or has another shape
     */
    void restore(String prefix, Map<String, TrainingState.Tensor> from, long updateCount) {
        for (int i = 0; i < weights.size(); i++) {
            copyInto(firstMoments.get(i), prefix + ".m/" + names.get(i), from);
            copyInto(secondMoments.get(i), prefix + ".v/" + names.get(i), from);
        }
        this.updates = updateCount;
    }

    private void copyInto(NDArray target, String name, Map<String, TrainingState.Tensor> from) {
        TrainingState.Tensor t = GanTrainingCore.requireTensor(from, name, target.getShape());
        try (NDManager scope = stateManager.newSubManager()) {
            target.set(new NDIndex(":"), scope.create(t.values(), new Shape(t.shape())));
        }
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
