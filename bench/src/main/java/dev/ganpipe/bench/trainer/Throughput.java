package dev.ganpipe.bench.trainer;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Arrays;
import java.util.List;

/**
 * One timed run of whole training steps.
 *
 * @param steps timed steps (after the warm-up)
 * @param batch images per step
 * @param seconds wall-clock seconds of the timed steps
 * @param cpuSeconds CPU seconds the whole process used meanwhile (every thread), or NaN where the JVM cannot tell;
 *     on a machine shared with other work this varies far less than wall time
 * @param medianStepMs median duration of one step
 */
record Throughput(int steps, int batch, double seconds, double cpuSeconds, double medianStepMs) {

    Throughput {
        if (steps < 1 || !(seconds > 0)) {
            throw new IllegalArgumentException("A throughput needs at least one step and a positive duration, but had "
                    + steps + " steps in " + seconds + " s.");
        }
    }

    /** From the durations of the timed steps, the wall-clock time they spanned, and the process CPU time (ns, or -1). */
    static Throughput of(long[] stepNanos, int batch, long wallNanos, long cpuNanos) {
        long[] sorted = stepNanos.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        return new Throughput(n, batch, wallNanos / 1e9, cpuNanos < 0 ? Double.NaN : cpuNanos / 1e9, median / 1e6);
    }

    /** CPU time this process has used so far, in nanoseconds, or -1 where the JVM does not report it. */
    static long processCpuNanos() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean hotspot ? hotspot.getProcessCpuTime() : -1;
    }

    /**
     * The runs of several rounds as one: steps, wall and CPU time add up; the median step is the median of the
     * rounds' medians.
     */
    static Throughput combine(List<Throughput> rounds) {
        if (rounds.isEmpty()) {
            throw new IllegalArgumentException("There are no rounds to combine; measure at least one.");
        }
        double[] medians = rounds.stream().mapToDouble(Throughput::medianStepMs).sorted().toArray();
        int n = medians.length;
        double median = n % 2 == 1 ? medians[n / 2] : (medians[n / 2 - 1] + medians[n / 2]) / 2;
        return new Throughput(rounds.stream().mapToInt(Throughput::steps).sum(), rounds.getFirst().batch(),
                rounds.stream().mapToDouble(Throughput::seconds).sum(), rounds.stream().mapToDouble(Throughput::cpuSeconds).sum(), median);
    }

    double imagesPerSecond() {
        return steps * (double) batch / seconds;
    }

    /** CPU milliseconds per trained image (NaN when unknown). */
    double cpuMsPerImage() {
        return cpuSeconds * 1000 / (steps * (double) batch);
    }
}
