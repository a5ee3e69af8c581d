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
        Clock clock = Clock.start(measure);
        long end;
        do {
            long t0 = System.nanoTime();
            step.run(i++);
            end = System.nanoTime();
            clock.add(end - t0);
        } while (!clock.over(end));
        return clock.throughput(batch, end);
    }

    /**
     * One measurement's clock under the policy, for callers whose loop does more than step (the Kafka-fed run also
     * waits for batches): started at the first timed step, over once {@code measure} has passed, keeping each counted
     * step's duration and the process CPU time used meanwhile.
     */
    static final class Clock {

        private final long cpuStart;
        private final long start;
        private final long deadline;
        private long[] durations = new long[64];
        private int steps;

        private Clock(Duration measure) {
            cpuStart = Throughput.processCpuNanos();
            start = System.nanoTime();
            deadline = start + measure.toNanos();
        }

        /** Starts the clock now. */
        static Clock start(Duration measure) {
            return new Clock(measure);
        }

        /** Counts one step that took {@code nanos}. */
        void add(long nanos) {
            if (steps == durations.length) {
                durations = Arrays.copyOf(durations, steps * 2);
            }
            durations[steps++] = nanos;
        }

        /** Whether the measurement is over at {@code now} ({@link System#nanoTime()}). */
        boolean over(long now) {
            return now >= deadline;
        }

        /** Steps counted so far. */
        int steps() {
            return steps;
        }

        /** Wall-clock nanoseconds from the start to {@code end}. */
        long wallNanos(long end) {
            return end - start;
        }

        /** The counted steps as a throughput, the measurement having ended at {@code end}. */
        Throughput throughput(int batch, long end) {
            long cpu = cpuStart < 0 ? -1 : Throughput.processCpuNanos() - cpuStart;
            return Throughput.of(Arrays.copyOf(durations, steps), batch, wallNanos(end), cpu);
        }
    }

    /** One training step; the index lets the caller cycle through its batches. */
    @FunctionalInterface
    interface IndexedStep {
        void run(int index);
    }
}
