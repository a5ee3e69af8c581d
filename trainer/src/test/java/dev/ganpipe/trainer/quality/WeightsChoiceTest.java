package dev.ganpipe.trainer.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.quality.QualityMetrics;
import dev.ganpipe.trainer.gan.GanConfig;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import dev.ganpipe.trainer.gan.GeneratorWeights;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real DJL, the evaluator's real classifier on the bundled sample: under {@code --publish-weights auto} each measurement
 * scores the weight average and the live generator, publishes the better, and records the published one's scores.
 */
class WeightsChoiceTest {

    private static final int BATCH = 16;

    @TempDir
    Path dir;

    @Test
    void eachMeasurementPublishesWhicheverOfTheAverageAndTheLiveGeneratorScoresTheLowerFid() {
        List<Map<String, Double>> gauges = new ArrayList<>();
        QualitySettings settings = new QualitySettings(Optional.of("sample:fashion-mnist"), Optional.empty(), 100, 100,
                Optional.empty(), dir.resolve("quality"), dir.resolve("classifiers"), 0, WeightsPolicy.AUTO);
        // A long average (decay 0.999 after a 5% ramp) next to a live generator a few dozen steps on: they differ.
        GanConfig gan = GanConfig.dcgan28().withWidths(16, 16).withSeed(11);
        try (QualityMonitor monitor = QualityMonitor.open(settings, ImageShape.FASHION_MNIST, Optional.empty(), gauges::add, Clock.systemUTC());
                GanTrainingCore core = new GanTrainingCore(gan)) {
            monitor.prepare();
            Random random = new Random(2);
            List<GeneratorWeights> chosen = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (int s = 0; s < 20; s++) {
                    core.trainStep(blobs(random), null, BATCH);
                }
                QualityRecord record = monitor.measure(core);
                double average = record.scores().get(QualityMonitor.FID_AVERAGE);
                double live = record.scores().get(QualityMonitor.FID_LIVE);
                assertThat(average).as("the two candidates were measured apart").isNotEqualTo(live);
                GeneratorWeights better = live < average ? GeneratorWeights.LIVE : GeneratorWeights.AVERAGE;
                assertThat(core.published()).as("round %d: average %.2f, live %.2f", round, average, live).isEqualTo(better);
                assertThat(record.scores().get(QualityMetrics.FID)).as("the record is the published generator's")
                        .isCloseTo(Math.min(average, live), within(1e-9));
                assertThat(gauges.getLast().get(QualityMetrics.FID)).isEqualTo(record.scores().get(QualityMetrics.FID));
                chosen.add(core.published());
            }
            assertThat(chosen).hasSize(3);
        }
    }

    @Test
    void aFixedPolicyMeasuresOnlyThePublishedGenerator() {
        QualitySettings settings = new QualitySettings(Optional.of("sample:fashion-mnist"), Optional.empty(), 100, 100,
                Optional.empty(), dir.resolve("quality"), dir.resolve("classifiers"), 0, WeightsPolicy.AVERAGE);
        try (QualityMonitor monitor = QualityMonitor.open(settings, ImageShape.FASHION_MNIST, Optional.empty(), scores -> { }, Clock.systemUTC());
                GanTrainingCore core = new GanTrainingCore(GanConfig.dcgan28().withWidths(16, 16).withSeed(11))) {
            core.trainStep(blobs(new Random(2)), null, BATCH);
            QualityRecord record = monitor.measure(core);
            assertThat(record.scores()).doesNotContainKeys(QualityMonitor.FID_AVERAGE, QualityMonitor.FID_LIVE);
            assertThat(core.published()).isEqualTo(GeneratorWeights.AVERAGE);
        }
        assertThat(WeightsPolicy.parse(" Live ")).isEqualTo(WeightsPolicy.LIVE);
        assertThat(WeightsPolicy.LIVE.fixed()).contains(GeneratorWeights.LIVE);
        assertThat(WeightsPolicy.AUTO.fixed()).isEmpty();
        assertThatThrownBy(() -> WeightsPolicy.parse("ema"))
                .hasMessageContaining("auto, average or live");
    }

    /** Bright blobs on black in [-1, 1]: images a GAN can start to learn within dozens of steps. */
    private static float[] blobs(Random random) {
        int side = 28;
        float[] pixels = new float[BATCH * side * side];
        for (int i = 0; i < BATCH; i++) {
            int cx = 6 + random.nextInt(16);
            int cy = 6 + random.nextInt(16);
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    double d = Math.hypot(x - cx, y - cy);
                    pixels[i * side * side + y * side + x] = d < 5 ? 1f : -1f;
                }
            }
        }
        return pixels;
    }
}
