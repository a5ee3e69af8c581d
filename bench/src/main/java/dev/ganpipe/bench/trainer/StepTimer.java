package dev.ganpipe.bench.trainer;

import java.time.Duration;
import java.util.Arrays;

/**
 * The timing policy both sides share (the Python reference implements the same): {@code warmup} untimed steps,
 * then whole steps until {@code measure} has passed since the first timed one; images per second is timed steps
 * times batch over the wall-clock time they took.
 */
final class StepTimer {

    private StepTimer() {
    }

    /** Runs {@code step} under the policy; {@code step} receives the index of the call, warm-up included. */
    static Throughput time(IndexedStep step, int batch, int warmup, Duration measure) {
        int i = 0;
        for (; i < warmup; i++) {
            step.run(i);
        }
        long[] durations = new long[64];
        int timed = 0;
        long cpuStart = Throughput.processCpuNanos();
        long start = System.nanoTime();
        long deadline = start + measure.toNanos();
        long end;
        while (true) {
            long t0 = System.nanoTime();
            step.run(i++);
            end = System.nanoTime();
            if (timed == durations.length) {
                durations = Arrays.copyOf(durations, timed * 2);
            }
            durations[timed++] = end - t0;
            if (end >= deadline) {
                break;
            }
        }
        long cpuEnd = Throughput.processCpuNanos();
        return Throughput.of(Arrays.copyOf(durations, timed), batch, end - start, cpuStart < 0 ? -1 : cpuEnd - cpuStart);
    }

    /** One training step; the index lets the caller cycle through its batches. */
    @FunctionalInterface
    interface IndexedStep {
        void run(int index);
    }
}
