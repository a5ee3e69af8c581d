package dev.ganpipe.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ganpipe.trainer.data.BatchAssembler.IdlePolicy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Batches from fresh and replayed images, and what each idle policy does when the stream goes quiet. */
class BatchAssemblerTest {

    private static final int BATCH = 8;
    private static final int VALUES = 4;
    private static final TopicPartition P0 = new TopicPartition("images.train", 0);
    private static final TopicPartition P1 = new TopicPartition("images.train", 1);

    @Test
    void pauseWaitsForFreshImagesWhenTheStreamGoesIdle() throws InterruptedException {
        StreamOfImages stream = new StreamOfImages();
        stream.add(P0, 0, 32);
        BatchAssembler batches = assembler(stream, IdlePolicy.PAUSE);
        int freshTrained = drainStream(batches);
        assertThat(freshTrained).isEqualTo(32);

        for (int i = 0; i < 3; i++) {
            assertThat(batches.next(Duration.ofMillis(20))).as("idle, paused").isEmpty();
        }
        assertThat(stream.lastTimeout).as("paused: the assembler waits on the stream").isEqualTo(Duration.ofMillis(20));

        stream.add(P0, 32, 3);
        TrainingBatch resumed = batches.next(Duration.ofMillis(20)).orElseThrow();
        assertThat(resumed.fresh()).isEqualTo(3);
        assertThat(resumed.freshOffsets()).containsExactly(new OffsetRange(P0, 32, 34));
        assertThat(resumed.positions()).containsExactly(Map.entry(P0, 35L));
    }

    @Test
    void trainKeepsTrainingOnTheReplayBufferWithoutWaitingWhenTheStreamGoesIdle() throws InterruptedException {
        StreamOfImages stream = new StreamOfImages();
        stream.add(P0, 0, 32);
        BatchAssembler batches = assembler(stream, IdlePolicy.TRAIN);
        drainStream(batches);

        for (int i = 0; i < 5; i++) {
            TrainingBatch replayOnly = batches.next(Duration.ofSeconds(30)).orElseThrow();
            assertThat(replayOnly.fresh()).isZero();
            assertThat(replayOnly.size()).isEqualTo(BATCH);
            assertThat(replayOnly.freshOffsets()).isEmpty();
            assertThat(replayOnly.positions()).as("replay does not move positions").containsExactly(Map.entry(P0, 32L));
            assertThat(distinctImages(replayOnly)).allMatch(v -> v >= 0 && v < 32, "an image of the stream");
        }
        assertThat(stream.lastTimeout).as("the device never waits on an idle stream").isEqualTo(Duration.ZERO);

        stream.add(P1, 0, 6);
        TrainingBatch mixed = batches.next(Duration.ofSeconds(30)).orElseThrow();
        assertThat(mixed.fresh()).as("fresh images come first again, mixed with replay").isEqualTo(4);
        assertThat(mixed.freshOffsets()).containsExactly(new OffsetRange(P1, 0, 3));
    }

    /**
     * Issue 23: with a dataset waiting on the topic, replaying a fixed half of every batch from what had arrived so far
     * delayed the fresh images and showed the earliest ones far more often than the latest. Now a batch samples what the
     * trainer knows of: S images trained on and W waiting (43 in all here), so S / 43 of it is replayed, at most the
     * ratio 0.5, and none before the buffer holds a batch.
     */
    @Test
    void aBacklogIsMixedWithReplayInProportionToWhatWasTrainedOn() throws InterruptedException {
        StreamOfImages stream = new StreamOfImages();
        stream.add(P0, 0, 5 * BATCH + 3);
        BatchAssembler batches = assembler(stream, IdlePolicy.TRAIN);
        // S before each batch: 0, 8, 15, 20, 24; replayed round(8 * min(0.5, S / 43)): 0, 1, 3, 4, 4 (capped).
        int[] expectedFresh = {8, 7, 5, 4, 4};
        int next = 0;
        for (int b = 0; b < expectedFresh.length; b++) {
            TrainingBatch batch = batches.next(Duration.ofMillis(5)).orElseThrow();
            assertThat(batch.fresh()).as("fresh images in batch %d", b).isEqualTo(expectedFresh[b]);
            assertThat(batch.freshOffsets()).as("batch %d takes the waiting images in order", b)
                    .containsExactly(new OffsetRange(P0, next, next + expectedFresh[b] - 1));
            int trainedSoFar = next + expectedFresh[b];
            assertThat(distinctImages(batch)).as("batch %d replays only images trained on", b).allMatch(id -> id < trainedSoFar);
            next += expectedFresh[b];
        }
        assertThat(batches.replayShare(0)).as("caught up: the configured ratio").isEqualTo(0.5);
        assertThat(batches.replayShare(1_000_000)).as("a large backlog: mostly fresh").isLessThan(0.001);
    }

    @Test
    void imagesTooFewForAFirstBatchWaitAndAreNotCountedAsTrained() throws InterruptedException {
        StreamOfImages stream = new StreamOfImages();
        stream.add(P0, 0, 3);
        stream.add(P1, 0, 2);
        BatchAssembler batches = assembler(stream, IdlePolicy.TRAIN);
        assertThat(batches.next(Duration.ofMillis(5))).isEmpty();
        assertThat(batches.replay().size()).as("not trained, not replayable yet").isZero();

        stream.add(P0, 3, 4);
        TrainingBatch first = batches.next(Duration.ofMillis(5)).orElseThrow();
        assertThat(first.fresh()).isEqualTo(BATCH);
        assertThat(first.freshOffsets()).containsExactly(new OffsetRange(P0, 0, 5), new OffsetRange(P1, 0, 1));
        assertThat(first.positions()).isEqualTo(Map.of(P0, 6L, P1, 2L));
        assertThat(distinctImages(first)).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 1000, 1001);
    }

    private static BatchAssembler assembler(StreamOfImages stream, IdlePolicy policy) {
        return new BatchAssembler(stream, new ReplayBuffer(100, 1), BATCH, VALUES, 0.5, policy, BATCH);
    }

    /** Takes batches until the stream is empty; returns how many fresh images they held. */
    private static int drainStream(BatchAssembler batches) throws InterruptedException {
        int fresh = 0;
        while (true) {
            Optional<TrainingBatch> b = batches.next(Duration.ofMillis(5));
            if (b.isEmpty() || b.get().fresh() == 0) {
                return fresh;
            }
            fresh += b.get().fresh();
        }
    }

    /** Each image's pixels all hold its id: partition * 1000 + offset. */
    private static List<Integer> distinctImages(TrainingBatch batch) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            ids.add(idOf(batch.pixels(), i * VALUES));
        }
        return ids.stream().distinct().toList();
    }

    /** The id {@link StreamOfImages} wrote into an image's first two values, from the batch's floats. */
    private static int idOf(float[] pixels, int offset) {
        int high = Math.round((pixels[offset] + 1f) * 127.5f);
        int low = Math.round((pixels[offset + 1] + 1f) * 127.5f);
        return high << 8 | low;
    }

    /** An in-memory stream in arrival order that remembers how long it was asked to wait. */
    private static final class StreamOfImages implements FreshImages {
        private final Deque<DecodedImage> ready = new ArrayDeque<>();
        private Duration lastTimeout;

        void add(TopicPartition tp, long firstOffset, int count) {
            for (long o = firstOffset; o < firstOffset + count; o++) {
                int id = (int) (tp.partition() * 1000 + o);
                byte[] pixels = new byte[VALUES];
                pixels[0] = (byte) (id >> 8); // the id in the first two values, read back from the batch's floats
                pixels[1] = (byte) id;
                ready.add(new DecodedImage(pixels, tp, o));
            }
        }

        @Override
        public int drainTo(List<DecodedImage> into, int max, Duration timeout) {
            lastTimeout = timeout;
            int n = 0;
            while (n < max && !ready.isEmpty()) {
                into.add(ready.removeFirst());
                n++;
            }
            return n;
        }

        @Override
        public long lag() {
            return ready.size();
        }
    }
}
