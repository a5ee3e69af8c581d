package dev.ganpipe.trainer.loop;

import dev.ganpipe.trainer.checkpoint.Architecture;
import dev.ganpipe.trainer.checkpoint.Checkpoint;
import dev.ganpipe.trainer.checkpoint.CheckpointException;
import dev.ganpipe.trainer.checkpoint.CheckpointPolicy;
import dev.ganpipe.trainer.checkpoint.CheckpointStore;
import dev.ganpipe.trainer.data.ReplayBuffer;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when the training thread checkpoints, writes the checkpoint, and only then hands its positions to the
 * consumer for committing. A failed write is logged, counted and reported in the status; training goes on, the
 * offsets stay at the previous checkpoint, and the next write is tried on schedule.
 *
 * <p>Used by the training thread only, except for the getters the status page reads.
 */
public final class Checkpointer implements CheckpointPort {

    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);

    private final CheckpointStore store;
    private final CheckpointPolicy policy;
    private final Architecture architecture;
    private final ReplayBuffer replay;
    private final Consumer<Map<TopicPartition, Long>> commit;
    private final CheckpointMetrics metrics;
    private final Clock clock;
    private final Map<TopicPartition, Long> covered = new HashMap<>();
    private final long resumedFromStep;
    private volatile long lastStep;
    private volatile Instant lastTime;
    private volatile String error;
    private long lastAttemptStep;
    private Instant lastAttemptTime;

    /**
     * @param store where checkpoints go
     * @param policy when they are written
     * @param architecture the networks' architecture, recorded in every checkpoint
     * @param replay the replay buffer, saved in every checkpoint with the networks
     * @param commit receives a checkpoint's positions once it is durable (the consumer commits them)
     * @param metrics checkpoint meters
     * @param clock time source of the time-based schedule
     * @param resumedFrom the checkpoint this run resumed from, if any
     */
    public Checkpointer(CheckpointStore store, CheckpointPolicy policy, Architecture architecture, ReplayBuffer replay,
            Consumer<Map<TopicPartition, Long>> commit, CheckpointMetrics metrics, Clock clock,
            Optional<Checkpoint> resumedFrom) {
        this.store = store;
        this.policy = policy;
        this.architecture = architecture;
        this.replay = replay;
        this.commit = commit;
        this.metrics = metrics;
        this.clock = clock;
        this.resumedFromStep = resumedFrom.map(Checkpoint::step).orElse(0L);
        this.lastStep = resumedFromStep;
        this.lastAttemptStep = resumedFromStep;
        this.lastTime = resumedFrom.map(Checkpoint::createdAt).orElse(null);
        this.lastAttemptTime = clock.instant();
        resumedFrom.ifPresent(c -> covered.putAll(c.positions()));
    }

    @Override
    public void covered(Map<TopicPartition, Long> positions) {
        positions.forEach((tp, offset) -> covered.merge(tp, offset, Math::max));
    }

    /** Due after enough steps or time since the last attempt. */
    @Override
    public boolean due(long step) {
        return step > lastStep && (step - lastAttemptStep >= policy.everySteps()
                || Duration.between(lastAttemptTime, clock.instant()).compareTo(policy.every()) >= 0);
    }

    /**
     * Writes a checkpoint of {@code core} and the replay buffer now, then asks for its positions to be committed.
     * Called on the training thread between steps, so the buffer holds exactly the fresh images the positions
     * cover.
     *
     * @param modelVersion the newest published model version
     * @param imagesSeen fresh images trained on so far
     * @return whether it was written
     */
    @Override
    public boolean write(GanTrainingCore core, long modelVersion, long imagesSeen) {
        long started = System.nanoTime();
        Instant now = clock.instant();
        long step = core.step();
        lastAttemptStep = step;
        lastAttemptTime = now;
        Map<TopicPartition, Long> positions = Map.copyOf(covered);
        try {
            Checkpoint checkpoint = new Checkpoint(architecture, core.snapshot(), modelVersion, imagesSeen, positions, now,
                    Optional.of(replay.snapshot()));
            Path file = store.write(checkpoint);
            commit.accept(positions);
            lastStep = step;
            lastTime = now;
            error = null;
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            metrics.written(step, now, took);
            LOG.info("Checkpoint of step {} written to {} in {} ms; committing offsets {}", step, file, took.toMillis(),
                    positions);
            return true;
        } catch (CheckpointException e) {
            error = e.getMessage();
            metrics.failed();
            LOG.error(e.getMessage(), e);
            return false;
        }
    }

    @Override
    public CheckpointState state() {
        return new CheckpointState(resumedFromStep, lastStep, lastTime, error);
    }
}
