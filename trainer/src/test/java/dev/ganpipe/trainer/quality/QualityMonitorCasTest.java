package dev.ganpipe.trainer.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.quality.usefulness.UsefulnessReport;
import dev.ganpipe.trainer.gan.GanConfig;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real DJL: the evaluator's classifier on the bundled 500-image sample, and an untrained conditional generator. */
class QualityMonitorCasTest {

    @TempDir
    Path dir;

    @Test
    void measuresCasAtEverySecondMeasurementAndAtEveryExportACasGateJudges() {
        List<Map<String, Double>> gauges = new ArrayList<>();
        QualitySettings settings = new QualitySettings(Optional.of("sample:fashion-mnist"), Optional.empty(), 100, 100,
                Optional.of(new QualityGate(UsefulnessReport.CAS, 0.1)), dir.resolve("quality"), dir.resolve("classifiers"), 2, WeightsPolicy.AUTO);
        try (QualityMonitor monitor = QualityMonitor.open(settings, ImageShape.FASHION_MNIST, Optional.empty(), gauges::add, Clock.systemUTC());
                GanTrainingCore core = new GanTrainingCore(GanConfig.dcgan28().withClasses(10).withWidths(16, 16).withSeed(3))) {
            monitor.prepare();

            QualityRecord first = monitor.measure(core);
            QualityMonitor.Verdict judged = monitor.judge(core);
            QualityRecord second = monitor.measure(core);

            assertThat(first.scores()).containsKey("fid").doesNotContainKey(UsefulnessReport.CAS);
            assertThat(judged.publish()).as(judged.reason()).isTrue();
            assertThat(judged.manifestScores()).containsKey("quality_cas");
            assertThat(second.scores()).containsKeys(UsefulnessReport.CAS, UsefulnessReport.CAS_RATIO);
            assertThat(second.scores().get(UsefulnessReport.CAS)).as("an untrained generator teaches nothing").isLessThan(0.3);
            assertThat(second.scores().get(UsefulnessReport.CAS_RATIO)).isLessThan(0.5);
            assertThat(gauges.getLast()).containsKey(UsefulnessReport.CAS);
        }
    }
}
