package dev.ganpipe.trainer.checkpoint;

import dev.ganpipe.trainer.data.ReplayBuffer;
import dev.ganpipe.trainer.gan.TrainingState;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * One checkpoint: the complete training state and what it covers.
 *
 * @param architecture the networks' architecture; a trainer of another architecture refuses to resume from it
 * @param state the training state (networks, EMA, optimisers, step, noise)
 * @param modelVersion the newest model version published when it was taken, 0 for none
 * @param imagesSeen fresh stream images trained on up to it
 * @param positions per partition of the training topic, the next offset after the newest image it has trained on;
 *     the consumer offsets committed after writing it
 * @param createdAt when it was taken
 * @param replay the replay buffer at that moment; empty in checkpoints of format version 1, which did not hold it
 */
public record Checkpoint(
        Architecture architecture,
        TrainingState state,
        long modelVersion,
        long imagesSeen,
        Map<TopicPartition, Long> positions,
        Instant createdAt,
        Optional<ReplayBuffer.Snapshot> replay) {

    /** Validates and freezes the positions. */
    public Checkpoint {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(replay, "replay is null; pass Optional.empty() for a checkpoint without a replay buffer.");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        positions = Map.copyOf(positions);
        if (modelVersion < 0 || imagesSeen < 0) {
            throw new IllegalArgumentException("Model version and images seen must not be negative, but were "
                    + modelVersion + " and " + imagesSeen + ".");
        }
    }

    /** A checkpoint without a replay buffer. */
    public Checkpoint(Architecture architecture, TrainingState state, long modelVersion, long imagesSeen,
            Map<TopicPartition, Long> positions, Instant createdAt) {
        this(architecture, state, modelVersion, imagesSeen, positions, createdAt, Optional.empty());
    }

    /** The training step it was taken at. */
    public long step() {
        return state.step();
    }
}
