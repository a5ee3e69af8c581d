package dev.ganpipe.trainer.loop;

import java.time.Duration;

/**
 * When the loop writes samples and exports: every {@code exportEverySteps} steps or every {@code exportEvery},
 * whichever comes first (so a slow machine still publishes a first model early); a sample grid every
 * {@code sampleEverySteps}; stop after {@code maxSteps} (0: never).
 */
public record Schedule(int exportEverySteps, Duration exportEvery, int sampleEverySteps, long maxSteps) {

    public Schedule {
        if (exportEverySteps < 1 || sampleEverySteps < 1) {
            throw new IllegalArgumentException("Export and sample intervals must be at least one step.");
        }
        if (exportEvery.isNegative() || exportEvery.isZero()) {
            throw new IllegalArgumentException("The export interval must be positive, but was " + exportEvery + ".");
        }
        if (maxSteps < 0) {
            throw new IllegalArgumentException("Max steps must be 0 (run forever) or positive, but was " + maxSteps + ".");
        }
    }
}
