package dev.ganpipe.bench.endurance;

import java.util.Arrays;

/**
 * Latency figures of a run: nearest-rank percentiles (the value below which {@code p} percent of the requests fall,
 * always one that was measured) and the maximum, in milliseconds.
 */
record Latencies(long count, double p50Millis, double p99Millis, double maxMillis) {

    /** The figures of {@code nanos}, one value per request; all NaN when there are none. */
    static Latencies of(long[] nanos) {
        if (nanos.length == 0) {
            return new Latencies(0, Double.NaN, Double.NaN, Double.NaN);
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Latencies(sorted.length, percentile(sorted, 50) / 1e6, percentile(sorted, 99) / 1e6, sorted[sorted.length - 1] / 1e6);
    }

    /**
     * The nearest-rank percentile of ascending {@code sorted} values: the smallest value with at least {@code p}
     * percent of the values at or below it.
     */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("A percentile of no values is undefined; measure at least one request first.");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("A percentile must be above 0 and at most 100, but was " + p + ".");
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }
}
