package dev.ganpipe.trainer.gan;

import dev.ganpipe.common.image.ImageShape;

/**
 * Shape and hyper-parameters of a DCGAN.
 *
 * @param imageSize image height and width: 28 (small layout, e.g. MNIST), 32 (CIFAR-like data) or 64 (classic DCGAN)
 * @param channels image channels: 1 (grey) or 3 (RGB)
 * @param noiseDim length of a noise vector z
 * @param generatorWidth base number of generator feature maps ("ngf")
 * @param discriminatorWidth base number of discriminator feature maps ("ndf")
 * @param learningRate Adam learning rate of both networks
 * @param beta1 Adam first-moment decay
 * @param beta2 Adam second-moment decay
 * @param seed seed of the initial weights and of the training noise
 * @param threads PyTorch intra-op threads, or 0 to keep the engine default
 * @param emaDecay decay of the exponential moving average of the generator's weights that samples and exports use,
 *     in [0, 1); 0 turns the average off (the live generator is used)
 * @param spectralNorm whether the discriminator's layers are spectrally normalised (instead of using BatchNorm)
 * @param classes number of class labels of a conditional GAN (labels 0 to classes - 1), or 0 for an unconditional one
 * @param augmentation how the discriminator's inputs are augmented ({@link Augmentation#OFF} for not at all)
 * @param objective the loss and the discriminator's learning rate ({@link Objective#DEFAULT}: BCE, one rate)
 */
public record GanConfig(
        int imageSize,
        int channels,
        int noiseDim,
        int generatorWidth,
        int discriminatorWidth,
        double learningRate,
        double beta1,
        double beta2,
        long seed,
        int threads,
        double emaDecay,
        boolean spectralNorm,
        int classes,
        Augmentation augmentation,
        Objective objective) {

    /** Default noise length. */
    public static final int DEFAULT_NOISE_DIM = 100;
    /** Default generator and discriminator base width. */
    public static final int DEFAULT_WIDTH = 64;
    /** Default Adam learning rate (DCGAN paper). */
    public static final double DEFAULT_LEARNING_RATE = 2e-4;
    /** Default Adam beta1 (DCGAN paper). */
    public static final double DEFAULT_BETA1 = 0.5;
    /** Default Adam beta2. */
    public static final double DEFAULT_BETA2 = 0.999;
    /** Default seed. */
    public static final long DEFAULT_SEED = 42L;
    /** Default decay of the generator's weight average (an effective window of about 1000 steps). */
    public static final double DEFAULT_EMA_DECAY = 0.999;

    private static final int MAX_NOISE_DIM = 4096;
    private static final int MAX_WIDTH = 1024;
    private static final int MAX_THREADS = 1024;
    private static final int MAX_CLASSES = 100_000;

    /** Validates every field; messages say which value is wrong and what is accepted. */
    public GanConfig {
        if (!ImageShape.TRAINABLE_SIDES.contains(imageSize)) {
            throw new IllegalArgumentException(
                    "imageSize must be 28, 32 or 64 (the three supported DCGAN layouts), but was " + imageSize + ".");
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException(
                    "channels must be 1 (grey) or 3 (RGB), but was " + channels + ".");
        }
        if (noiseDim < 1 || noiseDim > MAX_NOISE_DIM) {
            throw new IllegalArgumentException(
                    "noiseDim must be between 1 and " + MAX_NOISE_DIM + " (100 is usual), but was " + noiseDim + ".");
        }
        if (generatorWidth < 1 || generatorWidth > MAX_WIDTH) {
            throw new IllegalArgumentException(
                    "generatorWidth must be between 1 and " + MAX_WIDTH + " (64 is usual), but was " + generatorWidth + ".");
        }
        if (discriminatorWidth < 1 || discriminatorWidth > MAX_WIDTH) {
            throw new IllegalArgumentException(
                    "discriminatorWidth must be between 1 and " + MAX_WIDTH + " (64 is usual), but was "
                            + discriminatorWidth + ".");
        }
        if (!(learningRate > 0 && learningRate < 1)) {
            throw new IllegalArgumentException(
                    "learningRate must be a number above 0 and below 1 (2e-4 is usual), but was " + learningRate + ".");
        }
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException(
                    "beta1 must be at least 0 and below 1 (0.5 is usual for GANs), but was " + beta1 + ".");
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException(
                    "beta2 must be at least 0 and below 1 (0.999 is usual), but was " + beta2 + ".");
        }
        if (threads < 0 || threads > MAX_THREADS) {
            throw new IllegalArgumentException(
                    "threads must be between 0 (engine default) and " + MAX_THREADS + ", but was " + threads + ".");
        }
        if (classes < 0 || classes == 1 || classes > MAX_CLASSES) {
            throw new IllegalArgumentException("classes must be 0 (unconditional) or between 2 and " + MAX_CLASSES
                    + ", but was " + classes + ".");
        }
        if (augmentation == null) {
            throw new IllegalArgumentException("augmentation is null; use Augmentation.OFF for none.");
        }
        if (objective == null) {
            throw new IllegalArgumentException("objective is null; use Objective.DEFAULT for the DCGAN objective.");
        }
        if (!(emaDecay >= 0 && emaDecay < 1)) {
            throw new IllegalArgumentException(
                    "emaDecay must be at least 0 (off) and below 1 (0.999 is usual), but was " + emaDecay + ".");
        }
    }

    /** As the canonical constructor, with the DCGAN objective. */
    public GanConfig(int imageSize, int channels, int noiseDim, int generatorWidth, int discriminatorWidth,
            double learningRate, double beta1, double beta2, long seed, int threads, double emaDecay, boolean spectralNorm,
            int classes, Augmentation augmentation) {
        this(imageSize, channels, noiseDim, generatorWidth, discriminatorWidth, learningRate, beta1, beta2, seed, threads,
                emaDecay, spectralNorm, classes, augmentation, Objective.DEFAULT);
    }

    /** As the canonical constructor, without augmentation. */
    public GanConfig(int imageSize, int channels, int noiseDim, int generatorWidth, int discriminatorWidth,
            double learningRate, double beta1, double beta2, long seed, int threads, double emaDecay, boolean spectralNorm,
            int classes) {
        this(imageSize, channels, noiseDim, generatorWidth, discriminatorWidth, learningRate, beta1, beta2, seed, threads,
                emaDecay, spectralNorm, classes, Augmentation.OFF);
    }

    /** An unconditional configuration with the default EMA decay and no spectral normalisation. */
    public GanConfig(int imageSize, int channels, int noiseDim, int generatorWidth, int discriminatorWidth,
            double learningRate, double beta1, double beta2, long seed, int threads) {
        this(imageSize, channels, noiseDim, generatorWidth, discriminatorWidth, learningRate, beta1, beta2, seed,
                threads, DEFAULT_EMA_DECAY, false, 0);
    }

    /** The 28x28 grey-scale default (MNIST-like data), with DCGAN hyper-parameters. */
    public static GanConfig dcgan28() {
        return new GanConfig(28, 1, DEFAULT_NOISE_DIM, DEFAULT_WIDTH, DEFAULT_WIDTH,
                DEFAULT_LEARNING_RATE, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_SEED, 0);
    }

    /**
     * The 32x32 RGB layout (CIFAR-like data): the classic DCGAN less its first stage, with DCGAN hyper-parameters.
     */
    public static GanConfig dcgan32() {
        return new GanConfig(32, 3, DEFAULT_NOISE_DIM, DEFAULT_WIDTH, DEFAULT_WIDTH,
                DEFAULT_LEARNING_RATE, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_SEED, 0);
    }

    /** The classic 64x64 RGB DCGAN, with DCGAN hyper-parameters. */
    public static GanConfig dcgan64() {
        return new GanConfig(64, 3, DEFAULT_NOISE_DIM, DEFAULT_WIDTH, DEFAULT_WIDTH,
                DEFAULT_LEARNING_RATE, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_SEED, 0);
    }

    /** Cores below which a 64x64 network defaults to half the classic width (a step at width 64 takes seconds on 2). */
    public static final int CLASSIC_WIDTH_MIN_CORES = 8;

    /**
     * The base width {@code --generator-width auto} and {@code --discriminator-width auto} take: the classic 64, but 32 for
     * 64x64 images on fewer than {@link #CLASSIC_WIDTH_MIN_CORES} cores, where width 64 trains about four times slower
     * (docs/bench-trainer.md).
     */
    public static int autoWidth(int imageSize, int cores) {
        return imageSize == 64 && cores < CLASSIC_WIDTH_MIN_CORES ? DEFAULT_WIDTH / 2 : DEFAULT_WIDTH;
    }

    /** A copy with another seed. */
    public GanConfig withSeed(long newSeed) {
        return new GanConfig(imageSize, channels, noiseDim, generatorWidth, discriminatorWidth,
                learningRate, beta1, beta2, newSeed, threads, emaDecay, spectralNorm, classes, augmentation, objective);
    }

    /** A copy with other base widths for the generator and the discriminator. */
    public GanConfig withWidths(int newGeneratorWidth, int newDiscriminatorWidth) {
        return new GanConfig(imageSize, channels, noiseDim, newGeneratorWidth, newDiscriminatorWidth,
                learningRate, beta1, beta2, seed, threads, emaDecay, spectralNorm, classes, augmentation, objective);
    }

    /** A copy with another intra-op thread count (0 = engine default). */
    public GanConfig withThreads(int newThreads) {
        return new GanConfig(imageSize, channels, noiseDim, generatorWidth, discriminatorWidth,
                learningRate, beta1, beta2, seed, newThreads, emaDecay, spectralNorm, classes, augmentation, objective);
    }

    /** A copy with another EMA decay (0 turns the average off). */
    public GanConfig withEmaDecay(double newEmaDecay) {
        return new GanConfig(imageSize, channels, noiseDim, generatorWidth, discriminatorWidth,
                learningRate, beta1, beta2, seed, threads, newEmaDecay, spectralNorm, classes, augmentation, objective);
    }

    /** A copy with or without spectral normalisation in the discriminator. */
    public GanConfig withSpectralNorm(boolean newSpectralNorm) {
        return new GanConfig(imageSize, channels, noiseDim, generatorWidth, discriminatorWidth,
                learningRate, beta1, beta2, seed, threads, emaDecay, newSpectralNorm, classes, augmentation, objective);
    }

    /** A copy with another number of classes (0: unconditional). */
    public GanConfig withClasses(int newClasses) {
        return new GanConfig(imageSize, channels, noiseDim, generatorWidth, discriminatorWidth,
                learningRate, beta1, beta2, seed, threads, emaDecay, spectralNorm, newClasses, augmentation, objective);
    }

    /** A copy with another augmentation of the discriminator's inputs. */
    public GanConfig withAugmentation(Augmentation newAugmentation) {
        return new GanConfig(imageSize, channels, noiseDim, generatorWidth, discriminatorWidth,
                learningRate, beta1, beta2, seed, threads, emaDecay, spectralNorm, classes, newAugmentation, objective);
    }

    /** A copy with another loss and discriminator learning rate. */
    public GanConfig withObjective(Objective newObjective) {
        return new GanConfig(imageSize, channels, noiseDim, generatorWidth, discriminatorWidth,
                learningRate, beta1, beta2, seed, threads, emaDecay, spectralNorm, classes, augmentation, newObjective);
    }

    /** Whether the networks take class labels (a conditional GAN). */
    public boolean conditional() {
        return classes > 0;
    }

    /** Whether samples and exports use an exponential moving average of the generator's weights. */
    public boolean emaEnabled() {
        return emaDecay > 0;
    }

    /** Floats in one image, {@code channels * imageSize * imageSize}. */
    public int imageElements() {
        return channels * imageSize * imageSize;
    }
}
