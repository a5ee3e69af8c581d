package dev.ganpipe.trainer.data;

import java.time.Duration;
import java.util.List;

/** Where fresh training images come from: {@link TrainingFeed} in production. */
public interface ImageSource {

    /**
     * Moves up to {@code max} ready images into {@code into}, in arrival order (per partition, in offset order),
     * waiting at most {@code timeout} for the first one.
     *
     * @return how many images were added
     * @throws IllegalStateException when the source has failed and can deliver no more
     */
    int drainTo(List<DecodedImage> into, int max, Duration timeout) throws InterruptedException;
}
