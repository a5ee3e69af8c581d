package dev.ganpipe.trainer.gan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.ganpipe.common.model.NoiseRandom;
import java.util.Arrays;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class R1PenaltyTest {

    private static final GanConfig SMALL = GanConfig.dcgan28().withWidths(16, 16).withSeed(4321);
    private static final int BATCH = 16;

    @Test
    void theFiniteDifferenceEstimateAgreesWithTheExactSquaredGradientNorm() {
        // Spectral norm instead of BatchNorm: no image's logit depends on another image, so the exact per-image
        // gradients of sum(D(x)) are what the estimate's expectation is.
        GanConfig sn = SMALL.withSpectralNorm(true);
        Engine engine = TorchRuntime.engine();
        TorchRuntime.gradModeOffOnThisThread();
        try (NDManager m = engine.newBaseManager()) {
            Block d = DcganModels.discriminatorFor(sn);
            DcganModels.initialize(d, m, DcganModels.discriminatorInputShapes(sn), 17);
            ParameterStore parameters = new ParameterStore(m, false);
            // Inference mode, so the power iteration does not move the weights between the forwards compared.
            UnaryOperator<NDArray> discriminator = x -> d.forward(parameters, new NDList(x), false).singletonOrThrow();
            NDArray real = m.create(SyntheticImages.squares(new Random(3), BATCH, 1, 28), new Shape(BATCH, 1, 28, 28));

            NDArray x = real.duplicate();
            x.setRequiresGradient(true);
            try (GradientCollector collector = engine.newGradientCollector()) {
                collector.backward(discriminator.apply(x).sum());
            }
            double exact = x.getGradient().square().sum().getFloat() / BATCH;
            assertThat(exact).as("a gradient norm to compare with").isGreaterThan(1e-6);

            int draws = 100;
            double[] estimates = new double[draws];
            for (int k = 0; k < draws; k++) {
                try (NDManager scope = m.newSubManager()) {
                    estimates[k] = R1Penalty.squaredGradientNorm(discriminator, real, new NoiseRandom(1000 + k), scope).getFloat();
                }
            }
            // One draw is noisy (one direction per image); their mean converges on the exact value.
            assertThat(Arrays.stream(estimates).average().orElseThrow()).isCloseTo(exact, withinPercentage(12));
            assertThat(Arrays.stream(estimates).min().orElseThrow()).isGreaterThan(0);
        }
    }

    @Test
    void theTrainerAppliesThePenaltyEveryIntervalStepsChangesTheDiscriminatorAndFreesWhatItComputes() {
        float[] real = SyntheticImages.squares(new Random(5), BATCH, 1, 28);
        GanConfig withR1 = SMALL.withObjective(Objective.DEFAULT.withR1(10, 2));
        float[] plainWeights;
        float[] penalisedWeights;
        try (GanTrainingCore plain = new GanTrainingCore(SMALL)) {
            assertThat(plain.discriminatorHalf(real, BATCH).r1()).isNaN();
            plainWeights = firstWeight(plain);
        }
        try (GanTrainingCore core = new GanTrainingCore(withR1)) {
            GanTrainingCore.DiscriminatorHalf first = core.discriminatorHalf(real, BATCH);
            assertThat(first.r1()).as("step 0 is a multiple of the interval").isPositive().isFinite();
            penalisedWeights = firstWeight(core);
            assertThat(penalisedWeights).as("the penalty's gradient reaches the discriminator").isNotEqualTo(plainWeights);

            core.trainStep(real, null, BATCH);
            int live = core.liveArrayCount();
            for (int i = 0; i < 6; i++) {
                assertThat(core.trainStep(real, null, BATCH).isFinite()).isTrue();
            }
            assertThat(core.liveArrayCount()).as("the estimate's arrays are freed with the step").isEqualTo(live);
        }
        try (GanTrainingCore core = new GanTrainingCore(withR1)) {
            core.trainStep(real, null, BATCH); // step 0 applies R1; the core's step is now 1
            assertThat(core.discriminatorHalf(real, BATCH).r1()).as("step 1 is not a multiple of 2").isNaN();
        }
        try (GanTrainingCore conditional = new GanTrainingCore(SMALL.withClasses(4).withObjective(Objective.DEFAULT.withR1(1, 1)))) {
            long[] labels = {0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3};
            assertThat(conditional.trainStep(real, labels, BATCH).isFinite()).isTrue();
        }
    }

    @Test
    void badSettingsAreRefusedWithTheOptionToFix() {
        assertThatThrownBy(() -> Objective.DEFAULT.withR1(-1, 16)).hasMessageStartingWith("--r1-gamma must be 0 (off)");
        assertThatThrownBy(() -> Objective.DEFAULT.withR1(1, 0)).hasMessageStartingWith("--r1-interval must be 1 to 1000 steps");
        assertThat(Objective.DEFAULT.r1()).isFalse();
        assertThat(Objective.DEFAULT.withR1(1, 4).r1At(8)).isTrue();
        assertThat(Objective.DEFAULT.withR1(1, 4).r1At(9)).isFalse();
    }

    private static float[] firstWeight(GanTrainingCore core) {
        return core.discriminatorBlock().getParameters().values().stream().filter(p -> p.getName().endsWith("weight")).findFirst()
                .orElseThrow().getArray().toFloatArray();
    }
}
