package dev.ganpipe.trainer.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QualityHistoryTest {

    @TempDir
    Path dir;

    @Test
    void writesCsvJsonAndAChartAndARestartContinuesTheHistory() throws Exception {
        QualityHistory history = new QualityHistory(dir);
        history.add(new QualityRecord(100, "2026-11-25T12:00:00Z", QualityRecord.EVALUATED,
                Map.of("fid", 80.0, "precision", 0.2, "recall", 0.1, "coverage", 0.5), 1.5));
        history.add(new QualityRecord(200, "2026-11-25T12:01:00Z", QualityRecord.REFUSED,
                Map.of("fid", 120.0, "precision", 0.1, "recall", 0.05, "coverage", 0.3), 1.5));

        assertThat(Files.readAllLines(dir.resolve(QualityHistory.CSV))).containsExactly(
                "step,time,outcome,fid,kid,kid_std,precision,recall,coverage,classes_covered,conditional_accuracy,floor_fid",
                "100,2026-11-25T12:00:00Z,evaluated,80.0000,,,0.200000,0.100000,0.500000,,,1.50000",
                "200,2026-11-25T12:01:00Z,refused,120.000,,,0.100000,0.0500000,0.300000,,,1.50000");
        byte[] chart = Files.readAllBytes(dir.resolve(QualityHistory.CHART));
        assertThat(chart).isEqualTo(history.chart());
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(chart));
        assertThat(image.getWidth()).isEqualTo(1112);
        assertThat(image.getHeight()).isEqualTo(416);

        QualityHistory restarted = new QualityHistory(dir);
        assertThat(restarted.records()).extracting(QualityRecord::step).containsExactly(100L, 200L);
        restarted.add(new QualityRecord(300, "2026-11-25T12:02:00Z", QualityRecord.PUBLISHED, Map.of("fid", 60.0), 1.5));
        assertThat(restarted.records()).hasSize(3);
        assertThat(Files.readAllLines(dir.resolve(QualityHistory.CSV))).hasSize(4);
    }

    @Test
    void aDamagedJsonHistoryStartsANewOneInsteadOfStoppingTraining() throws Exception {
        Files.writeString(dir.resolve(QualityHistory.JSON), "{not json");
        QualityHistory history = new QualityHistory(dir);
        assertThat(history.records()).isEmpty();
    }
}
