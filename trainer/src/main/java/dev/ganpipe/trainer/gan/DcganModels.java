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
 * avoids checkerboard artefacts. {@link DcganGenerator} computes each such pair without materialising the upsampled
 * map ({@link ResizeConvolution}). Convolutions and linear layers that feed a BatchNorm have no bias
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
    /** Length of the label embedding a conditional generator appends to z. */
    public static final int LABEL_EMBEDDING_DIM = 50;

    private DcganModels() {}

    /**
     * Generator {@code z [N, noiseDim] -> image [N, C, H, W]} in [-1, 1], not yet initialised. A conditional one
     * ({@code config.classes() > 0}) takes {@code (z, label [N])} and starts by appending the label's embedding to z.
     */
    public static SequentialBlock generator(GanConfig config) {
        int gw = config.generatorWidth();
        SequentialBlock g = new DcganGenerator(); // computes each upsample + conv pair as one ResizeConvolution
        if (config.conditional()) {
            g.add(new LabelConcat(config.classes(), LABEL_EMBEDDING_DIM));
        }
        // 28: 7 -> 14 -> 28 with widths 2gw, gw; 32: 4 -> 8 -> 16 -> 32 with 4gw, 2gw, gw;
        // 64: 4 -> 8 -> 16 -> 32 -> 64 with 8gw, 4gw, 2gw, gw.
        int start = smallestSide(config);
        int[] widths = switch (config.imageSize()) {
            case 28 -> new int[] {2 * gw, gw};
            case 32 -> new int[] {4 * gw, 2 * gw, gw};
            default -> new int[] {8 * gw, 4 * gw, 2 * gw, gw};
        };
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

    /**
     * Discriminator {@code image [N, C, H, W] -> logit [N, 1]}, not yet initialised. With {@code
     * config.spectralNorm()} every convolution and the final linear layer are spectrally normalised and the
     * BatchNorms are left out (their convolutions get biases instead), as in Miyato et al.'s SN-GAN
     * discriminators: BatchNorm's division by batch statistics would undo the Lipschitz bound.
     */
    public static SequentialBlock discriminator(GanConfig config) {
        SequentialBlock d = discriminatorBody(config);
        d.add(discriminatorHead(config));
        return d;
    }

    /**
     * The discriminator the configuration asks for: {@link #discriminator} for an unconditional GAN, a {@link
     * ProjectionDiscriminator} over the same layers, taking {@code (images, labels)}, for a conditional one.
     */
    public static Block discriminatorFor(GanConfig config) {
        if (!config.conditional()) {
            return discriminator(config);
        }
        int[] widths = discriminatorWidths(config);
        int side = smallestSide(config);
        return new ProjectionDiscriminator(discriminatorBody(config), discriminatorHead(config), config.classes(),
                widths[widths.length - 1] * side * side);
    }

    /**
     * Side of the smallest feature map: where the generator starts and the discriminator ends. 28 halves twice to 7;
     * 32 three times and 64 four times to 4.
     */
    private static int smallestSide(GanConfig config) {
        return config.imageSize() == 28 ? 7 : 4;
    }

    /** Output channels of the discriminator's strided convolutions, the generator's widths mirrored. */
    private static int[] discriminatorWidths(GanConfig config) {
        int dw = config.discriminatorWidth();
        return switch (config.imageSize()) {
            case 28 -> new int[] {dw, 2 * dw};
            case 32 -> new int[] {dw, 2 * dw, 4 * dw};
            default -> new int[] {dw, 2 * dw, 4 * dw, 8 * dw};
        };
    }

    /** The discriminator's layers up to its flattened features. */
    private static SequentialBlock discriminatorBody(GanConfig config) {
        int[] widths = discriminatorWidths(config);
        boolean sn = config.spectralNorm();
        SequentialBlock d = new SequentialBlock();
        for (int i = 0; i < widths.length; i++) {
            boolean batchNormed = i > 0 && !sn; // no BatchNorm on the input layer, as in DCGAN
            Conv2d conv = conv(widths[i], 4, 2, 1, !batchNormed);
            d.add(sn ? new SpectralNorm(conv, widths[i]) : conv);
            if (batchNormed) {
                d.add(batchNorm());
            }
            d.add(DcganOp.leakyRelu(LEAKY_RELU_SLOPE));
        }
        d.add(DcganOp.flatten());
        return d;
    }

    /** A Linear over the flattened 7x7 (28) or 4x4 (32, 64) map: the same as a final "valid" convolution to 1. */
    private static Block discriminatorHead(GanConfig config) {
        Linear out = Linear.builder().setUnits(1).optBias(true).build();
        return config.spectralNorm() ? new SpectralNorm(out, 1) : out;
    }

    /** Input shape of {@link #generator} for a batch of one. */
    public static Shape generatorInputShape(GanConfig config) {
        return new Shape(1, config.noiseDim());
    }

    /** Input shapes of {@link #generator} for a batch of one: z, and the labels of a conditional generator. */
    public static Shape[] generatorInputShapes(GanConfig config) {
        return config.conditional()
                ? new Shape[] {generatorInputShape(config), new Shape(1)}
                : new Shape[] {generatorInputShape(config)};
    }

    /** Input shapes of {@link #discriminatorFor} for a batch of one: images, and the labels when conditional. */
    public static Shape[] discriminatorInputShapes(GanConfig config) {
        return config.conditional()
                ? new Shape[] {discriminatorInputShape(config), new Shape(1)}
                : new Shape[] {discriminatorInputShape(config)};
    }

    /** Input shape of {@link #discriminator} for a batch of one. */
    public static Shape discriminatorInputShape(GanConfig config) {
        return new Shape(1, config.channels(), config.imageSize(), config.imageSize());
    }

    /**
     * Creates the block's parameters in {@code manager} with DCGAN initial values: conv and linear
     * weights {@code N(0, 0.02)}, BatchNorm gamma {@code N(1, 0.02)}, biases and beta 0, running
     * mean 0 and running variance 1, spectral normalisation's u vectors {@code N(0, 1)}. The same
     * seed gives the same values.
     */
    public static void initialize(Block block, NDManager manager, Shape inputShape, long seed) {
        initialize(block, manager, new Shape[] {inputShape}, seed);
    }

    /**
     * As {@link #initialize(Block, NDManager, Shape, long)} for blocks with several inputs (conditional networks);
     * a conditional generator's label embedding starts like every weight, {@code N(0, 0.02)}. (It started {@code N(0, 1)},
     * like z, and the conditional generator then all but ignored z within a class: recall 0.002 and FID 95.6 after 500
     * steps, against 0.176 and 73.5 from the small start; docs/quality.md.)
     */
    public static void initialize(Block block, NDManager manager, Shape[] inputShapes, long seed) {
        Random random = new Random(seed);
        block.setInitializer(new SeededInitializer(random, 0f, INIT_STD), Parameter.Type.WEIGHT);
        block.setInitializer(new SeededInitializer(random, 1f, INIT_STD), Parameter.Type.GAMMA);
        block.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        block.setInitializer(Initializer.ZEROS, Parameter.Type.BETA);
        block.setInitializer(Initializer.ZEROS, Parameter.Type.RUNNING_MEAN);
        block.setInitializer(Initializer.ONES, Parameter.Type.RUNNING_VAR);
        block.setInitializer(new SeededInitializer(new Random(seed ^ 0x5EC7AL), 0f, 1f), Parameter.Type.OTHER);
        block.initialize(manager, DataType.FLOAT32, inputShapes);
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
