package dev.ganpipe.trainer;

import dev.ganpipe.common.Service;
import dev.ganpipe.common.StartedParts;
import dev.ganpipe.common.http.HttpError;
import dev.ganpipe.common.http.HttpLimits;
import dev.ganpipe.common.http.HttpService;
import dev.ganpipe.common.http.Routes;
import dev.ganpipe.common.kafka.BrokerWatch;
import dev.ganpipe.trainer.checkpoint.Architecture;
import dev.ganpipe.trainer.checkpoint.Checkpoint;
import dev.ganpipe.trainer.checkpoint.CheckpointException;
import dev.ganpipe.trainer.checkpoint.CheckpointStore;
import dev.ganpipe.trainer.data.FirstImage;
import dev.ganpipe.trainer.loop.TrainerStatus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running trainer: HTTP server, and the training half (feed, networks, training thread, publisher) wired by hand
 * once the networks' shape is decided, which may mean waiting for the first record on the training topic.
 */
public final class TrainerService implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerService.class);
    // How long the broker may take to answer before the trainer serves /readyz 503 while it waits.
    private static final Duration BROKER_GRACE = Duration.ofSeconds(5);

    private final TrainingStage stage;
    private final HttpService http;
    private final StartedParts parts;

    private TrainerService(TrainingStage stage, HttpService http, StartedParts parts) {
        this.stage = stage;
        this.http = http;
        this.parts = parts;
    }

    /**
     * Resumes from the newest checkpoint (if any), starts training in the background and serves the HTTP API. When
     * {@code --image-shape} or {@code --conditional} is {@code auto} and no checkpoint decides them, it returns at once
     * and training starts once the first record arrives on the training topic; until then {@code /v1/status} says
     * {@code waiting_for_data} and {@code /readyz} answers 503 saying so.
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
        Optional<TrainerConfig> decided = TrainingProfile.withoutData(requested, savedArchitecture);
        Optional<Checkpoint> resume = savedArchitecture.isPresent()
                ? store.loadForResume(Architecture.of(decided.orElseThrow().gan()))
                : Optional.empty();
        awaitBroker(requested, registry);
        if (savedArchitecture.isPresent()) {
            decided = decided.map(resumed -> TrainingProfile.namesOnResume(requested, resumed));
        }
        TrainingStage stage = new TrainingStage("The trainer waits for the first image on " + requested.topics().imagesTrain()
                + " (waiting_for_data): it decides the image shape and whether the GAN is conditional. Ingest images, e.g. "
                + "'./gan ingest PATH'.", requested.gan().augmentation().describe());
        StartedParts parts = new StartedParts();
        try {
            HttpService http = HttpService.start(requested.http().applyTo(new HttpService.Options("trainer", requested.host(),
                    requested.port(), TrainerRoutes.routes(stage, requested.quality().enabled(), registry), registry,
                    "gan.trainer.http", HttpLimits.defaults())));
            parts.push(http);
            if (decided.isPresent()) {
                Training training = Training.start(decided.get(), resume, store, registry, clock);
                stage.begin(training);
                parts.push(() -> stage.close().ifPresent(Training::close)); // closes first: the loop before the server
                return new TrainerService(stage, http, parts);
            }
            LOG.info("The trainer waits for the first image on {}: it decides {} (no checkpoint in {} says).",
                    requested.topics().imagesTrain(), requested.imageShape().isEmpty() ? "the image shape and whether the GAN is conditional"
                            : "whether the GAN is conditional", store.directory());
            Thread wait = Thread.ofPlatform().name("trainer-data-wait").unstarted(() -> startOnFirstImage(requested, stage, store, registry, clock));
            parts.push(() -> {
                // A training half begun after this close is closed by the wait thread itself (begin refuses it).
                Optional<Training> training = stage.close();
                wait.join(Duration.ofSeconds(30)); // the wait polls stage.waiting() every 200 ms
                training.ifPresent(Training::close);
            });
            wait.start();
            return new TrainerService(stage, http, parts);
        } catch (RuntimeException e) {
            parts.closeAfterFailedStart(e);
            throw e;
        }
    }

    /** The data-wait thread: reads the first record, decides the networks and starts training; a failure is reported, not thrown. */
    private static void startOnFirstImage(TrainerConfig requested, TrainingStage stage, CheckpointStore store,
            PrometheusMeterRegistry registry, Clock clock) {
        try {
            Optional<FirstImage> first = FirstImage.await(requested.kafka(), requested.topics().train(),
                    shape -> TrainingProfile.usable(requested, shape), stage::skipped, stage::waiting);
            if (first.isEmpty()) {
                return; // closed while waiting
            }
            Training training = Training.start(TrainingProfile.fromFirstImage(requested, first.get()), Optional.empty(), store,
                    registry, clock);
            if (!stage.begin(training)) {
                training.close(); // the trainer closed while the training half started
            }
        } catch (RuntimeException e) {
            LOG.error("The trainer could not start training: {}", e.getMessage(), e);
            stage.fail(e);
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

    /** A snapshot of the trainer's state. */
    public TrainerStatus status() {
        return stage.status();
    }

    /** The HTTP port actually bound. */
    public int port() {
        return http.port();
    }

    /**
     * Waits until the training thread ends (max steps reached, failure, or close), including any wait for the first
     * record before it starts; false when {@code timeout} passed first.
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!stage.awaitSettled(timeout)) {
            return false;
        }
        Optional<Training> training = stage.training();
        if (training.isEmpty()) {
            return true; // failed to start, or closed while waiting
        }
        return training.get().awaitTermination(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
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
