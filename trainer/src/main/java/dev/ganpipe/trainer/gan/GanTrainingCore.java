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
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.ganpipe.common.model.Noise;
import dev.ganpipe.trainer.onnx.GeneratorOnnxExporter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DCGAN training on DJL's PyTorch engine: a generator, a discriminator, their Adam optimisers and a
 * seeded noise source, all in one native-memory scope that {@link #close()} frees.
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

    private final GanConfig config;
    private final Engine engine;
    private final Device device;
    private final NDManager manager;
    private final SequentialBlock generator;
    private final SequentialBlock discriminator;
    private final ParameterStore parameterStore;
    private final AdamOptimizer generatorOptimizer;
    private final AdamOptimizer discriminatorOptimizer;
    private final List<NDArray> generatorRunningStats;
    private final List<NDArray> discriminatorRunningStats;
    private final Random trainingNoise;
    private volatile long step; // written under the lock, read without it (status pages)
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
            this.discriminator = DcganModels.discriminator(config);
            DcganModels.initialize(generator, manager, DcganModels.generatorInputShape(config), mix(config.seed(), 1));
            DcganModels.initialize(
                    discriminator, manager, DcganModels.discriminatorInputShape(config), mix(config.seed(), 2));
            this.parameterStore = new ParameterStore(manager, false);
            float lr = (float) config.learningRate();
            float b1 = (float) config.beta1();
            float b2 = (float) config.beta2();
            this.generatorOptimizer = new AdamOptimizer(manager, generator, lr, b1, b2);
            this.discriminatorOptimizer = new AdamOptimizer(manager, discriminator, lr, b1, b2);
            this.generatorRunningStats = runningStats(generator);
            this.discriminatorRunningStats = runningStats(discriminator);
            this.trainingNoise = new Random(mix(config.seed(), 3));
        } catch (RuntimeException e) {
            root.close(); // frees whatever was allocated before the failure
            throw e;
        }
    }

    /**
     * Runs one discriminator update and one generator update.
     *
     * @param realImages {@code batchSize * C * H * W} floats in [-1, 1], NCHW order
     * @param batchSize number of images in {@code realImages}; the generator half uses as many fakes
     * @return the losses and discriminator outputs of this step
     */
    public synchronized StepResult trainStep(float[] realImages, int batchSize) {
        DiscriminatorHalf d = discriminatorHalf(realImages, batchSize);
        float gLoss = generatorHalf(batchSize);
        step++;
        return new StepResult(step, d.loss(), gLoss, d.realMean(), d.fakeMean());
    }

    /**
     * Runs the generator in inference mode (BatchNorm uses its running statistics).
     *
     * @param noise {@code count * noiseDim} floats, e.g. from {@link #noise(long, int)}
     * @param count number of images
     * @return {@code count * C * H * W} floats in [-1, 1], NCHW order
     */
    public synchronized float[] generate(float[] noise, int count) {
        checkOpen();
        requireCount(count);
        requireLength("noise", noise, (long) count * config.noiseDim(), "count * noiseDim");
        TorchRuntime.gradModeOffOnThisThread();
        try (NDManager scope = manager.newSubManager()) {
            NDArray z = scope.create(noise, new Shape(count, config.noiseDim()));
            NDArray images = generator.forward(parameterStore, new NDList(z), false).singletonOrThrow();
            return images.toFloatArray();
        }
    }

    /**
     * A deterministic standard-normal noise block for fixed sample grids: {@code count * noiseDim}
     * values of {@code (float) new java.util.Random(seed).nextGaussian()}, in order, the same as
     * {@link Noise#gaussian}. Java specifies that algorithm, so any JVM reproduces the block.
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
     * Exports the generator, as it is now, to ONNX (see {@link GeneratorOnnxExporter} for the
     * graph's contract: input {@code z [N, noiseDim]}, output {@code image [N, C, H, W]}).
     *
     * @param metadataProps stored as the model's {@code metadata_props}, e.g. step, dataset, version
     * @return the serialized ONNX model
     */
    public synchronized byte[] exportGeneratorOnnx(Map<String, String> metadataProps) {
        checkOpen();
        TorchRuntime.gradModeOffOnThisThread();
        return GeneratorOnnxExporter.export(GeneratorSpecs.describe(generator, config), metadataProps);
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

    /** Losses and discriminator outputs of the discriminator half. */
    record DiscriminatorHalf(float loss, float realMean, float fakeMean) {}

    /**
     * One discriminator update on {@code realImages} and as many fresh fakes. The generator is left
     * exactly as it was, running statistics included.
     */
    synchronized DiscriminatorHalf discriminatorHalf(float[] realImages, int batchSize) {
        checkOpen();
        requireCount(batchSize);
        requireImages(realImages, batchSize);
        TorchRuntime.gradModeOffOnThisThread();
        try (NDManager scope = manager.newSubManager()) {
            NDArray real = scope.create(realImages, imageShape(batchSize));
            NDArray z = scope.create(gaussians(trainingNoise, batchSize * config.noiseDim()), noiseShape(batchSize));
            // Fakes use batch statistics, as in training, but must not move G's running statistics.
            // Grad mode is off here, so no graph reaches G: the fakes are detached by construction.
            List<NDArray> savedG = copies(generatorRunningStats, scope);
            NDArray fake = generator.forward(parameterStore, new NDList(z), true).singletonOrThrow();
            restore(generatorRunningStats, savedG);

            generatorOptimizer.zeroGradients();
            discriminatorOptimizer.zeroGradients();
            NDArray realLogits;
            NDArray fakeLogits;
            NDArray loss;
            try (GradientCollector collector = engine.newGradientCollector()) {
                // Separate forwards for real and fake batches, so each gets its own BatchNorm statistics.
                realLogits = discriminator.forward(parameterStore, new NDList(real), true).singletonOrThrow();
                fakeLogits = discriminator.forward(parameterStore, new NDList(fake), true).singletonOrThrow();
                loss = bceWithLogits(realLogits, true).add(bceWithLogits(fakeLogits, false));
                collector.backward(loss);
            }
            discriminatorOptimizer.update();
            return new DiscriminatorHalf(loss.getFloat(), meanProbability(realLogits), meanProbability(fakeLogits));
        }
    }

    /**
     * One generator update with the non-saturating loss BCE(D(G(z)), 1) on fresh noise. The
     * discriminator is left exactly as it was, running statistics included, and holds no gradient
     * afterwards.
     */
    synchronized float generatorHalf(int batchSize) {
        checkOpen();
        requireCount(batchSize);
        TorchRuntime.gradModeOffOnThisThread();
        try (NDManager scope = manager.newSubManager()) {
            NDArray z = scope.create(gaussians(trainingNoise, batchSize * config.noiseDim()), noiseShape(batchSize));
            generatorOptimizer.zeroGradients();
            discriminatorOptimizer.zeroGradients();
            List<NDArray> savedD = copies(discriminatorRunningStats, scope);
            NDArray loss;
            try (GradientCollector collector = engine.newGradientCollector()) {
                NDArray fake = generator.forward(parameterStore, new NDList(z), true).singletonOrThrow();
                NDArray logits = discriminator.forward(parameterStore, new NDList(fake), true).singletonOrThrow();
                loss = bceWithLogits(logits, true);
                collector.backward(loss);
            }
            restore(discriminatorRunningStats, savedD);
            // The backward also filled D's gradients; they must not reach D's next update.
            discriminatorOptimizer.zeroGradients();
            generatorOptimizer.update();
            return loss.getFloat();
        }
    }

    /** The generator block, for tests. */
    SequentialBlock generatorBlock() {
        return generator;
    }

    /** The discriminator block, for tests. */
    SequentialBlock discriminatorBlock() {
        return discriminator;
    }

    /** Native arrays held by this core and its scopes, for leak tests. */
    synchronized int liveArrayCount() {
        checkOpen();
        return manager.getManagedArrays().size();
    }

    // ---- helpers ----

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

    private static List<NDArray> runningStats(SequentialBlock block) {
        List<NDArray> stats = new ArrayList<>();
        for (Parameter p : block.getParameters().values()) {
            if (p.getType() == Parameter.Type.RUNNING_MEAN || p.getType() == Parameter.Type.RUNNING_VAR) {
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

    private static float[] gaussians(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
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

    /** SplitMix64 finaliser: independent, fixed sub-seeds for weights and noise from one seed. */
    private static long mix(long seed, long stream) {
        long z = seed + stream * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
