package dev.ganpipe.trainer.data;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * Builds training batches on the training thread from fresh stream images and the replay buffer.
 *
 * <p>While the stream delivers, a batch holds {@code replayRatio} replayed images (once the buffer has a batch
 * worth) and fresh images for the rest. When the stream is idle, the idle policy decides: {@code TRAIN} keeps
 * training on replayed images alone (so a small dataset trains for as long as the trainer runs), {@code PAUSE}
 * waits for new images. Every fresh image enters the replay buffer after use.
 */
public final class BatchAssembler {

    /** What to do when no fresh images arrive. */
    public enum IdlePolicy { TRAIN, PAUSE }

    private final TrainingFeed feed;
    private final ReplayBuffer replay;
    private final int batchSize;
    private final int imageValues;
    private final double replayRatio;
    private final IdlePolicy idlePolicy;
    private final int minImages;
    private final Map<TopicPartition, Long> positions = new HashMap<>();

    /**
     * @param minImages images the replay buffer must hold before replay-only batches are made
     */
    public BatchAssembler(TrainingFeed feed, ReplayBuffer replay, int batchSize, int imageValues, double replayRatio,
            IdlePolicy idlePolicy, int minImages) {
        if (replayRatio < 0 || replayRatio >= 1) {
            throw new IllegalArgumentException("The replay ratio must be in [0, 1), but was " + replayRatio + ".");
        }
        this.feed = feed;
        this.replay = replay;
        this.batchSize = batchSize;
        this.imageValues = imageValues;
        this.replayRatio = replayRatio;
        this.idlePolicy = idlePolicy;
        this.minImages = Math.max(1, minImages);
    }

    /**
     * The next batch, or empty when none could be made within {@code wait} (no data yet, or paused while idle).
     */
    public Optional<TrainingBatch> next(Duration wait) throws InterruptedException {
        int replayed = replay.size() >= batchSize ? (int) Math.round(batchSize * replayRatio) : 0;
        List<DecodedImage> fresh = new ArrayList<>(batchSize);
        boolean canReplayOnly = idlePolicy == IdlePolicy.TRAIN && replay.size() >= minImages;
        // With replay-only batches possible, do not block on Kafka: the device must not wait for data.
        feed.drainTo(fresh, batchSize - replayed, canReplayOnly ? Duration.ZERO : wait);
        if (fresh.isEmpty() && !canReplayOnly) {
            return Optional.empty();
        }
        if (fresh.size() + replay.size() < batchSize && fresh.size() < batchSize) {
            // Not enough images in total for one batch yet: keep the fresh ones for later.
            fresh.forEach(this::remember);
            return Optional.empty();
        }
        float[] pixels = new float[batchSize * imageValues];
        int i = 0;
        for (DecodedImage image : fresh) {
            System.arraycopy(image.pixels(), 0, pixels, i++ * imageValues, imageValues);
        }
        while (i < batchSize) {
            System.arraycopy(replay.sample(), 0, pixels, i++ * imageValues, imageValues);
        }
        fresh.forEach(this::remember);
        return Optional.of(new TrainingBatch(pixels, batchSize, fresh.size(), Map.copyOf(positions)));
    }

    private void remember(DecodedImage image) {
        replay.offer(image.pixels());
        positions.merge(image.partition(), image.offset() + 1, Math::max);
    }

    public ReplayBuffer replay() {
        return replay;
    }
}
