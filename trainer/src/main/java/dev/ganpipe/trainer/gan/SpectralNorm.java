package dev.ganpipe.trainer.gan;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Random;

/**
 * Spectral normalisation (Miyato et al., 2018) of a convolution's or linear layer's weight: the layer computes with
 * {@code W / sigma(W)}, where {@code sigma} is W's largest singular value, estimated by one step of power
 * iteration per training forward pass with a persistent vector {@code u} — the arithmetic of PyTorch's
 * {@code torch.nn.utils.spectral_norm} with {@code n_power_iterations=1}. DJL has no such layer.
 *
 * <p>With W viewed as a matrix {@code [out, in * kh * kw]}, a training forward computes, without gradient,
 * {@code v = normalize(W^T u)} and {@code u = normalize(W v)}, stores the new u (in place: it is a buffer, like
 * BatchNorm's running statistics), and then {@code sigma = u^T W v} with the gradient flowing through W only. An
 * inference forward uses the stored u without changing it. Because the discriminator half of a step runs two
 * training forwards (real and fake batches), u takes two power-iteration steps per training step; the generator
 * half restores it, so the generator step changes nothing in the discriminator.
 */
final class SpectralNorm extends AbstractBlock {

    private static final float EPSILON = 1e-12f;

    private final Block layer;
    private final Parameter u;

    /**
     * @param layer a {@link Conv2d} or {@link Linear} layer, not yet initialised
     * @param outFeatures its output channels or units: the length of u
     */
    @SuppressWarnings("this-escape") // DJL's block API registers children and parameters from the constructor
    SpectralNorm(Block layer, int outFeatures) {
        if (!(layer instanceof Conv2d) && !(layer instanceof Linear)) {
            throw new IllegalArgumentException("Spectral normalisation wraps a Conv2d or Linear layer, not " + layer + ".");
        }
        this.layer = addChildBlock(layer.getClass().getSimpleName(), layer);
        this.u = addParameter(Parameter.builder()
                .setName("u")
                .setType(Parameter.Type.OTHER)
                .optShape(new Shape(outFeatures))
                .optRequiresGrad(false)
                .optInitializer(new SeededInitializer(new Random(outFeatures), 0f, 1f))
                .build());
    }

    /** The wrapped layer. */
    Block layer() {
        return layer;
    }

    /** The power-iteration vector u (a buffer: not trained, changed by training forwards). */
    NDArray u() {
        return u.getArray();
    }

    /** The weight the layer computes with now, {@code W / sigma}, using the stored u without updating it. */
    NDArray normalizedWeight(NDManager scope) {
        return normalize(weight().getArray(), u.getArray(), false, scope);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Device device = x.getDevice();
        NDArray w = parameterStore.getValue(weight(), device, training);
        Parameter biasParameter = layer.getDirectParameters().get("bias");
        NDArray b = biasParameter == null ? null : parameterStore.getValue(biasParameter, device, training);
        NDArray wSn = normalize(w, parameterStore.getValue(u, device, training), training, x.getManager());
        if (layer instanceof Conv2d conv) {
            return Conv2d.conv2d(x, wSn, b, conv.getStride(), conv.getPadding(), conv.getDilation(), conv.getGroups());
        }
        return Linear.linear(x, wSn, b);
    }

    /**
     * {@code w / sigma}; with {@code update}, first one power-iteration step that writes the new u in place. Every
     * array it makes lives in {@code scope} (results of operations on the long-lived w and u would otherwise stay in
     * their manager for the life of the network).
     */
    private static NDArray normalize(NDArray w, NDArray u, boolean update, NDManager scope) {
        long out = w.getShape().get(0);
        NDArray matrix = scoped(w.reshape(out, -1), scope);
        NDArray frozen = matrix.stopGradient();
        NDArray column = scoped(u.reshape(out, 1), scope);
        NDArray v = unit(frozen.transpose().matMul(column));
        if (update) {
            column = unit(frozen.matMul(v));
            u.set(new NDIndex(":"), column.reshape(out));
        }
        NDArray sigma = column.transpose().matMul(matrix.matMul(v)).reshape(new Shape()); // gradient through W only
        return scoped(w.div(sigma), scope);
    }

    private static NDArray scoped(NDArray array, NDManager scope) {
        array.attach(scope);
        return array;
    }

    private static NDArray unit(NDArray x) {
        return x.div(x.norm().maximum(EPSILON));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return layer.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        layer.initialize(manager, dataType, inputShapes);
    }

    private Parameter weight() {
        return layer.getDirectParameters().get("weight");
    }

    @Override
    public String toString() {
        return "SpectralNorm(" + layer + ")";
    }
}
