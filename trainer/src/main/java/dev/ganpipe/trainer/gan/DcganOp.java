package dev.ganpipe.trainer.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;

/**
 * A parameter-free DCGAN layer. Unlike a {@code LambdaBlock} it says what it does ({@link
 * #kind()}), so the ONNX export can translate it.
 */
final class DcganOp extends AbstractBlock {

    /** What the layer computes. */
    enum Kind {
        RELU,
        LEAKY_RELU,
        TANH,
        /** Nearest-neighbour upsampling of axes 2 and 3 by {@link #factor()}. */
        UPSAMPLE_NEAREST,
        /** Keeps axis 0 and reshapes each sample to {@link #perSampleShape()}. */
        RESHAPE,
        /** Keeps axis 0 and flattens the rest. */
        FLATTEN
    }

    private final Kind kind;
    private final float slope;
    private final int factor;
    private final long[] perSampleShape;

    private DcganOp(Kind kind, float slope, int factor, long[] perSampleShape) {
        this.kind = kind;
        this.slope = slope;
        this.factor = factor;
        this.perSampleShape = perSampleShape;
    }

    static DcganOp relu() {
        return new DcganOp(Kind.RELU, 0f, 1, new long[0]);
    }

    static DcganOp leakyRelu(float slope) {
        return new DcganOp(Kind.LEAKY_RELU, slope, 1, new long[0]);
    }

    static DcganOp tanh() {
        return new DcganOp(Kind.TANH, 0f, 1, new long[0]);
    }

    static DcganOp upsampleNearest(int factor) {
        return new DcganOp(Kind.UPSAMPLE_NEAREST, 0f, factor, new long[0]);
    }

    static DcganOp reshape(long... perSampleShape) {
        return new DcganOp(Kind.RESHAPE, 0f, 1, perSampleShape.clone());
    }

    static DcganOp flatten() {
        return new DcganOp(Kind.FLATTEN, 0f, 1, new long[0]);
    }

    Kind kind() {
        return kind;
    }

    float slope() {
        return slope;
    }

    int factor() {
        return factor;
    }

    long[] perSampleShape() {
        return perSampleShape.clone();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray y =
                switch (kind) {
                    case RELU -> Activation.relu(x);
                    case LEAKY_RELU -> Activation.leakyRelu(x, slope);
                    case TANH -> Activation.tanh(x);
                    case UPSAMPLE_NEAREST -> upsampleNearest(x, factor);
                    case RESHAPE -> x.reshape(new Shape(x.getShape().get(0)).addAll(new Shape(perSampleShape)));
                    case FLATTEN -> x.reshape(x.getShape().get(0), -1);
                };
        return new NDList(y);
    }

    /**
     * Nearest-neighbour upsampling (DJL's PyTorch engine has no transposed convolution and no upsampling layer).
     * While a graph is recorded, libtorch's {@code upsample_nearest2d}: its backward is one kernel, where the
     * repeat's backward reduces an expanded gradient with {@code aten::sum}, 1.5-4x slower (docs/bench-trainer.md).
     * Without a graph (fakes for the discriminator half, samples, the EMA generator) the repeat's forward is the
     * faster one. Both give identical values and gradients ({@code DcganOpTest}); the ONNX export reads the kind,
     * not the implementation, and writes a {@code Resize} either way.
     */
    static NDArray upsampleNearest(NDArray x, int factor) {
        return TorchRuntime.recordingGradients() ? TorchRuntime.upsampleNearest2d(x, factor) : upsampleByRepeat(x, factor);
    }

    /** repeat() is torch.repeat_interleave: [a, b] -> [a, a, b, b] on each axis, i.e. nearest upsampling. */
    static NDArray upsampleByRepeat(NDArray x, int factor) {
        return x.repeat(2, factor).repeat(3, factor);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        Shape out =
                switch (kind) {
                    case RELU, LEAKY_RELU, TANH -> in;
                    case UPSAMPLE_NEAREST ->
                            new Shape(in.get(0), in.get(1), in.get(2) * factor, in.get(3) * factor);
                    case RESHAPE -> new Shape(in.get(0)).addAll(new Shape(perSampleShape));
                    case FLATTEN -> new Shape(in.get(0), in.slice(1).size());
                };
        return new Shape[] {out};
    }

    @Override
    public String toString() {
        return switch (kind) {
            case LEAKY_RELU -> "LeakyReLU(" + slope + ")";
            case UPSAMPLE_NEAREST -> "UpsampleNearest(x" + factor + ")";
            case RESHAPE -> "Reshape(N, " + Arrays.toString(perSampleShape) + ")";
            default -> kind.name();
        };
    }
}
