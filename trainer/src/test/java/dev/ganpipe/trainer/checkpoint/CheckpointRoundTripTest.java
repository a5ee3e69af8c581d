package dev.ganpipe.trainer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ganpipe.trainer.gan.GanConfig;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import dev.ganpipe.trainer.gan.StepResult;
import dev.ganpipe.trainer.gan.TrainingState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.TopicPartition;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint written to disk and read back continues training exactly: the same batches give the same steps. */
class CheckpointRoundTripTest {

    private static final GanConfig SMALL = GanConfig.dcgan28().withWidths(16, 16).withSeed(5);
    private static final int BATCH = 8;

    @TempDir
    Path dir;

    static Stream<Arguments> configs() {
        return Stream.of(Arguments.of("BatchNorm discriminator, EMA", SMALL),
                Arguments.of("spectrally normalised discriminator, no EMA", SMALL.withSpectralNorm(true).withEmaDecay(0)),
                Arguments.of("conditional, 3 classes", SMALL.withClasses(3)),
                Arguments.of("32x32 RGB, conditional, spectrally normalised",
                        GanConfig.dcgan32().withWidths(8, 8).withSeed(5).withClasses(3).withSpectralNorm(true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void aResumedCoreContinuesBitForBitWhereTheOriginalWas(String name, GanConfig config) {
        Random data = new Random(3);
        List<float[]> batches = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            batches.add(squares(data, BATCH, config.channels(), config.imageSize()));
        }
        CheckpointStore store = new CheckpointStore(dir, 2, CheckpointStore.OnMismatch.FAIL);
        List<StepResult> original = new ArrayList<>();
        float[] originalSamples;
        try (GanTrainingCore core = new GanTrainingCore(config)) {
            for (int i = 0; i < 3; i++) {
                core.trainStep(batches.get(i), labels(config, BATCH), BATCH);
            }
            store.write(new Checkpoint(Architecture.of(config), core.snapshot(), 4, 24,
                    Map.of(new TopicPartition("images.train", 1), 77L), Instant.parse("2025-01-02T03:04:05Z")));
            for (int i = 3; i < 6; i++) {
                original.add(core.trainStep(batches.get(i), labels(config, BATCH), BATCH));
            }
            originalSamples = core.generate(core.noise(1, 4), labels(config, 4), 4);
        }

        Checkpoint loaded = store.loadForResume(Architecture.of(config)).orElseThrow();
        assertThat(loaded.step()).isEqualTo(3);
        assertThat(loaded.modelVersion()).isEqualTo(4);
        assertThat(loaded.imagesSeen()).isEqualTo(24);
        assertThat(loaded.positions()).containsExactly(Map.entry(new TopicPartition("images.train", 1), 77L));
        assertThat(loaded.createdAt()).isEqualTo(Instant.parse("2025-01-02T03:04:05Z"));
        // Another seed: every weight, moment and the noise stream must come from the checkpoint, not the config.
        try (GanTrainingCore resumed = new GanTrainingCore(config.withSeed(999))) {
            resumed.restore(loaded.state());
            assertThat(resumed.step()).isEqualTo(3);
            List<StepResult> continued = new ArrayList<>();
            for (int i = 3; i < 6; i++) {
                continued.add(resumed.trainStep(batches.get(i), labels(config, BATCH), BATCH));
            }
            assertThat(continued).isEqualTo(original);
            assertThat(resumed.generate(resumed.noise(1, 4), labels(config, 4), 4)).isEqualTo(originalSamples);
        }
    }

    @Test
    void theStateCoversBothNetworksTheirRunningStatisticsAndBothOptimisers() {
        try (GanTrainingCore core = new GanTrainingCore(SMALL)) {
            core.trainStep(squares(new Random(1), BATCH, 1, 28), null, BATCH);
            TrainingState state = core.snapshot();
            assertThat(state.generatorUpdates()).isEqualTo(1);
            assertThat(state.discriminatorUpdates()).isEqualTo(1);
            assertThat(state.tensors().keySet())
                    .anyMatch(n -> n.startsWith("generator/") && n.endsWith("runningMean"))
                    .anyMatch(n -> n.startsWith("discriminator/") && n.endsWith("runningVar"))
                    .anyMatch(n -> n.startsWith("adam.generator.m/"))
                    .anyMatch(n -> n.startsWith("adam.discriminator.v/"));
        }
    }

    private static long[] labels(GanConfig config, int count) {
        if (!config.conditional()) {
            return null;
        }
        long[] labels = new long[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (i * 7) % config.classes();
        }
        return labels;
    }

    /** White squares on black in every channel, {@code [count, channels, size, size]} in [-1, 1]. */
    static float[] squares(Random random, int count, int channels, int size) {
        int plane = size * size;
        float[] out = new float[count * channels * plane];
        java.util.Arrays.fill(out, -1f);
        for (int n = 0; n < count; n++) {
            int side = 7 + random.nextInt(9);
            int top = random.nextInt(size - side);
            int left = random.nextInt(size - side);
            for (int c = 0; c < channels; c++) {
                for (int y = top; y < top + side; y++) {
                    for (int x = left; x < left + side; x++) {
                        out[(n * channels + c) * plane + y * size + x] = 1f;
                    }
                }
            }
        }
        return out;
    }
}
