package dev.ganpipe.trainer.checkpoint;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and when checkpoints are written: every {@code everySteps} steps or every {@code every}, whichever comes
 * first, and when the trainer stops cleanly.
 *
 * @param directory the checkpoint directory
 * @param everySteps steps between checkpoints
 * @param every time between checkpoints
 * @param keep how many of the newest checkpoints the directory keeps
 * @param onMismatch what start-up does with a checkpoint it cannot resume from
 */
public record CheckpointPolicy(Path directory, int everySteps, Duration every, int keep,
        CheckpointStore.OnMismatch onMismatch) {

    /** Checkpoints kept by default: the newest and one to fall back to. */
    public static final int DEFAULT_KEEP = 2;

    /** Validates the intervals. */
    public CheckpointPolicy {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(onMismatch, "onMismatch");
        if (everySteps < 1) {
            throw new IllegalArgumentException("Checkpoints need at least one step between them, but the interval was "
                    + everySteps + " steps.");
        }
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("The checkpoint interval must be positive, but was " + every + ".");
        }
        if (keep < 1) {
            throw new IllegalArgumentException("At least one checkpoint must be kept, but keep was " + keep + ".");
        }
    }

    /** The store these settings describe. */
    public CheckpointStore store() {
        return new CheckpointStore(directory, keep, onMismatch);
    }
}
