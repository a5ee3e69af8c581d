package dev.ganpipe.trainer.quality;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ganpipe.common.Json;
import dev.ganpipe.common.model.ModelDirectory;
import dev.ganpipe.quality.QualityMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quality history of a training run, kept in one folder: {@value #CSV} (one line per evaluation, appended),
 * {@value #JSON} (the whole history, rewritten atomically) and {@value #CHART} (quality over steps). A restarted
 * trainer continues the history it finds there, so the chart spans crashes.
 */
public final class QualityHistory {

    private static final Logger LOG = LoggerFactory.getLogger(QualityHistory.class);

    /** File names in the history folder. */
    public static final String CSV = "quality-history.csv";
    public static final String JSON = "quality-history.json";
    public static final String CHART = "quality-chart.png";

    /** The CSV's score columns, in order. */
    static final List<String> COLUMNS = List.of(QualityMetrics.FID, QualityMetrics.KID, QualityMetrics.KID_STD, QualityMetrics.PRECISION,
            QualityMetrics.RECALL, QualityMetrics.COVERAGE, QualityMetrics.CLASSES_COVERED, QualityMetrics.CONDITIONAL_ACCURACY);

    private final Path directory;
    private final List<QualityRecord> records = new ArrayList<>();
    private volatile byte[] chart;

    /**
     * Opens the history in {@code directory}, continuing the records of {@value #JSON} when it exists.
     *
     * @throws UncheckedIOException when the folder cannot be created
     */
    public QualityHistory(Path directory) {
        this.directory = directory;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the quality history folder " + directory.toAbsolutePath()
                    + "; check --quality-dir and its permissions.", e);
        }
        Path json = directory.resolve(JSON);
        if (Files.isRegularFile(json)) {
            try {
                records.addAll(Json.mapper().readValue(Files.readAllBytes(json), new TypeReference<List<QualityRecord>>() { }));
                LOG.info("Continuing the quality history in {} ({} earlier evaluations).", json, records.size());
            } catch (IOException e) {
                // The CSV still holds every line; a damaged JSON must not stop training.
                LOG.warn("The quality history {} cannot be read ({}); starting a new one. The earlier lines are still in {}.",
                        json, e.getMessage(), directory.resolve(CSV));
            }
        }
    }

    /** Adds one evaluation and rewrites the JSON and the chart. */
    public synchronized void add(QualityRecord record) {
        records.add(record);
        try {
            Path csv = directory.resolve(CSV);
            StringBuilder line = new StringBuilder();
            if (!Files.exists(csv)) {
                line.append("step,time,outcome,").append(String.join(",", COLUMNS)).append(",floor_fid\n");
            }
            line.append(record.step()).append(',').append(record.time()).append(',').append(record.outcome());
            for (String column : COLUMNS) {
                Double value = record.scores().get(column);
                line.append(',').append(value == null ? "" : format(value));
            }
            line.append(',').append(format(record.floorFid())).append('\n');
            Files.writeString(csv, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ModelDirectory.atomicWrite(directory.resolve(JSON), Json.bytes(records));
            byte[] png = QualityChart.png(List.copyOf(records));
            ModelDirectory.atomicWrite(directory.resolve(CHART), png);
            chart = png;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the quality history to " + directory.toAbsolutePath()
                    + "; check that --quality-dir is writable and the disk has space.", e);
        }
    }

    /** Every evaluation so far, oldest first. */
    public synchronized List<QualityRecord> records() {
        return List.copyOf(records);
    }

    /** The newest chart as PNG bytes, or null before the first evaluation of this run. */
    public byte[] chart() {
        return chart;
    }

    public Path directory() {
        return directory;
    }

    private static String format(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.6g", value);
    }

    /** Scores without NaN values (JSON has no NaN). */
    static Map<String, Double> finite(Map<String, Double> scores) {
        return scores.entrySet().stream().filter(e -> e.getValue() != null && !e.getValue().isNaN())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }
}
