package dev.ganpipe.trainer.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ganpipe.common.image.Hashes;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.model.ModelManifest;
import dev.ganpipe.trainer.checkpoint.Architecture;
import dev.ganpipe.trainer.checkpoint.Checkpoint;
import dev.ganpipe.trainer.checkpoint.CheckpointPolicy;
import dev.ganpipe.trainer.checkpoint.CheckpointStore;
import dev.ganpipe.trainer.data.BatchSource;
import dev.ganpipe.trainer.data.DecodedImage;
import dev.ganpipe.trainer.data.ReplayBuffer;
import dev.ganpipe.trainer.data.TrainingBatch;
import dev.ganpipe.trainer.gan.GanConfig;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import dev.ganpipe.trainer.publish.ModelSink;
import dev.ganpipe.trainer.quality.PublishGate;
import dev.ganpipe.trainer.quality.QualityMonitor;
import dev.ganpipe.trainer.quality.QualityRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the order of a step's work without a broker: the gate judges, the generator is exported and published, the
 * checkpoint is written (carrying the version just published), and only then are its offsets committed. Real
 * networks, a real checkpoint store on disk; the batch source, model sink and gate are the loop's interfaces.
 */
class TrainingLoopOrderTest {

    private static final GanConfig SMALL = GanConfig.dcgan28().withWidths(16, 16).withSeed(11);
    private static final int BATCH = 8;
    private static final TopicPartition TRAIN = new TopicPartition("images.train", 0);

    @TempDir
    Path dir;

    private final List<String> events = new ArrayList<>();

    @Test
    void eachExportIsJudgedPublishedAndCheckpointedBeforeItsOffsetsAreCommitted() {
        run(new Schedule(2, Duration.ofHours(1), 1000, 4), true, Long.MAX_VALUE);

        assertThat(events).containsExactly(
                "judge 2", "publish 2 as v1", "checkpoint 2 with v1", "commit 16",
                "judge 4", "publish 4 as v2", "checkpoint 4 with v2", "commit 32");
    }

    @Test
    void aRefusedExportIsNotPublishedYetItsStepIsCheckpointedAndCommitted() {
        run(new Schedule(2, Duration.ofHours(1), 1000, 4), false, Long.MAX_VALUE);

        assertThat(events).containsExactly(
                "judge 2", "checkpoint 2 with v0", "commit 16",
                "judge 4", "checkpoint 4 with v0", "commit 32");
    }

    @Test
    void aStoppedLoopReleasesAndCheckpointsWhatItTrainedSinceTheLastExport() {
        run(new Schedule(2, Duration.ofHours(1), 1000, 0), true, 3);

        assertThat(events).containsExactly(
                "judge 2", "publish 2 as v1", "checkpoint 2 with v1", "commit 16",
                "judge 3", "publish 3 as v2", "checkpoint 3 with v2", "commit 24");
    }

    /** Trains on fixed batches until the schedule's last step, or stops the loop once {@code stopAfter} batches are out. */
    private void run(Schedule schedule, boolean gateAccepts, long stopAfter) {
        CheckpointPolicy policy = new CheckpointPolicy(dir.resolve("checkpoints"), 2, Duration.ofHours(1), 2,
                CheckpointStore.OnMismatch.FAIL);
        CheckpointStore store = policy.store();
        store.prepare();
        Architecture architecture = Architecture.of(SMALL);
        TrainerMetrics metrics = new TrainerMetrics(new SimpleMeterRegistry(), () -> 0, () -> 0);
        try (GanTrainingCore core = new GanTrainingCore(SMALL)) {
            Checkpointer checkpoints = new Checkpointer(store, policy, architecture, new ReplayBuffer(64, 1), positions -> {
                Checkpoint written = store.loadForResume(architecture).orElseThrow();
                events.add("checkpoint " + written.step() + " with v" + written.modelVersion());
                events.add("commit " + positions.get(TRAIN));
            }, new CheckpointMetrics(new SimpleMeterRegistry()), Clock.systemUTC(), Optional.empty());
            ModelRelease release = new ModelRelease(new RecordingSink(), Optional.of(new RecordingGate(gateAccepts)), metrics,
                    schedule, ImageShape.FASHION_MNIST, Clock.systemUTC());
            TrainingLoop[] loop = new TrainingLoop[1];
            BatchSource batches = new FixedBatches(() -> loop[0].stop(), stopAfter);
            loop[0] = new TrainingLoop(core, batches, release, checkpoints, new SampleGrids(dir.resolve("samples"),
                    ImageShape.FASHION_MNIST), metrics, schedule, "cpu", 0, Optional.empty());
            loop[0].run();

            assertThat(loop[0].status().state()).isEqualTo("stopped");
        }
    }

    private final class RecordingSink implements ModelSink {
        private long version;
        private ModelManifest last;

        @Override
        public ModelManifest publish(byte[] onnx, long step, String imageShape, int noiseDim, Map<String, Double> scores) {
            assertThat(onnx).isNotEmpty();
            assertThat(scores).containsKeys("d_loss", "quality_fid");
            version++;
            events.add("publish " + step + " as v" + version);
            last = new ModelManifest("test", version, Hashes.sha256(onnx), step, Instant.now(), imageShape, noiseDim, scores);
            return last;
        }

        @Override
        public long version() {
            return version;
        }

        @Override
        public ModelManifest last() {
            return last;
        }
    }

    private final class RecordingGate implements PublishGate {
        private final boolean accepts;

        RecordingGate(boolean accepts) {
            this.accepts = accepts;
        }

        @Override
        public QualityMonitor.Verdict judge(GanTrainingCore core) {
            events.add("judge " + core.step());
            QualityRecord measured = new QualityRecord(core.step(), Instant.now().toString(), QualityRecord.PUBLISHED,
                    Map.of("fid", 50.0), 1.0);
            return new QualityMonitor.Verdict(accepts, accepts ? "better than live" : "worse than live", measured);
        }

        @Override
        public void published(QualityMonitor.Verdict verdict) {
            assertThat(verdict.publish()).isTrue();
        }
    }

    /** Batch n covers offsets up to (n + 1) * BATCH of one partition; asks the loop to stop once {@code stopAfter} are out. */
    private static final class FixedBatches implements BatchSource {
        private final Runnable stop;
        private final long stopAfter;
        private final Random random = new Random(3);
        private long handedOut;

        FixedBatches(Runnable stop, long stopAfter) {
            this.stop = stop;
            this.stopAfter = stopAfter;
        }

        @Override
        public Optional<TrainingBatch> next(Duration wait) {
            float[] pixels = new float[BATCH * ImageShape.FASHION_MNIST.values()];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = random.nextFloat() * 2 - 1;
            }
            long[] labels = new long[BATCH];
            Arrays.fill(labels, DecodedImage.NO_LABEL);
            handedOut++;
            if (handedOut >= stopAfter) {
                stop.run(); // the loop finishes this step, then stops
            }
            return Optional.of(new TrainingBatch(pixels, BATCH, BATCH, Map.of(TRAIN, handedOut * BATCH), List.of(), labels));
        }

        @Override
        public long lag() {
            return 0;
        }

        @Override
        public int replayed() {
            return 0;
        }
    }
}
