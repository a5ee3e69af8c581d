package dev.ganpipe.trainer;

import dev.ganpipe.common.Service;
import dev.ganpipe.common.http.HttpService;
import dev.ganpipe.common.model.ModelDirectory;
import dev.ganpipe.trainer.data.BatchAssembler;
import dev.ganpipe.trainer.data.ReplayBuffer;
import dev.ganpipe.trainer.data.TrainingFeed;
import dev.ganpipe.trainer.gan.GanTrainingCore;
import dev.ganpipe.trainer.loop.SampleGrids;
import dev.ganpipe.trainer.loop.TrainerMetrics;
import dev.ganpipe.trainer.loop.TrainerStatus;
import dev.ganpipe.trainer.loop.TrainingLoop;
import dev.ganpipe.trainer.publish.ModelPublisher;
import dev.ganpipe.trainer.publish.PublishedVersions;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running trainer: feed, networks, training thread, publisher and HTTP server, wired by hand. */
public final class TrainerService implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerService.class);

    private final GanTrainingCore core;
    private final TrainingFeed feed;
    private final ModelPublisher publisher;
    private final TrainingLoop loop;
    private final Thread thread;
    private final HttpService http;
    private volatile boolean closed;

    private TrainerService(GanTrainingCore core, TrainingFeed feed, ModelPublisher publisher, TrainingLoop loop,
            Thread thread, HttpService http) {
        this.core = core;
        this.feed = feed;
        this.publisher = publisher;
        this.loop = loop;
        this.thread = thread;
        this.http = http;
    }

    /** Starts training in the background and serves the HTTP API. */
    public static TrainerService start(TrainerConfig config, PrometheusMeterRegistry registry) {
        Clock clock = Clock.systemUTC();
        ModelDirectory models = new ModelDirectory(config.modelsDir());
        long published = PublishedVersions.latest(config.modelName(), models, config.kafka(), config.topics().models());
        GanTrainingCore core = new GanTrainingCore(config.gan());
        TrainingFeed feed = new TrainingFeed(config.kafka(), config.groupId(), config.topics().train(), config.shape(),
                Math.max(4 * config.batchSize(), 1024), registry);
        ReplayBuffer replay = new ReplayBuffer(config.replayCapacity(), config.gan().seed());
        BatchAssembler batches = new BatchAssembler(feed, replay, config.batchSize(), config.shape().values(),
                config.replayRatio(), config.idlePolicy(), config.batchSize());
        ModelPublisher publisher = new ModelPublisher(config.modelName(), models, config.keepModels(), config.kafka(),
                config.topics().models(), published, clock, registry);
        SampleGrids samples = new SampleGrids(config.samplesDir(), config.shape());
        TrainerMetrics metrics = new TrainerMetrics(registry, replay::size, feed::lag);
        TrainingLoop loop = new TrainingLoop(core, batches, feed, publisher, samples, metrics, config.schedule(),
                config.shape(), core.device().toString(), clock);
        Thread thread = Thread.ofPlatform().name("trainer-loop").unstarted(loop);
        HttpService http = HttpService.start("trainer", config.host(), config.port(), TrainerRoutes.routes(loop, samples, registry),
                registry, "gan.trainer.http");
        feed.start();
        thread.start();
        LOG.info("Trainer started: {} on {}, batch {}, exports every {} steps or {}, next model version {}",
                config.modelName(), core.device(), config.batchSize(), config.schedule().exportEverySteps(),
                config.schedule().exportEvery(), published + 1);
        return new TrainerService(core, feed, publisher, loop, thread, http);
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
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        loop.stop();
        try {
            if (!thread.join(Duration.ofSeconds(60))) {
                LOG.warn("The training thread did not stop within 60 s; closing anyway.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.close();
        feed.close();
        publisher.close();
        core.close();
    }
}
