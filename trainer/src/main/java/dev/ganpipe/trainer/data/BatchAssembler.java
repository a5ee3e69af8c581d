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
 * <p>A batch samples everything the trainer knows of, what it has trained on and what is waiting on the stream,
 * taking the waiting images in arrival order: the share of replayed images is {@code S / (S + W)} for S images trained on
 * (the buffer holds them, or a uniform sample of them) and a backlog of W (the source's lag and the images drained but not yet trained on), at most
 * {@code replayRatio}, and only once the buffer holds a batch. So a dataset ingested faster than the trainer trains
 * starts on fresh images alone and every image it has seen is replayed at about the same rate, rather than the
 * earliest ones far more often than the latest (a fixed half of every batch did that, and cost the pipeline's recipe
 * in issue 23's equal-step study); a new kind of image that arrives in bulk is mixed with what came before in
 * proportion, so the generator does not forget it ({@code ContinualLearningTest}); and once the trainer has caught up,
 * {@code replayRatio} of each batch is replayed. When the stream is idle, the idle policy decides: {@code TRAIN} keeps
 * training on replayed images alone (so a small dataset trains for as long as the trainer runs), {@code PAUSE} waits
 * for new images. Every fresh image enters the replay buffer once it has been in a batch.
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
        int replayed = replay.size() >= batchSize ? (int) Math.round(batchSize * replayShare(pending.size() + source.lag())) : 0;
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

    /** The share of a batch to replay with {@code waiting} images not yet trained on: see the class comment. */
    double replayShare(long waiting) {
        long seen = replay.offered(); // every image trained on, of which a full buffer holds a uniform sample
        return waiting <= 0 ? replayRatio : Math.min(replayRatio, seen / (double) (seen + waiting));
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
