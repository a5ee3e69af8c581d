package dev.ganpipe.trainer.gan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.ganpipe.common.model.Noise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GanTrainingCoreTest {

    /** Narrow networks keep these tests fast; the layout is the same as the default. */
    private static final GanConfig SMALL = GanConfig.dcgan28().withWidths(16, 16).withSeed(1234);
    private static final int BATCH = 16;

    @Test
    void eachHalfOfAStepChangesOnlyItsOwnNetwork() {
        assertEachHalfChangesOnlyItsOwnNetwork(SMALL);
    }

    @Test
    void withSpectralNormEachHalfStillChangesOnlyItsOwnNetworkIncludingThePowerIterationVectors() {
        GanConfig sn = SMALL.withSpectralNorm(true);
        assertThat(DcganModels.discriminator(sn).getChildren().values()).noneMatch(b -> b instanceof ai.djl.nn.norm.BatchNorm);
        assertEachHalfChangesOnlyItsOwnNetwork(sn);
        try (GanTrainingCore core = new GanTrainingCore(sn)) {
            float[] real = SyntheticImages.squares(new Random(7), BATCH, 1, 28);
            core.trainStep(real, null, BATCH);
            int live = core.liveArrayCount();
            for (int i = 0; i < 5; i++) {
                assertThat(core.trainStep(real, null, BATCH).isFinite()).isTrue();
            }
            assertThat(core.liveArrayCount()).as("spectral normalisation frees what it computes").isEqualTo(live);
        }
    }

    @Test
    void aConditionalGanFeedsLabelsToBothNetworksAndTheLabelChangesTheSample() {
        GanConfig conditional = SMALL.withClasses(4);
        assertEachHalfChangesOnlyItsOwnNetwork(conditional);
        try (GanTrainingCore core = new GanTrainingCore(conditional)) {
            float[] real = SyntheticImages.squares(new Random(8), BATCH, 1, 28);
            core.trainStep(real, labels(BATCH, 4), BATCH);
            core.generate(core.noise(2, 1), new long[] {1}, 1);
            int live = core.liveArrayCount();
            for (int i = 0; i < 3; i++) {
                assertThat(core.trainStep(real, labels(BATCH, 4), BATCH).isFinite()).isTrue();
                core.generate(core.noise(2, 1), new long[] {1}, 1);
            }
            assertThat(core.liveArrayCount()).as("label embedding and projection free what they compute").isEqualTo(live);
            float[] z = core.noise(2, 1);
            assertThat(core.generate(z, new long[] {0}, 1)).as("same z, another label")
                    .isNotEqualTo(core.generate(z, new long[] {3}, 1));
            assertThatThrownBy(() -> core.trainStep(real, null, BATCH))
                    .hasMessage("This GAN is conditional (4 classes) and needs 16 labels, but got none.");
            long[] outOfRange = labels(BATCH, 4);
            outOfRange[5] = 4;
            assertThatThrownBy(() -> core.trainStep(real, outOfRange, BATCH))
                    .hasMessageStartingWith("labels[5] is 4 but labels must be in [0, 4)");
        }
        try (GanTrainingCore projectedAndNormalised = new GanTrainingCore(conditional.withSpectralNorm(true))) {
            float[] real = SyntheticImages.squares(new Random(9), BATCH, 1, 28);
            assertThat(projectedAndNormalised.trainStep(real, labels(BATCH, 4), BATCH).isFinite()).isTrue();
        }
        try (GanTrainingCore unconditional = new GanTrainingCore(SMALL)) {
            assertThatThrownBy(() -> unconditional.generate(unconditional.noise(1, 1), new long[] {0}, 1))
                    .hasMessageStartingWith("This GAN is unconditional, but labels were passed");
        }
    }

    private static long[] labels(int count, int classes) {
        long[] labels = new long[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % classes;
        }
        return labels;
    }

    @Test
    void theHingeLossesAreTheSnGanPapers() {
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            NDArray real = m.create(new float[] {2f, 0.5f});
            NDArray fake = m.create(new float[] {-2f, 0f});
            // mean(relu(1 - [2, 0.5])) + mean(relu(1 + [-2, 0])) = 0.25 + 0.5
            assertThat(GanTrainingCore.discriminatorLoss(Objective.Loss.HINGE, real, fake).getFloat()).isEqualTo(0.75f);
            assertThat(GanTrainingCore.generatorLoss(Objective.Loss.HINGE, m.create(new float[] {1f, 3f})).getFloat()).isEqualTo(-2f);
            // BCE of logit 0 is log 2 on either side.
            NDArray zero = m.create(new float[] {0f});
            assertThat((double) GanTrainingCore.discriminatorLoss(Objective.Loss.BCE, zero, zero).getFloat())
                    .isCloseTo(2 * Math.log(2), within(1e-6));
        }
        assertThat(Objective.Loss.parse(" Hinge ")).isEqualTo(Objective.Loss.HINGE);
        assertThatThrownBy(() -> Objective.Loss.parse("wgan")).hasMessageContaining("bce or hinge");
        assertThatThrownBy(() -> new Objective(Objective.Loss.BCE, 2)).hasMessageContaining("below 1");
    }

    @Test
    void withTwoTimeScalesTheDiscriminatorsFirstUpdateScalesWithItsOwnRateAndHingeTrains() {
        float[] real = SyntheticImages.squares(new Random(4), BATCH, 1, 28);
        Map<String, float[]> before;
        Map<String, float[]> sameRate;
        Map<String, float[]> doubleRate;
        try (GanTrainingCore core = new GanTrainingCore(SMALL)) {
            before = values(core.discriminatorBlock());
            core.discriminatorHalf(real, BATCH);
            sameRate = values(core.discriminatorBlock());
        }
        try (GanTrainingCore core = new GanTrainingCore(SMALL.withObjective(new Objective(Objective.Loss.BCE, 2 * SMALL.learningRate())))) {
            core.discriminatorHalf(real, BATCH);
            doubleRate = values(core.discriminatorBlock());
        }
        String weight = before.keySet().stream().filter(n -> n.endsWith("weight")).findFirst().orElseThrow();
        float[] b = before.get(weight);
        for (int i = 0; i < 50; i++) {
            // Adam's first step moves each weight by the rate times the sign of its gradient (to within epsilon).
            double one = sameRate.get(weight)[i] - b[i];
            double two = doubleRate.get(weight)[i] - b[i];
            assertThat(two).as("%s[%d]", weight, i).isCloseTo(2 * one, within(1e-6 + 1e-3 * Math.abs(one)));
        }
        try (GanTrainingCore hinge = new GanTrainingCore(SMALL.withObjective(new Objective(Objective.Loss.HINGE, 0)))) {
            for (int s = 0; s < 3; s++) {
                StepResult step = hinge.trainStep(real, null, BATCH);
                assertThat(step.isFinite()).isTrue();
            }
        }
    }

    private static void assertEachHalfChangesOnlyItsOwnNetwork(GanConfig config) {
        try (GanTrainingCore core = new GanTrainingCore(config)) {
            float[] real = SyntheticImages.squares(new Random(1), BATCH, 1, 28);
            long[] labels = config.conditional() ? labels(BATCH, config.classes()) : null;
            core.trainStep(real, labels, BATCH); // moves the Adam state and running statistics off their initial values

            Map<String, float[]> g0 = values(core.generatorBlock());
            Map<String, float[]> d0 = values(core.discriminatorBlock());
            core.discriminatorHalf(real, labels, BATCH);
            Map<String, float[]> g1 = values(core.generatorBlock());
            Map<String, float[]> d1 = values(core.discriminatorBlock());
            assertIdentical(g1, g0, "generator after the D half");
            assertChanged(d1, d0, core.discriminatorBlock(), "discriminator after the D half");

            core.generatorHalf(labels, BATCH);
            Map<String, float[]> g2 = values(core.generatorBlock());
            Map<String, float[]> d2 = values(core.discriminatorBlock());
            assertIdentical(d2, d1, "discriminator after the G half");
            assertChanged(g2, g1, core.generatorBlock(), "generator after the G half");
            // The G half's backward also reached D; none of it may be left for D's next update.
            for (Parameter p : core.discriminatorBlock().getParameters().values()) {
                if (p.requiresGradient()) {
                    try (NDArray grad = p.getArray().getGradient()) {
                        assertThat(grad.toFloatArray()).as("gradient of %s", p.getName()).containsOnly(0f);
                    }
                }
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameFirstStepAndTheSameSamples() {
        float[] real = SyntheticImages.squares(new Random(2), BATCH, 1, 28);
        StepResult a;
        StepResult b;
        float[] samplesA;
        float[] samplesB;
        try (GanTrainingCore core = new GanTrainingCore(SMALL)) {
            a = core.trainStep(real, null, BATCH);
            samplesA = core.generate(core.noise(9, 4), null, 4);
        }
        try (GanTrainingCore core = new GanTrainingCore(SMALL)) {
            b = core.trainStep(real, null, BATCH);
            samplesB = core.generate(core.noise(9, 4), null, 4);
        }
        assertThat(b).isEqualTo(a);
        assertThat(a.step()).isEqualTo(1);
        assertThat(samplesB).isEqualTo(samplesA);
        try (GanTrainingCore other = new GanTrainingCore(SMALL.withSeed(99))) {
            assertThat(other.trainStep(real, null, BATCH).dLoss()).isNotEqualTo(a.dLoss());
        }
    }

    @Test
    void withAdaptiveAugmentationAResumedCoreGoesOnWithTheStrengthItReachedAndTheSameSteps() {
        // A target of 0.05: D's signs on the squares soon exceed it, so p rises from 0 within a few intervals.
        GanConfig config = SMALL.withAugmentation(Augmentation.parse("ada", "color,translation,cutout", 0.0, 0.05));
        Random data = new Random(21);
        float[][] batches = new float[14][];
        for (int i = 0; i < batches.length; i++) {
            batches[i] = SyntheticImages.squares(data, BATCH, 1, 28);
        }
        TrainingState middle;
        StepResult[] uninterrupted = new StepResult[batches.length];
        try (GanTrainingCore core = new GanTrainingCore(config)) {
            for (int i = 0; i < batches.length; i++) {
                if (i == 10) {
                    middle = core.snapshot();
                    assertThat(middle.tensors()).containsKey(TrainingState.AUGMENT_STRENGTH);
                }
                uninterrupted[i] = core.trainStep(batches[i], null, BATCH);
            }
            assertThat(uninterrupted[9].augmentProbability()).as("p rose while D was sure of the real images").isGreaterThan(0f);
        }
        try (GanTrainingCore core = new GanTrainingCore(config)) {
            for (int i = 0; i < 10; i++) {
                core.trainStep(batches[i], null, BATCH);
            }
            TrainingState saved = core.snapshot();
            try (GanTrainingCore resumed = new GanTrainingCore(config)) {
                resumed.restore(saved);
                assertThat(resumed.augmentProbability()).isEqualTo(core.augmentProbability()).isGreaterThan(0);
                for (int i = 10; i < batches.length; i++) {
                    assertThat(resumed.trainStep(batches[i], null, BATCH)).as("step %d after the restore", i + 1).isEqualTo(uninterrupted[i]);
                }
            }
        }
    }

    @Test
    void autoAugmentationSwitchesOffOnceEnoughImagesAreSeenAndAResumedCoreKeepsTheSwitch() {
        GanConfig config = SMALL.withAugmentation(Augmentation.parse("auto", "color,translation,cutout", 0.0, 0.05, 6 * BATCH));
        Random data = new Random(22);
        try (GanTrainingCore core = new GanTrainingCore(config)) {
            long seen = 0;
            StepResult last = null;
            for (int i = 0; i < 6; i++) {
                assertThat(core.augmentFor(seen)).as("no switch below the threshold").isFalse();
                last = core.trainStep(SyntheticImages.squares(data, BATCH, 1, 28), null, BATCH);
                seen += BATCH;
            }
            assertThat(core.augmenting()).isTrue();
            assertThat(last.augmentProbability()).as("p rose while on").isGreaterThan(0f);
            assertThat(core.augmentFor(seen)).as("switched at the threshold").isTrue();
            assertThat(core.augmentFor(seen + 1)).as("once").isFalse();
            assertThat(core.augmenting()).isFalse();
            assertThat(core.augmentProbability()).isZero();
            assertThat(core.trainStep(SyntheticImages.squares(data, BATCH, 1, 28), null, BATCH).augmentProbability()).isZero();
            try (GanTrainingCore resumed = new GanTrainingCore(config)) {
                resumed.restore(core.snapshot());
                assertThat(resumed.augmenting()).as("the checkpoint says off").isFalse();
                assertThat(resumed.augmentFor(0)).as("a smaller count switches it back on").isTrue();
                assertThat(resumed.augmentProbability()).as("with the strength it had reached").isEqualTo(last.augmentProbability());
            }
        }
    }

    @Test
    void generateRunsInInferenceModeAndLeavesTheModelAlone() {
        try (GanTrainingCore core = new GanTrainingCore(SMALL)) {
            core.trainStep(SyntheticImages.squares(new Random(3), BATCH, 1, 28), null, BATCH);
            Map<String, float[]> before = values(core.generatorBlock());
            float[] noise = core.noise(5, 3);
            float[] first = core.generate(noise, null, 3);
            float[] again = core.generate(noise, null, 3);
            float[] single = core.generate(java.util.Arrays.copyOf(noise, SMALL.noiseDim()), null, 1);
            assertThat(first).hasSize(3 * 784).isEqualTo(again);
            // Running statistics, not batch statistics: a sample does not depend on its batch mates.
            for (int i = 0; i < 784; i++) {
                assertThat(single[i]).isCloseTo(first[i], within(1e-5f));
            }
            for (float v : first) {
                assertThat(v).isBetween(-1f, 1f);
            }
            assertIdentical(values(core.generatorBlock()), before, "generator after generate()");
            assertThat(core.step()).isEqualTo(1);
        }
    }

    @Test
    void noiseIsJavaUtilRandomGaussiansOfTheMixedSeedAsInTheCommonModule() {
        try (GanTrainingCore core = new GanTrainingCore(SMALL)) {
            float[] noise = core.noise(77, 2);
            Random reference = new Random(Noise.streamSeed(77));
            assertThat(noise).hasSize(2 * SMALL.noiseDim());
            for (float v : noise) {
                assertThat(v).isEqualTo((float) reference.nextGaussian());
            }
            assertThat(core.noise(77, 2)).containsExactly(noise);
            assertThat(noise).isEqualTo(Noise.gaussian(77, 2, SMALL.noiseDim())); // what the other services use
        }
    }

    @Test
    void stepsFreeEveryArrayTheyCreate() {
        try (GanTrainingCore core = new GanTrainingCore(SMALL)) {
            float[] real = SyntheticImages.squares(new Random(4), BATCH, 1, 28);
            core.trainStep(real, null, BATCH);
            core.generate(core.noise(1, 2), null, 2);
            int live = core.liveArrayCount();
            for (int i = 0; i < 3; i++) {
                core.trainStep(real, null, BATCH);
                core.generate(core.noise(1, 2), null, 2);
                core.exportGeneratorOnnx(Map.of());
            }
            assertThat(core.liveArrayCount()).isEqualTo(live);
        }
    }

    @Test
    void rejectsBadInputWithAHint() {
        try (GanTrainingCore core = new GanTrainingCore(SMALL)) {
            assertThatThrownBy(() -> core.trainStep(new float[10], null, 2))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("realImages must hold batchSize * C * H * W = 1568 floats, but holds 10; pass a matching count.");
            float[] tooBright = new float[784];
            tooBright[3] = 255f;
            assertThatThrownBy(() -> core.trainStep(tooBright, null, 1))
                    .hasMessageContaining("realImages[3] is 255.0 but images must be finite and in [-1, 1]");
            float[] nan = new float[784];
            nan[0] = Float.NaN;
            assertThatThrownBy(() -> core.trainStep(nan, null, 1)).hasMessageContaining("realImages[0] is NaN");
            assertThatThrownBy(() -> core.generate(new float[5], null, 1)).hasMessageContaining("noise must hold");
            assertThatThrownBy(() -> core.noise(1, 0)).hasMessageContaining("at least 1");
            assertThat(core.step()).isZero();
        }
        GanTrainingCore closed = new GanTrainingCore(SMALL);
        closed.close();
        closed.close();
        assertThatThrownBy(() -> closed.generate(new float[100], null, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("This GanTrainingCore is closed; create a new one.");
    }

    @Test
    void runsOnTheCpuWhenTheEngineSeesNoGpuAndAppliesTheThreadCount() {
        int before = TorchRuntime.intraOpThreads();
        try (GanTrainingCore core = new GanTrainingCore(SMALL.withThreads(1))) {
            if (TorchRuntime.engine().getGpuCount() == 0) {
                assertThat(core.device()).isEqualTo(Device.cpu());
            } else {
                assertThat(core.device().isGpu()).isTrue();
            }
            assertThat(TorchRuntime.intraOpThreads()).isEqualTo(1);
            assertThat(core.config().threads()).isEqualTo(1);
        } finally {
            TorchRuntime.setIntraOpThreads(before);
        }
    }

    @Test
    void thirtyStepsOnSquaresKeepTheLossesFinite() {
        GanConfig config = GanConfig.dcgan28().withWidths(32, 32); // about 2 s on two idle cores
        Random data = new Random(5);
        List<StepResult> results = new ArrayList<>();
        long start = System.nanoTime();
        try (GanTrainingCore core = new GanTrainingCore(config)) {
            for (int i = 0; i < 30; i++) {
                results.add(core.trainStep(SyntheticImages.squares(data, 32, 1, 28), null, 32));
            }
            assertThat(core.step()).isEqualTo(30);
        }
        // Logged, not asserted: wall time on a shared two-core machine says little about this code.
        System.out.printf("30 dcgan28 steps at batch 32 took %s%n", Duration.ofNanos(System.nanoTime() - start));
        assertThat(results).allSatisfy(r -> {
            assertThat(r.isFinite()).as("step %d: %s", r.step(), r).isTrue();
            assertThat(r.dRealMean()).isBetween(0f, 1f);
            assertThat(r.dFakeMean()).isBetween(0f, 1f);
        });
        assertThat(results).extracting(StepResult::step).startsWith(1L, 2L, 3L).endsWith(30L);
    }

    @Test
    void dcgan64TrainsAndSamplesAtItsSize() {
        GanConfig config = GanConfig.dcgan64().withWidths(8, 8);
        try (GanTrainingCore core = new GanTrainingCore(config)) {
            float[] real = SyntheticImages.squares(new Random(6), 4, 3, 64);
            StepResult r = core.trainStep(real, null, 4);
            assertThat(r.isFinite()).isTrue();
            assertThat(core.generate(core.noise(1, 2), null, 2)).hasSize(2 * 3 * 64 * 64);
        }
    }

    @Test
    void aConditionalSpectrallyNormalisedDcgan32TrainsAndSamplesRgbAtItsSize() {
        GanConfig config = GanConfig.dcgan32().withWidths(8, 8).withClasses(3).withSpectralNorm(true);
        try (GanTrainingCore core = new GanTrainingCore(config)) {
            float[] real = SyntheticImages.squares(new Random(6), 4, 3, 32);
            StepResult r = core.trainStep(real, new long[] {0, 1, 2, 1}, 4);
            assertThat(r.isFinite()).isTrue();
            assertThat(core.generate(core.noise(1, 2), new long[] {2, 0}, 2)).hasSize(2 * 3 * 32 * 32);
        }
    }

    // ---- helpers ----

    private static Map<String, float[]> values(Block block) {
        Map<String, float[]> out = new LinkedHashMap<>();
        block.getParameters().forEach(p -> out.put(p.getKey(), p.getValue().getArray().toFloatArray()));
        return out;
    }

    private static void assertIdentical(Map<String, float[]> actual, Map<String, float[]> expected, String what) {
        assertThat(actual.keySet()).as(what).isEqualTo(expected.keySet());
        actual.forEach((name, v) -> assertThat(v).as("%s: %s", what, name).isEqualTo(expected.get(name)));
    }

    /**
     * Every trainable parameter and every buffer moved, except a spectral-norm vector of length 1 (a unit vector in
     * one dimension is always +-1).
     */
    private static void assertChanged(Map<String, float[]> actual, Map<String, float[]> before, Block block, String what) {
        block.getParameters().forEach(p -> {
            if (p.getValue().getType() == Parameter.Type.OTHER && p.getValue().getArray().size() == 1) {
                return;
            }
            assertThat(actual.get(p.getKey())).as("%s: %s", what, p.getKey()).isNotEqualTo(before.get(p.getKey()));
        });
    }
}
