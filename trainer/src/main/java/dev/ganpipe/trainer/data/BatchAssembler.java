package dev.ganpipe.trainer.data;

import dev.ganpipe.common.image.ModelPixels;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * Builds training batches on the training thread from fresh stream images and the replay buffer.
 *
 * <p>While a backlog of at least a whole batch of fresh images is waiting (a dataset ingested faster than the
 * trainer trains), every batch is fresh images alone: replaying then would only delay them, and, drawn from what has
 * arrived so far, would show the earliest images many times more often than the latest (docs/quality.md measured
 * both costs in issue 23). Once the trainer has caught up with the stream, a batch holds {@code replayRatio}
 * replayed images (once the buffer has a batch worth) and the fresh images that arrived for the rest, so a slow
 * stream's batches are never small and classes that stopped arriving are not forgotten. When the stream is idle, the
 * idle policy decides: {@code TRAIN} keeps training on replayed images alone (so a small dataset trains for as long as
 * the trainer runs), {@code PAUSE} waits for new images. Every fresh image enters the replay buffer once it has been
 * in a batch.
 *
 * <p>Fresh images are used in the order the source delivers them, and one that cannot go into a batch yet (too
 * few images in total for a first batch) waits in this assembler rather than being counted. So {@link
 * TrainingBatch#positions()} only ever covers images that were trained on, which is what makes committing them
 * after a checkpoint at-least-once.
 */
public final class BatchAssembler implements BatchSource {

    /** What to do when no fresh images arrive. */
    public enum IdlePolicy {
        /** Keep training on the replay buffer alone. */
        TRAIN,
        /** Wait for fresh images. */
        PAUSE
    }

    private final FreshImages source;
    private final ReplayBuffer replay;
    private final int batchSize;
    private final int imageValues;
    private final double replayRatio;
    private final IdlePolicy idlePolicy;
    private final int minImages;
    private final Deque<DecodedImage> pending = new ArrayDeque<>();
    private final Map<TopicPartition, Long> positions = new HashMap<>();

    /**
     * @param source fresh images
     * @param replay the replay buffer, filled by this assembler
     * @param batchSize images per batch
     * @param imageValues values per image (C * H * W)
     * @param replayRatio share of replayed images in a batch while fresh images arrive, in [0, 1)
     * @param idlePolicy what to do when no fresh images arrive
     * @param minImages images the replay buffer must hold before replay-only batches are made
     */
    public BatchAssembler(FreshImages source, ReplayBuffer replay, int batchSize, int imageValues, double replayRatio,
            IdlePolicy idlePolicy, int minImages) {
        if (replayRatio < 0 || replayRatio >= 1) {
            throw new IllegalArgumentException("The replay ratio must be in [0, 1), but was " + replayRatio + ".");
        }
        this.source = source;
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
    @Override
    public Optional<TrainingBatch> next(Duration wait) throws InterruptedException {
        if (pending.size() < batchSize) {
            drain(batchSize - pending.size(), Duration.ZERO); // what is waiting already, without blocking
        }
        boolean backlog = pending.size() >= batchSize;
        int replayed = !backlog && replay.size() >= batchSize ? (int) Math.round(batchSize * replayRatio) : 0;
        int freshWanted = batchSize - replayed;
        boolean canReplayOnly = idlePolicy == IdlePolicy.TRAIN && replay.size() >= minImages;
        if (pending.size() < freshWanted && !canReplayOnly) {
            drain(freshWanted - pending.size(), wait); // with replay-only batches possible, the device never waits for data
        }
        if (pending.isEmpty() && !canReplayOnly) {
            return Optional.empty();
        }
        int take = Math.min(pending.size(), freshWanted);
        if (take + replay.size() < batchSize && take < batchSize) {
            return Optional.empty(); // not enough images in total for one batch yet: the fresh ones wait here
        }
        List<DecodedImage> fresh = new ArrayList<>(take);
        for (int i = 0; i < take; i++) {
            fresh.add(pending.removeFirst());
        }
        float[] pixels = new float[batchSize * imageValues];
        long[] labels = new long[batchSize];
        int i = 0;
        for (DecodedImage image : fresh) {
            labels[i] = image.label();
            ModelPixels.toModelInput(image.pixels(), pixels, i++ * imageValues); // the one conversion to floats
        }
        while (i < batchSize) {
            int slot = replay.sampleSlot();
            labels[i] = replay.label(slot);
            ModelPixels.toModelInput(replay.image(slot), pixels, i++ * imageValues);
        }
        for (DecodedImage image : fresh) {
            replay.offer(image.pixels(), image.label());
            positions.merge(image.partition(), image.offset() + 1, Math::max);
        }
        return Optional.of(new TrainingBatch(pixels, batchSize, fresh.size(), Map.copyOf(positions),
                OffsetRange.of(fresh), labels));
    }

    private void drain(int max, Duration wait) throws InterruptedException {
        List<DecodedImage> arrived = new ArrayList<>(max);
        source.drainTo(arrived, max, wait);
        pending.addAll(arrived);
    }

    /** The source's lag; the few images already drained for the next batch stay out, as they are the training thread's alone. */
    @Override
    public long lag() {
        return source.lag();
    }

    @Override
    public int replayed() {
        return replay.size();
    }

    /** The replay buffer this assembler fills and samples. */
    public ReplayBuffer replay() {
        return replay;
    }
}
