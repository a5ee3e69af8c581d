package dev.ganpipe.trainer;

import dev.ganpipe.common.StartedParts;
import dev.ganpipe.common.model.ModelDirectory;
import dev.ganpipe.common.model.ModelManifest;
import dev.ganpipe.images.normalize.ClassList;
import dev.ganpipe.trainer.checkpoint.Architecture;
import dev.ganpipe.trainer.checkpoint.Checkpoint;
import dev.ganpipe.trainer.checkpoint.CheckpointException;
import dev.ganpipe.trainer.checkpoint.CheckpointStore;
import dev.ganpipe.trainer.data.BatchAssembler;
import dev.ganpipe.trainer.data.ReplayBuffer;
import dev.ganpipe.trainer.data.TrainingFeed;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import dev.ganpipe.trainer.loop.CheckpointMetrics;
import dev.ganpipe.trainer.loop.Checkpointer;
import dev.ganpipe.trainer.loop.ModelRelease;
import dev.ganpipe.trainer.loop.SampleGrids;
import dev.ganpipe.trainer.loop.TrainerMetrics;
import dev.ganpipe.trainer.loop.TrainingLoop;
import dev.ganpipe.trainer.publish.ModelPublisher;
import dev.ganpipe.trainer.publish.PublishedVersions;
import dev.ganpipe.trainer.quality.QualityGate;
import dev.ganpipe.trainer.quality.QualityMonitor;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training half of the trainer, built once its networks' shape is decided: feed, networks, publisher, quality
 * and the training thread. Closing it stops the loop first, so nothing closes under a running step.
 */
final class Training implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Training.class);

    private final TrainingLoop loop;
    private final Thread thread;
    private final SampleGrids samples;
    private final Optional<QualityMonitor> quality;
    private final StartedParts parts;

    private Training(TrainingLoop loop, Thread thread, SampleGrids samples, Optional<QualityMonitor> quality, StartedParts parts) {
        this.loop = loop;
        this.thread = thread;
        this.samples = samples;
        this.quality = quality;
        this.parts = parts;
    }

    /**
     * Builds every part for {@code config} (whose profile is decided) and starts the training thread.
     *
     * @param resume the checkpoint to resume from, already checked against {@code config}'s architecture
     * @throws CheckpointException when the checkpoint does not fit the networks; nothing is left running then
     */
    static Training start(TrainerConfig config, Optional<Checkpoint> resume, CheckpointStore store, PrometheusMeterRegistry registry,
            Clock clock) {
        Architecture architecture = Architecture.of(config.gan());
        ModelDirectory models = new ModelDirectory(config.modelsDir());
        Optional<ModelManifest> live = PublishedVersions.newest(config.modelName(), models, config.kafka(), config.topics().models());
        long published = Math.max(live.map(ModelManifest::version).orElse(0L), resume.map(Checkpoint::modelVersion).orElse(0L));
        StartedParts parts = new StartedParts();
        try {
            GanTrainingCore core = new GanTrainingCore(config.gan());
            parts.push(core);
            resume.ifPresent(c -> restore(core, c, store));
            config.quality().weights().fixed().ifPresent(core::publish);
            TrainingFeed feed = new TrainingFeed(config.kafka(), config.groupId(), config.topics().train(),
                    config.shape(), config.gan().classes(), Math.max(4 * config.batchSize(), 1024), registry);
            parts.push(feed);
            ReplayBuffer replay = resume.flatMap(Checkpoint::replay)
                    .map(saved -> ReplayBuffer.restore(saved, config.replayImages()))
                    .orElseGet(() -> new ReplayBuffer(config.replayImages(), config.gan().seed()));
            BatchAssembler batches = new BatchAssembler(feed, replay, config.batchSize(), config.shape().values(),
                    config.replayRatio(), config.idlePolicy(), config.batchSize());
            ModelPublisher publisher = ModelPublisher.toKafka(config.modelName(), models, config.keepModels(),
                    config.kafka(), config.topics().models(), published, config.modelSigningKey(), clock, registry);
            parts.push(publisher);
            SampleGrids samples = new SampleGrids(config.samplesDir(), config.shape());
            TrainerMetrics metrics = new TrainerMetrics(registry, replay::size, batches::lag);
            Optional<QualityMonitor> quality = Optional.empty();
            if (config.quality().enabled()) {
                QualityMonitor monitor = QualityMonitor.open(config.quality(), config.shape(),
                        live.map(m -> QualityGate.fromManifest(m.metrics())), metrics::quality, clock);
                parts.push(monitor);
                quality = Optional.of(monitor);
            }
            Checkpointer checkpointer = new Checkpointer(store, config.checkpoints(), architecture, replay, feed::commit,
                    new CheckpointMetrics(registry), clock, resume);
            ModelRelease release = new ModelRelease(publisher, quality.filter(QualityMonitor::gating), quality, metrics, config.schedule(),
                    config.shape(), config.classNames().map(ClassList::names).orElse(List.of()), clock);
            TrainingLoop loop = new TrainingLoop(core, batches, release, checkpointer, samples, metrics, config.schedule(),
                    core.device().toString(), resume.map(Checkpoint::imagesSeen).orElse(0L), quality);
            Thread thread = Thread.ofPlatform().name("trainer-loop").unstarted(loop);
            feed.start();
            thread.start();
            parts.push(() -> stopLoop(loop, thread)); // closes first: nothing else closes under a running step
            LOG.info("Trainer started: {} on {}, {} images, widths {}/{}, {}, batch {}, {}, exports every {} steps or {}, checkpoints every {} "
                            + "steps or {} in {}, next model version {}",
                    config.modelName(), core.device(), config.shape(), config.gan().generatorWidth(), config.gan().discriminatorWidth(),
                    config.classNames().map(n -> "conditional (" + n.size() + " classes: " + n + ")").orElse("unconditional"),
                    config.batchSize(), resume.map(c -> "resumed at step " + c.step()).orElse("fresh start"),
                    config.schedule().exportEverySteps(), config.schedule().exportEvery(),
                    config.checkpoints().everySteps(), config.checkpoints().every(), store.directory(), published + 1);
            return new Training(loop, thread, samples, quality, parts);
        } catch (RuntimeException e) {
            parts.closeAfterFailedStart(e);
            throw e;
        }
    }

    /** Asks the loop to stop after its current step and waits for it, so the final export and checkpoint happen. */
    private static void stopLoop(TrainingLoop loop, Thread thread) throws InterruptedException {
        loop.stop();
        try {
            if (!thread.join(Duration.ofSeconds(60))) {
                LOG.warn("The training thread did not stop within 60 s; closing anyway.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // StartedParts records the exception; the caller's interrupt must survive too
            throw e;
        }
    }

    private static void restore(GanTrainingCore core, Checkpoint checkpoint, CheckpointStore store) {
        try {
            core.restore(checkpoint.state());
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("Checkpoint " + store.fileFor(checkpoint.step()) + " does not fit the "
                    + "configured networks: " + e.getMessage() + " Nothing was changed; start the trainer with the "
                    + "settings the checkpoint was written with, or point --checkpoint-dir elsewhere.", e);
        }
    }

    TrainingLoop loop() {
        return loop;
    }

    SampleGrids samples() {
        return samples;
    }

    Optional<QualityMonitor> quality() {
        return quality;
    }

    /** Waits until the training thread ends (max steps reached, failure, or close). */
    boolean awaitTermination(Duration timeout) throws InterruptedException {
        return thread.join(timeout);
    }

    @Override
    public void close() {
        parts.closeOnce("The trainer did not close cleanly; the suppressed exceptions say which part failed.");
    }
}
