package dev.ganpipe.trainer.gan;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.ganpipe.common.model.Noise;
import dev.ganpipe.common.model.NoiseRandom;
import dev.ganpipe.trainer.onnx.GeneratorOnnxExporter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DCGAN training on DJL's PyTorch engine: a generator, a discriminator, their Adam optimisers, a
 * seeded noise source and (unless {@code emaDecay} is 0) a moving average of the generator's weights,
 * all in one native-memory scope that {@link #close()} frees. Samples and exports use the published generator: the
 * average unless {@link #publish(GeneratorWeights)} chose the live weights (the trainer chooses by measurement).
 *
 * <p>Each {@link #trainStep} is one discriminator update followed by one generator update, as in
 * the PyTorch DCGAN tutorial. Each half changes only its own network, running BatchNorm statistics
 * included: the generator's running statistics follow the batches of the generator half, the
 * discriminator's those of the discriminator half.
 *
 * <p>Not for concurrent use: the methods are serialised, and only one core per JVM may train at a
 * time (DJL allows one open gradient collector per process). Any thread may make the calls.
 */
public final class GanTrainingCore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GanTrainingCore.class);
    /** Real images may overshoot [-1, 1] by this much (rounding in the caller's normalisation). */
    private static final float RANGE_TOLERANCE = 1e-3f;
    /** Batches, and images per batch, over which the weight average's BatchNorm statistics are recomputed. */
    static final int CALIBRATION_BATCHES = 8;
    static final int CALIBRATION_BATCH_SIZE = 256;

    private final GanConfig config;
    private final Engine engine;
    private final Device device;
    private final NDManager manager;
    private final SequentialBlock generator;
    private final Block discriminator;
    private final ParameterStore parameterStore;
    private final AdamOptimizer generatorOptimizer;
    private final AdamOptimizer discriminatorOptimizer;
    private final List<NDArray> generatorRunningStats;
    private final List<NDArray> discriminatorRunningStats;
    private final GeneratorAverage average; // null when the EMA is off
    private final DiffAugment augment;
    private final AugmentStrength augmentStrength;
    private NoiseRandom trainingNoise;
    private volatile long step; // written under the lock, read without it (status pages)
    private long calibratedAtStep = -1; // the step the average's BatchNorm statistics were last recomputed at
    private GeneratorWeights published = GeneratorWeights.AVERAGE; // LIVE as well whenever the EMA is off
    private boolean closed;

    /**
     * Loads the PyTorch engine if needed, picks CUDA when the engine sees a GPU (CPU otherwise),
     * applies {@code config.threads()} and builds both networks with seeded initial weights.
     */
    public GanTrainingCore(GanConfig config) {
        this.config = Objects.requireNonNull(config, "config is null; pass GanConfig.dcgan28() for the defaults.");
        this.engine = TorchRuntime.engine();
        TorchRuntime.gradModeOffOnThisThread();
        if (config.threads() > 0) {
            // Process-wide: the last core created decides. The system property
            // ai.djl.pytorch.num_threads only works if set before the engine loads.
            TorchRuntime.setIntraOpThreads(config.threads());
        }
        this.device = selectDevice(engine, config);
        NDManager root = NDManager.newBaseManager(device, TorchRuntime.ENGINE_NAME);
        try {
            this.manager = root;
            this.generator = DcganModels.generator(config);
            this.discriminator = DcganModels.discriminatorFor(config);
            DcganModels.initialize(generator, manager, DcganModels.generatorInputShapes(config), mix(config.seed(), 1));
            DcganModels.initialize(
                    discriminator, manager, DcganModels.discriminatorInputShapes(config), mix(config.seed(), 2));
            this.parameterStore = new ParameterStore(manager, false);
            float lr = (float) config.learningRate();
            float b1 = (float) config.beta1();
            float b2 = (float) config.beta2();
            this.generatorOptimizer = new AdamOptimizer(manager, generator, lr, b1, b2);
            this.discriminatorOptimizer = new AdamOptimizer(manager, discriminator,
                    (float) config.objective().discriminatorRate(config.learningRate()), b1, b2);
            this.generatorRunningStats = runningStats(generator);
            this.discriminatorRunningStats = runningStats(discriminator);
            this.trainingNoise = new NoiseRandom(mix(config.seed(), 3));
            this.average = config.emaEnabled() ? new GeneratorAverage(generator, config, manager) : null;
            this.augment = new DiffAugment(config.augmentation());
            this.augmentStrength = new AugmentStrength(config.augmentation());
        } catch (RuntimeException e) {
            root.close(); // frees whatever was allocated before the failure
            throw e;
        }
    }

    /**
     * Runs one discriminator update and one generator update; a conditional GAN needs the images' labels, and its
     * fakes in both halves are drawn for the same labels (so they follow the data's class frequencies).
     *
     * @param realImages {@code batchSize * C * H * W} floats in [-1, 1], NCHW order
     * @param labels {@code batchSize} labels in {@code [0, classes)} for a conditional GAN, null for an
     *     unconditional one
     * @param batchSize number of images in {@code realImages}; the generator half uses as many fakes
     * @return the losses and discriminator outputs of this step
     */
    public synchronized StepResult trainStep(float[] realImages, long[] labels, int batchSize) {
        requireLabels(labels, batchSize);
        DiscriminatorHalf d = discriminatorHalf(realImages, labels, batchSize);
        float gLoss = generatorHalf(labels, batchSize);
        if (average != null) {
            average.update();
        }
        step++;
        double p = augmentStrength.probability();
        augmentStrength.afterStep(step, batchSize);
        return new StepResult(step, d.loss(), gLoss, d.realMean(), d.fakeMean(), (float) p);
    }

    /**
     * Runs the published generator (the weight average when EMA is on and not {@link #publish published} otherwise, else
     * the live generator) in inference mode
     * (BatchNorm uses its running statistics). Sample grids and exports use this generator.
     *
     * @param noise {@code count * noiseDim} floats, e.g. from {@link #noise(long, int)}
     * @param labels {@code count} labels in {@code [0, classes)} for a conditional GAN, null for an unconditional one
     * @param count number of images
     * @return {@code count * C * H * W} floats in [-1, 1], NCHW order
     */
    public synchronized float[] generate(float[] noise, long[] labels, int count) {
        checkGenerate(noise, labels, count);
        return generateWith(publishedGenerator(), noise, labels, count);
    }

    /**
     * As {@link #generate} with the live generator, whatever the EMA setting: what the weight average averages, for
     * measuring what the average adds (the equal-step study does) and for tests.
     */
    public synchronized float[] generateLive(float[] noise, long[] labels, int count) {
        checkGenerate(noise, labels, count);
        return generateWith(generator, noise, labels, count);
    }

    /**
     * As {@link #generate} with the weight average, whatever is published (the live generator when the EMA is off): to
     * compare the two before choosing which to publish.
     */
    public synchronized float[] generateAverage(float[] noise, long[] labels, int count) {
        checkGenerate(noise, labels, count);
        return generateWith(averageGenerator(), noise, labels, count);
    }

    /**
     * Chooses the generator that samples and exports use from now on. {@link GeneratorWeights#AVERAGE} with the EMA off
     * publishes the live weights, which are then the only ones. Not part of the training state: whoever chooses
     * chooses again after a restore.
     */
    public synchronized void publish(GeneratorWeights weights) {
        published = Objects.requireNonNull(weights, "weights");
    }

    /** Which generator samples and exports use: {@link GeneratorWeights#LIVE} whenever the EMA is off. */
    public synchronized GeneratorWeights published() {
        return average == null ? GeneratorWeights.LIVE : published;
    }

    /** Whether a weight average is kept (the EMA is on), so that there is a choice to make. */
    public boolean averaged() {
        return average != null;
    }

    /** The checks every generate call makes before it touches a network. */
    private void checkGenerate(float[] noise, long[] labels, int count) {
        checkOpen();
        requireCount(count);
        requireLength("noise", noise, (long) count * config.noiseDim(), "count * noiseDim");
        requireLabels(labels, count);
    }

    private float[] generateWith(SequentialBlock block, float[] noise, long[] labels, int count) {
        TorchRuntime.gradModeOffOnThisThread();
        try (NDManager scope = manager.newSubManager()) {
            NDArray z = scope.create(noise, new Shape(count, config.noiseDim()));
            NDArray images = block.forward(parameterStore, inputs(z, labels, scope), false).singletonOrThrow();
            return images.toFloatArray();
        }
    }

    /** A network's inputs: the data, and for a conditional GAN the labels as int64. */
    private static NDList inputs(NDArray data, long[] labels, NDManager scope) {
        return labels == null ? new NDList(data) : new NDList(data, scope.create(labels));
    }

    private void requireLabels(long[] labels, int count) {
        if (!config.conditional()) {
            if (labels != null) {
                throw new IllegalArgumentException("This GAN is unconditional, but labels were passed; pass null, or "
                        + "build the core with GanConfig.withClasses for a conditional one.");
            }
            return;
        }
        if (labels == null || labels.length != count) {
            throw new IllegalArgumentException("This GAN is conditional (" + config.classes() + " classes) and needs "
                    + count + " labels, but got " + (labels == null ? "none" : labels.length) + ".");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= config.classes()) {
                throw new IllegalArgumentException("labels[" + i + "] is " + labels[i] + " but labels must be in [0, "
                        + config.classes() + "); check the gan.label headers or --classes.");
            }
        }
    }

    /** The generator samples and exports use: the live one, or the weight average with statistics of this step. */
    private SequentialBlock publishedGenerator() {
        return published == GeneratorWeights.LIVE ? generator : averageGenerator();
    }

    /** The weight average, its BatchNorm statistics recomputed for this step; the live generator when the EMA is off. */
    private SequentialBlock averageGenerator() {
        if (average == null) {
            return generator;
        }
        calibrateAverage();
        return average.block();
    }

    /**
     * Recomputes the weight average's BatchNorm statistics unless they are current, from a fixed noise stream (and
     * labels 0, 1, 2, ... in turn for a conditional GAN): they are a function of the weights alone, and the training
     * noise is left untouched.
     */
    private void calibrateAverage() {
        if (calibratedAtStep == step) {
            return;
        }
        TorchRuntime.gradModeOffOnThisThread();
        NoiseRandom calibrationNoise = new NoiseRandom(CALIBRATION_SEED);
        long[] labels = config.conditional() ? new long[CALIBRATION_BATCH_SIZE] : null;
        if (labels != null) {
            for (int i = 0; i < labels.length; i++) {
                labels[i] = i % config.classes();
            }
        }
        average.recalibrate(CALIBRATION_BATCHES, () -> {
            try (NDManager scope = manager.newSubManager()) {
                NDArray z = scope.create(calibrationNoise.gaussians(CALIBRATION_BATCH_SIZE * config.noiseDim()),
                        noiseShape(CALIBRATION_BATCH_SIZE));
                average.block().forward(parameterStore, inputs(z, labels, scope), true);
            }
        });
        calibratedAtStep = step;
    }

    /**
     * A deterministic standard-normal noise block for fixed sample grids: {@code count * noiseDim} values, the same as
     * {@link Noise#gaussian} (the pipeline-wide definition), so any JVM reproduces the block.
     */
    public float[] noise(long seed, int count) {
        requireCount(count);
        return Noise.gaussian(seed, count, config.noiseDim()); // the pipeline-wide definition
    }

    /** Number of completed training steps; does not wait for a running step. */
    public long step() {
        return step;
    }

    /** The configuration this core was built with. */
    public GanConfig config() {
        return config;
    }

    /** The device the networks live on: {@code gpu(0)} when DJL's engine reports a GPU, else CPU. */
    public Device device() {
        return device;
    }

    /**
     * Exports the published generator (see {@link #publish}), as it is now, to ONNX (see {@link GeneratorOnnxExporter} for the
     * graph's contract: input {@code z [N, noiseDim]}, output {@code image [N, C, H, W]}).
     *
     * @param metadataProps stored as the model's {@code metadata_props}; the keys the services read are
     *     {@link dev.ganpipe.common.model.ModelMetadata}'s
     * @return the serialized ONNX model
     */
    public synchronized byte[] exportGeneratorOnnx(Map<String, String> metadataProps) {
        checkOpen();
        TorchRuntime.gradModeOffOnThisThread();
        return GeneratorOnnxExporter.export(GeneratorSpecs.describe(publishedGenerator(), config), metadataProps);
    }

    /**
     * Copies the complete training state to the heap: weights and buffers of every network, the optimisers'
     * moments and counts, the step and the noise state. Restoring it into a core of the same architecture
     * continues training exactly (the same batches give the same steps).
     */
    public synchronized TrainingState snapshot() {
        checkOpen();
        TorchRuntime.gradModeOffOnThisThread();
        Map<String, TrainingState.Tensor> tensors = new LinkedHashMap<>();
        saveBlock(TrainingState.GENERATOR, generator, tensors);
        saveBlock(TrainingState.DISCRIMINATOR, discriminator, tensors);
        if (average != null) {
            // Recomputed for this step, so a checkpoint does not depend on when the average was last used.
            saveBlock(TrainingState.EMA_GENERATOR, averageGenerator(), tensors);
        }
        generatorOptimizer.saveMoments("adam." + TrainingState.GENERATOR, tensors);
        discriminatorOptimizer.saveMoments("adam." + TrainingState.DISCRIMINATOR, tensors);
        if (config.augmentation().enabled()) {
            float[] strength = augmentStrength.state();
            tensors.put(TrainingState.AUGMENT_STRENGTH, new TrainingState.Tensor(new long[] {strength.length}, strength));
        }
        return new TrainingState(step, trainingNoise.state(), generatorOptimizer.updates(),
                discriminatorOptimizer.updates(), average == null ? 0 : average.updates(), tensors);
    }

    /**
     * Replaces this core's training state with {@code state}, in place (the networks keep their arrays).
     *
     * @throws IllegalArgumentException when a tensor this architecture needs is missing or has another shape; the
     *     message names it. The core may then hold a partly restored state: close it.
     */
    public synchronized void restore(TrainingState state) {
        checkOpen();
        TorchRuntime.gradModeOffOnThisThread();
        Map<String, TrainingState.Tensor> tensors = state.tensors();
        restoreBlock(TrainingState.GENERATOR, generator, tensors);
        restoreBlock(TrainingState.DISCRIMINATOR, discriminator, tensors);
        if (average != null) {
            if (tensors.keySet().stream().anyMatch(n -> n.startsWith(TrainingState.EMA_GENERATOR + "/"))) {
                restoreBlock(TrainingState.EMA_GENERATOR, average.block(), tensors);
                average.restoreUpdates(state.emaUpdates());
            } else {
                LOG.info("The saved state has no generator average (EMA was off); starting it from the generator.");
                average.resetToLive();
            }
        }
        generatorOptimizer.restore("adam." + TrainingState.GENERATOR, tensors, state.generatorUpdates());
        discriminatorOptimizer.restore("adam." + TrainingState.DISCRIMINATOR, tensors, state.discriminatorUpdates());
        trainingNoise = NoiseRandom.restore(state.noise());
        step = state.step();
        TrainingState.Tensor strength = tensors.get(TrainingState.AUGMENT_STRENGTH);
        if (config.augmentation().enabled()) {
            if (strength != null) {
                augmentStrength.restore(strength.values());
            } else {
                LOG.info("The saved state has no augmentation strength (augmentation was off); starting from p = {}.",
                        augmentStrength.probability());
            }
        }
        calibratedAtStep = -1; // restored weights: recompute the average's statistics before it is next used
    }

    /** Frees every native array of this core. Further calls fail; closing twice is harmless. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.debug("Closing GAN training core after {} steps ({} + {} optimised tensors).",
                step, generatorOptimizer.parameterCount(), discriminatorOptimizer.parameterCount());
        try {
            generatorOptimizer.close();
            discriminatorOptimizer.close();
        } finally {
            manager.close(); // also frees the parameters and anything the optimisers missed
        }
    }

    // ---- the two halves of a step; package-private so tests can check each on its own ----

    /**
     * Losses and discriminator outputs of the discriminator half; {@code r1} is the estimate of
     * {@code E ||grad_x D(x)||^2} on a step that applied the R1 penalty, NaN on others.
     */
    record DiscriminatorHalf(float loss, float realMean, float fakeMean, float r1) {}

    /**
     * One discriminator update on {@code realImages} and as many fresh fakes. The generator is left
     * exactly as it was, running statistics included.
     */
    synchronized DiscriminatorHalf discriminatorHalf(float[] realImages, int batchSize) {
        return discriminatorHalf(realImages, null, batchSize);
    }

    /** As {@link #discriminatorHalf(float[], int)} with labels (real and fake) for a conditional GAN. */
    synchronized DiscriminatorHalf discriminatorHalf(float[] realImages, long[] labels, int batchSize) {
        checkOpen();
        requireCount(batchSize);
        requireImages(realImages, batchSize);
        TorchRuntime.gradModeOffOnThisThread();
        try (NDManager scope = manager.newSubManager()) {
            NDArray real = scope.create(realImages, imageShape(batchSize));
            NDArray z = scope.create(trainingNoise.gaussians(batchSize * config.noiseDim()), noiseShape(batchSize));
            // Fakes use batch statistics, as in training, but must not move G's running statistics.
            // Grad mode is off here, so no graph reaches G: the fakes are detached by construction.
            List<NDArray> savedG = copies(generatorRunningStats, scope);
            NDArray fake = generator.forward(parameterStore, inputs(z, labels, scope), true).singletonOrThrow();
            restore(generatorRunningStats, savedG);

            generatorOptimizer.zeroGradients();
            discriminatorOptimizer.zeroGradients();
            NDArray realLogits;
            NDArray fakeLogits;
            NDArray loss;
            NDArray r1 = null;
            double p = augmentStrength.probability();
            NoiseRandom draws = augmentDraws(0);
            try (GradientCollector collector = engine.newGradientCollector()) {
                // Both batches augmented alike; separate forwards, so each gets its own BatchNorm statistics.
                NDArray realSeen = augment.apply(real, p, draws, scope);
                NDArray fakeSeen = augment.apply(fake, p, draws, scope);
                realLogits = discriminator.forward(parameterStore, inputs(realSeen, labels, scope), true).singletonOrThrow();
                fakeLogits = discriminator.forward(parameterStore, inputs(fakeSeen, labels, scope), true).singletonOrThrow();
                loss = discriminatorLoss(config.objective().loss(), realLogits, fakeLogits);
                if (config.objective().r1At(step)) {
                    r1 = R1Penalty.squaredGradientNorm(
                            images -> discriminator.forward(parameterStore, inputs(images, labels, scope), true).singletonOrThrow(),
                            realSeen, r1Draws(), scope);
                    collector.backward(loss.add(R1Penalty.lossTerm(config.objective(), r1)));
                } else {
                    collector.backward(loss);
                }
            }
            discriminatorOptimizer.update();
            if (config.augmentation().mode() == Augmentation.Mode.ADAPTIVE && augmentStrength.active()) {
                augmentStrength.observeReal(Math.round(realLogits.sign().sum().getFloat()), batchSize);
            }
            return new DiscriminatorHalf(loss.getFloat(), meanProbability(realLogits), meanProbability(fakeLogits),
                    r1 == null ? Float.NaN : r1.getFloat());
        }
    }

    /**
     * One generator update with the objective's loss (non-saturating BCE(D(G(z)), 1) by default) on fresh noise. The
     * discriminator is left exactly as it was, running statistics included, and holds no gradient
     * afterwards.
     */
    synchronized float generatorHalf(int batchSize) {
        return generatorHalf(null, batchSize);
    }

    /** As {@link #generatorHalf(int)} with the fakes' labels for a conditional GAN. */
    synchronized float generatorHalf(long[] labels, int batchSize) {
        checkOpen();
        requireCount(batchSize);
        TorchRuntime.gradModeOffOnThisThread();
        try (NDManager scope = manager.newSubManager()) {
            NDArray z = scope.create(trainingNoise.gaussians(batchSize * config.noiseDim()), noiseShape(batchSize));
            generatorOptimizer.zeroGradients();
            discriminatorOptimizer.zeroGradients();
            List<NDArray> savedD = copies(discriminatorRunningStats, scope);
            NDArray loss;
            double p = augmentStrength.probability();
            NoiseRandom draws = augmentDraws(1);
            try (GradientCollector collector = engine.newGradientCollector()) {
                NDArray fake = generator.forward(parameterStore, inputs(z, labels, scope), true).singletonOrThrow();
                NDArray fakeSeen = augment.apply(fake, p, draws, scope); // differentiable: the gradient reaches G through it
                NDArray logits = discriminator.forward(parameterStore, inputs(fakeSeen, labels, scope), true).singletonOrThrow();
                loss = generatorLoss(config.objective().loss(), logits);
                collector.backward(loss);
            }
            restore(discriminatorRunningStats, savedD);
            // The backward also filled D's gradients; they must not reach D's next update.
            discriminatorOptimizer.zeroGradients();
            generatorOptimizer.update();
            return loss.getFloat();
        }
    }

    /**
     * The augmentation draws of one half of the current step ({@code half} 0: discriminator, 1: generator): a function of
     * the seed and the step alone, so a restored core augments exactly as the original would have.
     */
    private NoiseRandom augmentDraws(int half) {
        return new NoiseRandom(mix(mix(config.seed(), 5), 2 * step + half));
    }

    /** The directions of this step's R1 estimate: like the augmentation's, a function of the seed and the step alone. */
    private NoiseRandom r1Draws() {
        return new NoiseRandom(mix(mix(config.seed(), 6), step));
    }

    /**
     * Switches augmentation on or off for the data's size, as its settings say ({@link Augmentation#activeAt}): with
     * {@code --augment auto} it runs while fewer than its threshold of distinct images have been seen. Call before each
     * step with the images seen so far; a restored core keeps the switch its checkpoint had until told.
     *
     * @return whether this call switched it (so the caller can say so once)
     */
    public synchronized boolean augmentFor(long imagesSeen) {
        boolean wanted = config.augmentation().activeAt(imagesSeen);
        if (!config.augmentation().enabled() || wanted == augmentStrength.active()) {
            return false;
        }
        augmentStrength.setActive(wanted);
        return true;
    }

    /** Whether augmentation runs at the next step: enabled, and not switched off for the data's size. */
    public synchronized boolean augmenting() {
        return config.augmentation().enabled() && augmentStrength.active();
    }

    /** The probability with which the next step augments each image (0 when augmentation is off). */
    public synchronized double augmentProbability() {
        return augmentStrength.probability();
    }

    /** The generator block, for tests. */
    SequentialBlock generatorBlock() {
        return generator;
    }

    /** The EMA generator block, or null when EMA is off; for tests. */
    SequentialBlock emaGeneratorBlock() {
        return average == null ? null : average.block();
    }

    /** The decay the next EMA update uses (after warm-up, the configured decay), for tests. */
    double currentEmaDecay() {
        return average == null ? 0 : average.currentDecay();
    }

    /** The discriminator block, for tests. */
    Block discriminatorBlock() {
        return discriminator;
    }

    /** Native arrays held by this core and its scopes, for leak tests. */
    synchronized int liveArrayCount() {
        checkOpen();
        return manager.getManagedArrays().size();
    }

    // ---- helpers ----

    private static void saveBlock(String group, Block block, Map<String, TrainingState.Tensor> into) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            into.put(group + "/" + p.getKey(), tensorOf(p.getValue().getArray()));
        }
    }

    private void restoreBlock(String group, Block block, Map<String, TrainingState.Tensor> from) {
        try (NDManager scope = manager.newSubManager()) {
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray target = p.getValue().getArray();
                TrainingState.Tensor t = requireTensor(from, group + "/" + p.getKey(), target.getShape());
                target.set(new NDIndex(":"), scope.create(t.values(), target.getShape()));
            }
        }
    }

    /** The values of {@code array}, copied to the heap. */
    static TrainingState.Tensor tensorOf(NDArray array) {
        return new TrainingState.Tensor(array.getShape().getShape(), array.toFloatArray());
    }

    /** The tensor called {@code name}, which must have {@code shape}; the message names what is wrong. */
    static TrainingState.Tensor requireTensor(Map<String, TrainingState.Tensor> tensors, String name, Shape shape) {
        TrainingState.Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("The saved state has no tensor " + name
                    + "; it was written by a trainer with another architecture.");
        }
        if (!shape.equals(new Shape(t.shape()))) {
            throw new IllegalArgumentException("Tensor " + name + " has shape " + t.shapeText() + " in the saved state but "
                    + shape + " here; it was written by a trainer with another architecture.");
        }
        return t;
    }

    /** The discriminator half's loss on its real and fake logits. */
    static NDArray discriminatorLoss(Objective.Loss loss, NDArray realLogits, NDArray fakeLogits) {
        return switch (loss) {
            case BCE -> bceWithLogits(realLogits, true).add(bceWithLogits(fakeLogits, false));
            // mean(relu(1 - D(x))) + mean(relu(1 + D(G(z))))
            case HINGE -> realLogits.neg().add(1f).maximum(0f).mean().add(fakeLogits.add(1f).maximum(0f).mean());
        };
    }

    /** The generator half's loss on the logits of its fakes: non-saturating BCE, or hinge's {@code -mean(D(G(z)))}. */
    static NDArray generatorLoss(Objective.Loss loss, NDArray fakeLogits) {
        return switch (loss) {
            case BCE -> bceWithLogits(fakeLogits, true);
            case HINGE -> fakeLogits.mean().neg();
        };
    }

    /**
     * Mean binary cross-entropy of {@code logits} against an all-ones or all-zeros target, in the
     * stable form {@code max(x, 0) - x * y + log(1 + exp(-|x|))} (PyTorch's BCEWithLogitsLoss).
     */
    private static NDArray bceWithLogits(NDArray logits, boolean targetIsOne) {
        NDArray softTail = logits.abs().neg().exp().add(1f).log();
        // y = 1: max(x, 0) - x = max(-x, 0); y = 0: max(x, 0).
        NDArray hinge = targetIsOne ? logits.neg().maximum(0f) : logits.maximum(0f);
        return hinge.add(softTail).mean();
    }

    private static float meanProbability(NDArray logits) {
        return Activation.sigmoid(logits).mean().getFloat();
    }

    /**
     * The block's buffers: arrays a training forward changes without an optimiser (BatchNorm running statistics,
     * spectral normalisation's u vectors), which the other network's half of a step must leave as they were.
     */
    private static List<NDArray> runningStats(Block block) {
        List<NDArray> stats = new ArrayList<>();
        for (Parameter p : block.getParameters().values()) {
            if (p.getType() == Parameter.Type.RUNNING_MEAN || p.getType() == Parameter.Type.RUNNING_VAR
                    || p.getType() == Parameter.Type.OTHER) {
                stats.add(p.getArray());
            }
        }
        return stats;
    }

    private static List<NDArray> copies(List<NDArray> arrays, NDManager scope) {
        List<NDArray> out = new ArrayList<>(arrays.size());
        for (NDArray a : arrays) {
            NDArray copy = a.duplicate(); // lands in a's long-lived manager; move it into the step scope
            copy.attach(scope);
            out.add(copy);
        }
        return out;
    }

    /** Copies {@code saved} back into {@code targets} in place (the arrays the blocks hold stay the same). */
    private static void restore(List<NDArray> targets, List<NDArray> saved) {
        for (int i = 0; i < targets.size(); i++) {
            targets.get(i).set(new NDIndex(":"), saved.get(i));
        }
    }

    private Shape imageShape(int batchSize) {
        return new Shape(batchSize, config.channels(), config.imageSize(), config.imageSize());
    }

    private Shape noiseShape(int batchSize) {
        return new Shape(batchSize, config.noiseDim());
    }

    private void requireImages(float[] images, int batchSize) {
        requireLength("realImages", images, (long) batchSize * config.imageElements(), "batchSize * C * H * W");
        for (int i = 0; i < images.length; i++) {
            float v = images[i];
            if (!(v >= -1f - RANGE_TOLERANCE && v <= 1f + RANGE_TOLERANCE)) {
                throw new IllegalArgumentException(
                        "realImages[" + i + "] is " + v + " but images must be finite and in [-1, 1]; "
                                + "scale 8-bit pixels with p / 127.5f - 1.");
            }
        }
    }

    private static void requireLength(String what, float[] values, long expected, String formula) {
        if (values == null || values.length != expected) {
            throw new IllegalArgumentException(
                    what + " must hold " + formula + " = " + expected + " floats, but holds "
                            + (values == null ? "none (null)" : values.length) + "; pass a matching count.");
        }
    }

    private static void requireCount(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("The batch size or image count must be at least 1, but was " + count + ".");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("This GanTrainingCore is closed; create a new one.");
        }
    }

    private static Device selectDevice(Engine engine, GanConfig config) {
        int gpus = engine.getGpuCount();
        String threads = config.threads() > 0
                ? config.threads() + " intra-op threads (configured)"
                : TorchRuntime.intraOpThreads() + " intra-op threads (engine default)";
        if (gpus > 0) {
            Device gpu = Device.gpu();
            LOG.info("GAN training runs on {} because DJL's {} engine reports {} GPU(s); {}.",
                    gpu, engine.getEngineName(), gpus, threads);
            return gpu;
        }
        // Engine.getGpuCount() is 0 both for a CPU-only native build and for a machine without GPUs.
        String why = engine.hasCapability(StandardCapabilities.CUDA)
                ? "no CUDA device is visible"
                : "its native library is a CPU-only build";
        LOG.info("GAN training runs on {} because DJL's {} engine reports no GPU ({}); {}.",
                Device.cpu(), engine.getEngineName(), why, threads);
        return Device.cpu();
    }

    /**
     * Seed of the fixed noise the weight average's BatchNorm statistics are recomputed from: a constant, so the
     * statistics are a function of the weights alone (a core resumed under another seed computes the same ones).
     */
    static final long CALIBRATION_SEED = 0x5EED_BA7C_400DL;

    /** SplitMix64 finaliser: independent, fixed sub-seeds for weights and noise from one seed. */
    private static long mix(long seed, long stream) {
        long z = seed + stream * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
