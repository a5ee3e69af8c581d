package dev.ganpipe.generator;

import dev.ganpipe.common.image.Hashes;
import dev.ganpipe.common.model.ModelManifest;
import dev.ganpipe.common.model.ModelMetadata;
import dev.ganpipe.trainer.gan.GanConfig;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import dev.ganpipe.trainer.gan.StepResult;
import java.time.Instant;
import java.util.Map;
import java.util.Random;

/** Real generators for tests: a DCGAN trained for a few steps on random images and exported by the trainer itself. */
public final class TestModels {

    public static final String NAME = "fashion-dcgan28";
    public static final String SHAPE = "28x28x1";
    public static final int NOISE_DIM = GanConfig.DEFAULT_NOISE_DIM;
    private static final int STEPS = 2;
    private static final int BATCH = 8;

    /** A trained, exported generator and the bytes of its ONNX file. */
    public record Trained(byte[] onnx, Map<String, Double> metrics, long step) {

        /** The manifest the trainer would publish for this model as {@code version}. */
        public ModelManifest manifest(long version) {
            return new ModelManifest(NAME, version, Hashes.sha256(onnx), step, Instant.parse("2025-01-01T00:00:00Z").plusSeconds(version),
                    SHAPE, NOISE_DIM, metrics);
        }
    }

    // Trained once per test JVM on first use: training dominates test time, and the models never change.
    private static final class Shared {
        static final Trained FIRST = train(1);
        static final Trained SECOND = train(2);
    }

    private TestModels() {
    }

    /** A model trained from seed 1, shared by every test in this JVM. */
    public static Trained first() {
        return Shared.FIRST;
    }

    /** A model trained from seed 2: other weights than {@link #first()}, so swaps are visible in the images. */
    public static Trained second() {
        return Shared.SECOND;
    }

    /** Trains a 28x28 gray DCGAN for two steps from {@code seed}; different seeds give different models. */
    public static Trained train(long seed) {
        GanConfig config = GanConfig.dcgan28().withSeed(seed);
        try (GanTrainingCore core = new GanTrainingCore(config)) {
            Random random = new Random(seed);
            float[] real = new float[BATCH * config.imageElements()];
            StepResult last = null;
            for (int s = 0; s < STEPS; s++) {
                for (int i = 0; i < real.length; i++) {
                    real[i] = random.nextFloat() * 2f - 1f;
                }
                last = core.trainStep(real, null, BATCH);
            }
            byte[] onnx = core.exportGeneratorOnnx(Map.of(ModelMetadata.STEP, Long.toString(core.step()), "dataset", "random-noise-test"));
            return new Trained(onnx, Map.of("loss_d", (double) last.dLoss(), "loss_g", (double) last.gLoss()), core.step());
        }
    }
}
