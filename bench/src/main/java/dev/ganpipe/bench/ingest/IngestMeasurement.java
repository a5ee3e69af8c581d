package dev.ganpipe.bench.ingest;

import java.time.Duration;
import java.util.Locale;

/**
 * One row of the benchmark table.
 *
 * @param name what was measured
 * @param records records handled in the timed run
 * @param elapsed wall time of the timed run
 * @param recordsPerSecond the throughput
 * @param bytesPerRecord mean value size, for the MB/s column
 * @param note how it was measured
 */
record IngestMeasurement(String name, long records, Duration elapsed, double recordsPerSecond, double bytesPerRecord, String note) {

    /** A row measured here: records over elapsed time. */
    static IngestMeasurement of(String name, long records, Duration elapsed, double bytesPerRecord, String note) {
        double seconds = elapsed.toNanos() / 1e9;
        return new IngestMeasurement(name, records, elapsed, seconds > 0 ? records / seconds : 0, bytesPerRecord, note);
    }

    /** The row as table text. */
    String row() {
        return String.format(Locale.ROOT, "| %-40s | %9d | %7.2f | %11.0f | %7.2f | %s |", name, records, elapsed.toNanos() / 1e9,
                recordsPerSecond, recordsPerSecond * bytesPerRecord / (1024 * 1024), note);
    }
}
