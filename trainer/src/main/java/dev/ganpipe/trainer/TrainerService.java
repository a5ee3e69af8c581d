package dev.ganpipe.trainer;

import dev.ganpipe.common.Service;
import dev.ganpipe.common.StartedParts;
import dev.ganpipe.common.http.HttpError;
import dev.ganpipe.common.http.HttpLimits;
import dev.ganpipe.common.http.HttpService;
import dev.ganpipe.common.http.Routes;
import dev.ganpipe.common.kafka.BrokerWatch;
import dev.ganpipe.common.kafka.GanHeaders;
import dev.ganpipe.common.model.ModelDirectory;
import dev.ganpipe.common.model.ModelManifest;
import dev.ganpipe.trainer.data.BatchAssembler;
import dev.ganpipe.trainer.data.ReplayBuffer;
import dev.ganpipe.trainer.checkpoint.Architecture;
import dev.ganpipe.trainer.checkpoint.Checkpoint;
import dev.ganpipe.trainer.checkpoint.CheckpointException;
import dev.ganpipe.trainer.checkpoint.CheckpointStore;
import dev.ganpipe.trainer.data.LabelProbe;
import dev.ganpipe.trainer.data.TrainingFeed;
import dev.ganpipe.trainer.gan.GanConfig;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import dev.ganpipe.trainer.loop.CheckpointMetrics;
import dev.ganpipe.trainer.loop.Checkpointer;
import dev.ganpipe.trainer.loop.ModelRelease;
import dev.ganpipe.trainer.loop.SampleGrids;
import dev.ganpipe.trainer.loop.TrainerMetrics;
import dev.ganpipe.trainer.loop.TrainerStatus;
import dev.ganpipe.trainer.loop.TrainingLoop;
import dev.ganpipe.trainer.publish.ModelPublisher;
import dev.ganpipe.trainer.publish.PublishedVersions;
import dev.ganpipe.trainer.quality.QualityGate;
import dev.ganpipe.trainer.quality.QualityMonitor;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running trainer: feed, networks, training thread, publisher and HTTP server, wired by hand. */
public final class TrainerService implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerService.class);
    // How long the broker may take to answer before the trainer serves /readyz 503 while it waits.
    private static final Duration BROKER_GRACE = Duration.ofSeconds(5);

    private final TrainingLoop loop;
    private final Thread thread;
    private final HttpService http;
    private final StartedParts parts;

    private TrainerService(TrainingLoop loop, Thread thread, HttpService http, StartedParts parts) {
        this.loop = loop;
        this.thread = thread;
        this.http = http;
        this.parts = parts;
    }

    /**
     * Resumes from the newest checkpoint (if any), starts training in the background and serves the HTTP API.
     *
     * @throws CheckpointException when the checkpoint directory is not writable, or the newest checkpoint cannot be
     *     resumed from and {@code --checkpoint-on-mismatch} is {@code fail}; nothing was started then
     */
    public static TrainerService start(TrainerConfig requested, PrometheusMeterRegistry registry) {
        Clock clock = Clock.systemUTC();
        CheckpointStore store = requested.checkpoints().store();
        store.prepare();
        // A checkpoint on disk is checked before anything waits on Kafka, so a wrong one fails at once.
        Optional<Architecture> savedArchitecture = store.newestArchitecture();
        boolean checkpointed = savedArchitecture.isPresent();
        if (!checkpointed) {
            awaitBroker(requested, registry); // --conditional auto then asks the training topic
        }
        TrainerConfig config = requested.withGan(resolveConditional(requested, savedArchitecture));
        Architecture architecture = Architecture.of(config.gan());
        Optional<Checkpoint> resume = store.loadForResume(architecture);
        if (checkpointed) {
            awaitBroker(requested, registry);
        }
        ModelDirectory models = new ModelDirectory(config.modelsDir());
        Optional<ModelManifest> live = PublishedVersions.newest(config.modelName(), models, config.kafka(), config.topics().models());
        long published = Math.max(live.map(ModelManifest::version).orElse(0L), resume.map(Checkpoint::modelVersion).orElse(0L));
        StartedParts parts = new StartedParts();
        try {
            GanTrainingCore core = new GanTrainingCore(config.gan());
            parts.push(core);
            resume.ifPresent(c -> restore(core, c, store));
            TrainingFeed feed = new TrainingFeed(config.kafka(), config.groupId(), config.topics().train(),
                    config.shape(), config.gan().classes(), Math.max(4 * config.batchSize(), 1024), registry);
            parts.push(feed);
            ReplayBuffer replay = resume.flatMap(Checkpoint::replay)
                    .map(saved -> ReplayBuffer.restore(saved, config.replayCapacity()))
                    .orElseGet(() -> new ReplayBuffer(config.replayCapacity(), config.gan().seed()));
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
                    config.shape(), clock);
            TrainingLoop loop = new TrainingLoop(core, batches, release, checkpointer, samples, metrics, config.schedule(),
                    core.device().toString(), resume.map(Checkpoint::imagesSeen).orElse(0L), quality);
            Thread thread = Thread.ofPlatform().name("trainer-loop").unstarted(loop);
            HttpService http = HttpService.start(config.http().applyTo(new HttpService.Options("trainer", config.host(), config.port(),
                    TrainerRoutes.routes(loop, samples, quality, registry), registry, "gan.trainer.http", HttpLimits.defaults())));
            parts.push(http);
            feed.start();
            thread.start();
            parts.push(() -> stopLoop(loop, thread)); // closes first: nothing else closes under a running step
            LOG.info("Trainer started: {} on {}, batch {}, {}, exports every {} steps or {}, checkpoints every {} "
                            + "steps or {} in {}, next model version {}",
                    config.modelName(), core.device(), config.batchSize(),
                    resume.map(c -> "resumed at step " + c.step()).orElse("fresh start"),
                    config.schedule().exportEverySteps(), config.schedule().exportEvery(),
                    config.checkpoints().everySteps(), config.checkpoints().every(), store.directory(), published + 1);
            return new TrainerService(loop, thread, http, parts);
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

    /**
     * Returns once the broker answers and the training and models topics exist: what follows reads them. Until then the trainer's
     * port serves only {@code /healthz}, {@code /readyz} (503, saying the broker is unreachable) and {@code /metrics},
     * and one log line says what it waits for; the full API takes the port over once the broker answers.
     */
    private static void awaitBroker(TrainerConfig config, PrometheusMeterRegistry registry) {
        try (BrokerWatch broker = BrokerWatch.start(config.kafka(), "trainer",
                Set.of(config.topics().imagesTrain(), config.topics().modelsGenerator()))) {
            if (broker.awaitReachable(BROKER_GRACE)) {
                return;
            }
            Routes waiting = new Routes().standard(registry, () -> {
                throw HttpError.notReady(broker.problem().orElse("The trainer is starting: the broker has just answered."));
            }, "The trainer waits for the broker.");
            HttpService http = HttpService.start(config.http().applyTo(new HttpService.Options("trainer", config.host(), config.port(),
                    waiting, registry, "gan.trainer.http", HttpLimits.defaults())));
            try {
                if (!broker.awaitReachable()) {
                    throw new IllegalStateException("The trainer stopped waiting for the broker before it answered.");
                }
            } finally {
                http.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the broker at " + config.kafka().bootstrapServers()
                    + "; start the trainer again once the broker runs.", e);
        }
    }

    /**
     * The networks to train: {@code --conditional true|false} as given; {@code auto} as the newest checkpoint was
     * (so a restart never changes architecture), else conditional when the training topic's earliest record has a
     * {@code gan.label} header.
     */
    private static GanConfig resolveConditional(TrainerConfig config, Optional<Architecture> saved) {
        GanConfig gan = config.gan();
        switch (config.conditional()) {
            case TRUE -> {
                return gan.withClasses(config.classes());
            }
            case FALSE -> {
                return gan.withClasses(0);
            }
            case AUTO -> {
                if (saved.isPresent()) {
                    LOG.info("--conditional auto: the newest checkpoint is {}, so this run is too.",
                            saved.get().classes() > 0 ? "conditional (" + saved.get().classes() + " classes)" : "unconditional");
                    return gan.withClasses(saved.get().classes());
                }
                Optional<Boolean> labelled = LabelProbe.earliestRecordLabelled(config.kafka(), config.topics().train(),
                        Duration.ofSeconds(10));
                if (labelled.orElse(false)) {
                    LOG.info("--conditional auto: the first record on {} has a {} header; training a conditional GAN "
                            + "with the {} classes of --classes.", config.topics().imagesTrain(), GanHeaders.LABEL, config.classes());
                    return gan.withClasses(config.classes());
                }
                LOG.info("--conditional auto: {}; training an unconditional GAN (pass --conditional true for labelled "
                        + "data that has not arrived yet).", labelled.isEmpty()
                        ? "no image on " + config.topics().imagesTrain() + " yet"
                        : "the first record on " + config.topics().imagesTrain() + " has no " + GanHeaders.LABEL + " header");
                return gan.withClasses(0);
            }
            default -> throw new IllegalStateException("Unknown --conditional value " + config.conditional() + ".");
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

    /** A snapshot of the trainer's state. */
    public TrainerStatus status() {
        return loop.status();
    }

    /** The HTTP port actually bound. */
    public int port() {
        return http.port();
    }

    /** Waits until the training thread ends (max steps reached, failure, or close). */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return thread.join(timeout);
    }

    @Override
    public String name() {
        return "trainer";
    }

    @Override
    public void close() {
        parts.closeOnce("The trainer did not close cleanly; the suppressed exceptions say which part failed.");
    }
}
