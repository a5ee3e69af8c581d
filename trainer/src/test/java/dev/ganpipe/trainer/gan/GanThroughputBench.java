package dev.ganpipe.trainer.gan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Steps per second of the default dcgan28 at batch 64. Not run by the normal build (the class
 * name does not match surefire's test patterns); run it with
 * {@code ./gan mvn -o -q -pl trainer test -Dtest=GanThroughputBench} and read
 * {@code trainer/target/surefire-reports/dev.ganpipe.trainer.gan.GanThroughputBench-output.txt}.
 */
@Tag("bench")
class GanThroughputBench {

    private static final int BATCH = 64;
    private static final int WARMUP_STEPS = 5;
    private static final int ROUNDS = 5;
    private static final int STEPS_PER_ROUND = 10;

    @Test
    void dcgan28AtBatch64() {
        GanConfig config = GanConfig.dcgan28();
        Random data = new Random(1);
        float[][] batches = new float[4][];
        for (int i = 0; i < batches.length; i++) {
            batches[i] = SyntheticImages.squares(data, BATCH, 1, 28);
        }
        try (GanTrainingCore core = new GanTrainingCore(config)) {
            for (int i = 0; i < WARMUP_STEPS; i++) {
                core.trainStep(batches[i % batches.length], null, BATCH);
            }
            double[] stepsPerSecond = new double[ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                long start = System.nanoTime();
                for (int i = 0; i < STEPS_PER_ROUND; i++) {
                    core.trainStep(batches[i % batches.length], null, BATCH);
                }
                stepsPerSecond[round] = STEPS_PER_ROUND / ((System.nanoTime() - start) / 1e9);
            }
            long d = 0;
            long g = 0;
            for (int i = 0; i < STEPS_PER_ROUND; i++) {
                long t0 = System.nanoTime();
                core.discriminatorHalf(batches[i % batches.length], BATCH);
                long t1 = System.nanoTime();
                core.generatorHalf(BATCH);
                d += t1 - t0;
                g += System.nanoTime() - t1;
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < STEPS_PER_ROUND; i++) {
                core.generate(core.noise(i, BATCH), null, BATCH);
            }
            double generateMs = (System.nanoTime() - t0) / 1e6 / STEPS_PER_ROUND;
            double[] sorted = stepsPerSecond.clone();
            Arrays.sort(sorted);
            System.out.printf(
                    "dcgan28 batch %d on %s, %d cores: median %.2f steps/s (%.0f images/s), rounds %s; "
                            + "D half %.0f ms, G half %.0f ms, generate(%d) %.0f ms%n",
                    BATCH, core.device(), Runtime.getRuntime().availableProcessors(), sorted[ROUNDS / 2],
                    sorted[ROUNDS / 2] * BATCH, Arrays.toString(Arrays.stream(stepsPerSecond)
                            .map(v -> Math.round(v * 100) / 100.0).toArray()),
                    d / 1e6 / STEPS_PER_ROUND, g / 1e6 / STEPS_PER_ROUND, BATCH, generateMs);
            assertThat(sorted[0]).isPositive();
        }
    }
}
