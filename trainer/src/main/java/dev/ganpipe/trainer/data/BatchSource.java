package dev.ganpipe.trainer.data;

import java.time.Duration;
import java.util.Optional;

/**
 * The training loop's supply of batches, its edge towards the data: a {@link BatchAssembler} over the training topic
 * in production, any fixed sequence of batches in a test of the loop.
 */
public interface BatchSource {

    /**
     * The next batch, waiting at most {@code wait} for fresh images; empty when there is nothing to train on yet.
     *
     * @throws IllegalStateException when the images' source has failed
     */
    Optional<TrainingBatch> next(Duration wait) throws InterruptedException;

    /**
     * Fresh images the source has not handed out yet (the consumer lag), 0 when none or unknown. Metrics and the status
     * page call it from their own threads, so it must be safe from any thread.
     */
    long lag();

    /** Images held for replay. */
    int replayed();
}
