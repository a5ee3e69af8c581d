package dev.ganpipe.trainer.loop;

import dev.ganpipe.trainer.gan.GanTrainingCore;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The training loop's edge towards durable state: {@link Checkpointer} writes checkpoints and then lets the consumer
 * commit the positions they cover. The loop reports what each batch covered and asks after every step.
 */
public interface CheckpointPort {

    /** Records the positions a trained batch covers (merged with what earlier batches covered). */
    void covered(Map<TopicPartition, Long> positions);

    /** Whether a checkpoint is due after {@code step}. */
    boolean due(long step);

    /**
     * Writes a checkpoint of {@code core} now and, once it is durable, commits the positions it covers.
     *
     * @param modelVersion the newest published model version
     * @param imagesSeen fresh images trained on so far
     * @return whether it was written (a failure is logged, counted and reported in {@link #state()})
     */
    boolean write(GanTrainingCore core, long modelVersion, long imagesSeen);

    /** What the status page shows about checkpoints. */
    CheckpointState state();
}
