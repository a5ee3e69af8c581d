package dev.ganpipe.trainer.data;

import java.time.Duration;
import java.util.List;

/**
 * Where fresh training images come from, in arrival order: {@link TrainingFeed} in production, an in-memory order in
 * the quality study and in tests.
 */
public interface FreshImages {

    /**
     * Moves up to {@code max} ready images into {@code into}, in arrival order (per partition, in offset order),
     * waiting at most {@code timeout} for the first one.
     *
     * @return how many images were added
     * @throws IllegalStateException when the source has failed and can deliver no more
     */
    int drainTo(List<DecodedImage> into, int max, Duration timeout) throws InterruptedException;

    /** Images known to be waiting that have not been drained yet (the consumer lag for a topic), 0 when none or unknown. */
    long lag();
}
