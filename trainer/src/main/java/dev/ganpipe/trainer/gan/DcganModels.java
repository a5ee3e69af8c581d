package dev.ganpipe.trainer.gan;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.initializer.Initializer;
import java.util.Random;

/**
 * Builds the DCGAN generator and discriminator as DJL blocks.
 *
 * <p>DJL's PyTorch engine has no transposed convolution, so the generator upsamples with
 * nearest-neighbour repetition followed by a 3x3 convolution ("resize-convolution"), which also
 * avoids checkerboard artefacts. Convolutions and linear layers that feed a BatchNorm have no bias
 * (BatchNorm's beta takes its place), as in the DCGAN reference code.
 */
public final class DcganModels {

    /** BatchNorm epsilon of every BatchNorm layer (also written into the ONNX export). */
    public static final float BATCH_NORM_EPSILON = 1e-5f;
    /**
     * BatchNorm momentum in DJL's convention: the weight of the old running value. 0.9 here equals
     * PyTorch's {@code momentum=0.1}.
     */
    public static final float BATCH_NORM_MOMENTUM = 0.9f;
    /** Negative slope of the discriminator's LeakyReLUs. */
    public static final float LEAKY_RELU_SLOPE = 0.2f;
    /** Standard deviation of the initial conv/linear weights and of BatchNorm gamma around 1. */
    public static final float INIT_STD = 0.02f;

    private DcganModels() {}

    /** Generator {@code z [N, noiseDim] -> image [N, C, H, W]} in [-1, 1], not yet initialised. */
    public static SequentialBlock generator(GanConfig config) {
        int gw = config.generatorWidth();
        SequentialBlock g = new SequentialBlock();
        // 28: 7 -> 14 -> 28 with widths 2gw, gw; 64: 4 -> 8 -> 16 -> 32 -> 64 with 8gw, 4gw, 2gw, gw.
        int start = config.imageSize() == 28 ? 7 : 4;
        int[] widths = config.imageSize() == 28 ? new int[] {2 * gw, gw} : new int[] {8 * gw, 4 * gw, 2 * gw, gw};
        g.add(Linear.builder().setUnits((long) widths[0] * start * start).optBias(false).build());
        g.add(DcganOp.reshape(widths[0], start, start));
        g.add(batchNorm());
        g.add(DcganOp.relu());
        for (int i = 1; i < widths.length; i++) {
            g.add(DcganOp.upsampleNearest(2));
            g.add(conv(widths[i], 3, 1, 1, false));
            g.add(batchNorm());
            g.add(DcganOp.relu());
        }
        g.add(DcganOp.upsampleNearest(2));
        g.add(conv(config.channels(), 3, 1, 1, true));
        g.add(DcganOp.tanh());
        return g;
    }

    /** Discriminator {@code image [N, C, H, W] -> logit [N, 1]}, not yet initialised. */
    public static SequentialBlock discriminator(GanConfig config) {
        int dw = config.discriminatorWidth();
        int[] widths = config.imageSize() == 28 ? new int[] {dw, 2 * dw} : new int[] {dw, 2 * dw, 4 * dw, 8 * dw};
        SequentialBlock d = new SequentialBlock();
        for (int i = 0; i < widths.length; i++) {
            boolean normalised = i > 0; // no BatchNorm on the input layer, as in DCGAN
            d.add(conv(widths[i], 4, 2, 1, !normalised));
            if (normalised) {
                d.add(batchNorm());
            }
            d.add(DcganOp.leakyRelu(LEAKY_RELU_SLOPE));
        }
        // A Linear over the flattened 7x7 (or 4x4) map: the same as a final "valid" convolution to 1.
        d.add(DcganOp.flatten());
        d.add(Linear.builder().setUnits(1).optBias(true).build());
        return d;
    }

    /** Input shape of {@link #generator} for a batch of one. */
    public static Shape generatorInputShape(GanConfig config) {
        return new Shape(1, config.noiseDim());
    }

    /** Input shape of {@link #discriminator} for a batch of one. */
    public static Shape discriminatorInputShape(GanConfig config) {
        return new Shape(1, config.channels(), config.imageSize(), config.imageSize());
    }

    /**
     * Creates the block's parameters in {@code manager} with DCGAN initial values: conv and linear
     * weights {@code N(0, 0.02)}, BatchNorm gamma {@code N(1, 0.02)}, biases and beta 0, running
     * mean 0 and running variance 1. The same seed gives the same values.
     */
    public static void initialize(Block block, NDManager manager, Shape inputShape, long seed) {
        Random random = new Random(seed);
        block.setInitializer(new SeededInitializer(random, 0f, INIT_STD), Parameter.Type.WEIGHT);
        block.setInitializer(new SeededInitializer(random, 1f, INIT_STD), Parameter.Type.GAMMA);
        block.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        block.setInitializer(Initializer.ZEROS, Parameter.Type.BETA);
        block.setInitializer(Initializer.ZEROS, Parameter.Type.RUNNING_MEAN);
        block.setInitializer(Initializer.ONES, Parameter.Type.RUNNING_VAR);
        block.initialize(manager, DataType.FLOAT32, inputShape);
    }

    private static Conv2d conv(int filters, int kernel, int stride, int padding, boolean bias) {
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .optBias(bias)
                .build();
    }

    private static BatchNorm batchNorm() {
        return BatchNorm.builder().optEpsilon(BATCH_NORM_EPSILON).optMomentum(BATCH_NORM_MOMENTUM).build();
    }
}
