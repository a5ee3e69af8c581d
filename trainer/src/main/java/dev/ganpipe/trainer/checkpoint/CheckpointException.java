package dev.ganpipe.trainer.checkpoint;

import java.io.Serial;

/**
 * A checkpoint could not be read, does not fit this trainer, or could not be written. The message names the file
 * and says what to do.
 */
public final class CheckpointException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** An error with its explanation. */
    public CheckpointException(String message) {
        super(message);
    }

    /** An error with its explanation and cause. */
    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
