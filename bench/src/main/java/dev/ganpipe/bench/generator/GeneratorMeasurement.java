package dev.ganpipe.bench.generator;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One row of the benchmark table.
 *
 * @param name what was measured
 * @param imagesPerSecond images made per second of measurement
 * @param requestsPerSecond calls (forward passes or HTTP requests) per second
 * @param p50Millis median latency of one call
 * @param p99Millis 99th-percentile latency of one call
 * @param failures calls that did not succeed (HTTP status other than 200)
 */
record GeneratorMeasurement(String name, double imagesPerSecond, double requestsPerSecond, double p50Millis, double p99Millis, long failures) {

    /** A row from raw per-call latencies in nanoseconds, measured over {@code seconds}. */
    static GeneratorMeasurement of(String name, long[] latencyNanos, int imagesPerCall, double seconds, long failures) {
        long[] sorted = latencyNanos.clone();
        Arrays.sort(sorted);
        long calls = sorted.length;
        return new GeneratorMeasurement(name, calls * (double) imagesPerCall / seconds, calls / seconds, percentile(sorted, 0.50) / 1e6,
                percentile(sorted, 0.99) / 1e6, failures);
    }

    /** The nearest-rank percentile of sorted values; 0 when there are none. */
    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /**
     * Rounds of the same measurement taken in turn with the others (so that a noisy neighbour on the machine hurts
     * every row alike), as one row: images/s and requests/s over all rounds, p50 and p99 the median of the rounds'.
     */
    static GeneratorMeasurement combine(List<GeneratorMeasurement> rounds, List<Double> seconds) {
        double images = 0;
        double requests = 0;
        double time = 0;
        long failures = 0;
        double[] p50 = new double[rounds.size()];
        double[] p99 = new double[rounds.size()];
        for (int i = 0; i < rounds.size(); i++) {
            GeneratorMeasurement m = rounds.get(i);
            images += m.imagesPerSecond() * seconds.get(i);
            requests += m.requestsPerSecond() * seconds.get(i);
            time += seconds.get(i);
            failures += m.failures();
            p50[i] = m.p50Millis();
            p99[i] = m.p99Millis();
        }
        return new GeneratorMeasurement(rounds.getFirst().name(), images / time, requests / time, median(p50), median(p99), failures);
    }

    /** The median of the values; NaN when there are none. */
    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The table line, with the ratio of this row's images/s to {@code baseline}'s. */
    String line(GeneratorMeasurement baseline) {
        return String.format(Locale.ROOT, "%-52s %10.1f %11.1f %9.2f %9.2f %7.2f%s", name, imagesPerSecond, requestsPerSecond, p50Millis,
                p99Millis, imagesPerSecond / baseline.imagesPerSecond, failures == 0 ? "" : "  (" + failures + " failed)");
    }
}
