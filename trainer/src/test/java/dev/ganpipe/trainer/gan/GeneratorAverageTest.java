package dev.ganpipe.trainer.gan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.util.Pair;
import dev.ganpipe.common.model.NoiseRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The moving average of the generator's weights: its arithmetic, its warm-up, and that samples use it. */
class GeneratorAverageTest {

    private static final GanConfig SMALL = GanConfig.dcgan28().withWidths(16, 16).withSeed(77);
    private static final int BATCH = 8;

    @Test
    void theAverageFollowsTheRampedRecurrence() {
        try (GanTrainingCore core = new GanTrainingCore(SMALL)) {
            Map<String, double[]> expected = trainable(core.generatorBlock());
            assertClose(trainable(core.emaGeneratorBlock()), expected, "the average starts at the generator");
            Random data = new Random(4);
            for (int t = 0; t < 4; t++) {
                double d = t == 0 ? 0 : Math.min(GanConfig.DEFAULT_EMA_DECAY, Math.pow(0.5, 1 / (0.05 * t)));
                assertThat(core.currentEmaDecay()).isEqualTo(d);
                core.trainStep(SyntheticImages.squares(data, BATCH, 1, 28), null, BATCH);
                Map<String, double[]> weights = trainable(core.generatorBlock());
                expected.replaceAll((name, avg) -> {
                    double[] w = weights.get(name);
                    double[] next = new double[avg.length];
                    for (int i = 0; i < avg.length; i++) {
                        next[i] = d * avg[i] + (1 - d) * w[i];
                    }
                    return next;
                });
                assertClose(trainable(core.emaGeneratorBlock()), expected, "after step " + (t + 1));
            }
            assertThat(trainable(core.emaGeneratorBlock()).get(firstWeight(core)))
                    .as("the average lags the live generator").isNotEqualTo(trainable(core.generatorBlock()).get(firstWeight(core)));
        }
    }

    /**
     * The regression test of issue 23: the average's running statistics used to be copied from the live generator, so
     * every exported model normalised its layers with statistics of other weights. Checked independently on the first
     * BatchNorm, whose input is just {@code z W^T}: its running mean and variance must be the mean over the calibration
     * batches of that input's per-channel batch mean and unbiased variance, under the <em>averaged</em> W.
     */
    @Test
    void theAverageNormalisesWithItsOwnBatchStatisticsNotTheLiveGenerators() {
        try (GanTrainingCore core = new GanTrainingCore(SMALL)) {
            trainOnSquares(core, 6, new Random(9));
            core.generate(core.noise(1, 2), null, 2); // the published generator is recalibrated before use

            double[] w = trainable(core.emaGeneratorBlock()).get(firstWeight(core)); // [units, noiseDim], row-major
            int noiseDim = SMALL.noiseDim();
            int units = w.length / noiseDim;
            int plane = 7 * 7;
            int channels = units / plane;
            double[] meanSum = new double[channels];
            double[] varSum = new double[channels];
            NoiseRandom noise = new NoiseRandom(GanTrainingCore.CALIBRATION_SEED);
            int n = GanTrainingCore.CALIBRATION_BATCH_SIZE;
            for (int b = 0; b < GanTrainingCore.CALIBRATION_BATCHES; b++) {
                float[] z = noise.gaussians(n * noiseDim);
                double[] sum = new double[channels];
                double[] squares = new double[channels];
                for (int i = 0; i < n; i++) {
                    for (int u = 0; u < units; u++) {
                        double x = 0;
                        for (int k = 0; k < noiseDim; k++) {
                            x += z[i * noiseDim + k] * w[u * noiseDim + k];
                        }
                        sum[u / plane] += x;
                        squares[u / plane] += x * x;
                    }
                }
                double count = (double) n * plane;
                for (int c = 0; c < channels; c++) {
                    double mean = sum[c] / count;
                    meanSum[c] += mean;
                    varSum[c] += (squares[c] - count * mean * mean) / (count - 1);
                }
            }
            List<float[]> averaged = buffers(core.emaGeneratorBlock());
            List<float[]> live = buffers(core.generatorBlock());
            for (int c = 0; c < channels; c++) {
                double mean = meanSum[c] / GanTrainingCore.CALIBRATION_BATCHES;
                double variance = varSum[c] / GanTrainingCore.CALIBRATION_BATCHES;
                assertThat((double) averaged.get(0)[c]).as("running mean of channel %d", c).isCloseTo(mean, within(1e-4 + 1e-3 * Math.abs(mean)));
                assertThat((double) averaged.get(1)[c]).as("running variance of channel %d", c).isCloseTo(variance, within(1e-3 * variance));
            }
            assertThat(averaged.get(1)).as("the live generator's statistics are not the average's").isNotEqualTo(live.get(1));
        }
    }

    @Test
    void samplesComeFromTheAverageAndTheDecayReachesTheConfiguredValue() {
        try (GanTrainingCore core = new GanTrainingCore(SMALL)) {
            trainOnSquares(core, 3, new Random(5));
            float[] noise = core.noise(3, 2);
            assertThat(core.generate(noise, null, 2)).isNotEqualTo(core.generateLive(noise, null, 2));
            TrainingState state = core.snapshot();
            assertThat(state.emaUpdates()).isEqualTo(3);
            assertThat(state.tensors().keySet()).anyMatch(n -> n.startsWith(TrainingState.EMA_GENERATOR + "/"));

            core.restore(new TrainingState(state.step(), state.noise(), state.generatorUpdates(),
                    state.discriminatorUpdates(), 100_000, state.tensors()));
            assertThat(core.currentEmaDecay()).isEqualTo(GanConfig.DEFAULT_EMA_DECAY);
        }
    }

    @Test
    void publishingTheLiveGeneratorSwitchesSamplesAndExportsButNotTheCheckpointedAverage() {
        try (GanTrainingCore core = new GanTrainingCore(SMALL)) {
            trainOnSquares(core, 3, new Random(5));
            float[] noise = core.noise(4, 2);
            float[] average = core.generateAverage(noise, null, 2);
            float[] live = core.generateLive(noise, null, 2);
            assertThat(core.published()).isEqualTo(GeneratorWeights.AVERAGE);
            assertThat(core.generate(noise, null, 2)).isEqualTo(average);
            byte[] averageExport = core.exportGeneratorOnnx(Map.of());
            TrainingState before = core.snapshot();

            core.publish(GeneratorWeights.LIVE);
            assertThat(core.published()).isEqualTo(GeneratorWeights.LIVE);
            assertThat(core.generate(noise, null, 2)).as("samples follow the choice").isEqualTo(live);
            assertThat(core.generateAverage(noise, null, 2)).isEqualTo(average);
            assertThat(core.exportGeneratorOnnx(Map.of())).as("exports follow the choice").isNotEqualTo(averageExport);
            TrainingState after = core.snapshot();
            before.tensors().forEach((name, tensor) -> assertThat(after.tensors().get(name).values())
                    .as("the checkpoint keeps %s whichever generator is published", name).isEqualTo(tensor.values()));

            core.publish(GeneratorWeights.AVERAGE);
            assertThat(core.exportGeneratorOnnx(Map.of())).isEqualTo(averageExport);
        }
        try (GanTrainingCore off = new GanTrainingCore(SMALL.withEmaDecay(0))) {
            off.publish(GeneratorWeights.AVERAGE);
            assertThat(off.published()).as("without an average the live generator is the only one").isEqualTo(GeneratorWeights.LIVE);
            assertThat(off.averaged()).isFalse();
        }
    }

    @Test
    void decayZeroTurnsTheAverageOffAndARestoredStateWithoutOneStartsItFromTheGenerator() {
        TrainingState withoutAverage;
        float[] noise;
        try (GanTrainingCore off = new GanTrainingCore(SMALL.withEmaDecay(0))) {
            off.trainStep(SyntheticImages.squares(new Random(6), BATCH, 1, 28), null, BATCH);
            noise = off.noise(8, 2);
            assertThat(off.emaGeneratorBlock()).isNull();
            assertThat(off.generate(noise, null, 2)).isEqualTo(off.generateLive(noise, null, 2));
            withoutAverage = off.snapshot();
            assertThat(withoutAverage.tensors().keySet()).noneMatch(n -> n.startsWith(TrainingState.EMA_GENERATOR));
        }
        try (GanTrainingCore on = new GanTrainingCore(SMALL)) {
            on.restore(withoutAverage);
            // Same weights; the average's BatchNorm statistics are its own (recomputed), so compare weights, not images.
            assertClose(trainable(on.emaGeneratorBlock()), trainable(on.generatorBlock()), "the average starts at the restored generator");
            assertThat(on.generate(noise, null, 2)).hasSize(2 * 28 * 28);
            assertThat(on.currentEmaDecay()).as("the ramp restarts: the first update copies the generator").isZero();
        }
    }

    private static String firstWeight(GanTrainingCore core) {
        return core.generatorBlock().getParameters().keys().getFirst();
    }

    private static Map<String, double[]> trainable(SequentialBlock block) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                float[] v = p.getValue().getArray().toFloatArray();
                double[] d = new double[v.length];
                for (int i = 0; i < v.length; i++) {
                    d[i] = v[i];
                }
                out.put(p.getKey(), d);
            }
        }
        return out;
    }

    private static List<float[]> buffers(SequentialBlock block) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (!p.getValue().requiresGradient()) {
                out.add(p.getValue().getArray().toFloatArray());
            }
        }
        return out;
    }

    private static void assertClose(Map<String, double[]> actual, Map<String, double[]> expected, String what) {
        assertThat(actual.keySet()).as(what).isEqualTo(expected.keySet());
        expected.forEach((name, e) -> {
            double[] a = actual.get(name);
            double worst = 0;
            for (int i = 0; i < e.length; i++) {
                worst = Math.max(worst, Math.abs(a[i] - e[i]));
            }
            assertThat(worst).as("%s: max |actual - expected| of %s", what, name).isCloseTo(0, within(2e-6));
        });
    }

    /** {@code steps} training steps on batches of synthetic squares drawn from {@code data}. */
    private static void trainOnSquares(GanTrainingCore core, int steps, Random data) {
        for (int t = 0; t < steps; t++) {
            core.trainStep(SyntheticImages.squares(data, BATCH, 1, 28), null, BATCH);
        }
    }
}
