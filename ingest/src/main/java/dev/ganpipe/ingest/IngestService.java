package dev.ganpipe.ingest;

import dev.ganpipe.common.Service;
import dev.ganpipe.common.StartedParts;
import dev.ganpipe.common.http.HttpError;
import dev.ganpipe.common.http.HttpLimits;
import dev.ganpipe.common.http.HttpService;
import dev.ganpipe.common.kafka.BrokerWatch;
import dev.ganpipe.common.kafka.KafkaAccessException;
import dev.ganpipe.common.kafka.TopicSetup;
import dev.ganpipe.common.streams.DeadLetterLimit;
import dev.ganpipe.images.normalize.ImageNormalizer;
import dev.ganpipe.ingest.http.IngestRoutes;
import dev.ganpipe.ingest.http.UploadHealth;
import dev.ganpipe.ingest.publish.KafkaRawSink;
import dev.ganpipe.ingest.stream.IngestMetrics;
import dev.ganpipe.ingest.stream.NormalizerTopology;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running ingest service: the Kafka Streams normaliser and the HTTP upload API on one registry. Ready
 * ({@code /readyz} 200) while the Streams app is RUNNING; before that {@code /readyz} answers 503 with the reason, e.g.
 * that the broker is unreachable (the service starts without it, waits, and becomes ready once it answers). An
 * exception that escapes the topology's own error handling stops the Streams client (readiness then stays false and
 * the log says why) rather than retrying the same record forever.
 */
public final class IngestService implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final HttpService http;
    private final AtomicReference<KafkaStreams.State> state;
    private final StartedParts resources;

    private IngestService(HttpService http, AtomicReference<KafkaStreams.State> state, StartedParts resources) {
        this.http = http;
        this.state = state;
        this.resources = resources;
    }

    /**
     * Creates missing topics (when configured), starts the Streams app and the HTTP server, and returns without
     * waiting for the Streams app to be RUNNING (see {@link #ready()}).
     *
     * @param registry the service's registry: ingest meters, Kafka client meters and {@code /metrics}
     */
    public static IngestService start(IngestConfig config, PrometheusMeterRegistry registry) {
        return start(config, registry, Clock.systemUTC());
    }

    /** As {@link #start(IngestConfig, PrometheusMeterRegistry)}, with the clock of the {@code ce_time} headers. */
    public static IngestService start(IngestConfig config, PrometheusMeterRegistry registry, Clock clock) {
        StartedParts resources = new StartedParts();
        try {
            BrokerWatch broker = BrokerWatch.start(config.kafka(), "ingest");
            resources.push(broker);
            IngestMetrics metrics = new IngestMetrics(registry);
            DeadLetterLimit dlqLimit = DeadLetterLimit.kafkaDefault();
            KafkaStreams streams = new KafkaStreams(NormalizerTopology.buildTopology(config, metrics, clock, dlqLimit),
                    NormalizerTopology.streamsConfig(config, metrics, clock, dlqLimit));
            AtomicReference<KafkaStreams.State> state = new AtomicReference<>(streams.state());
            AtomicReference<String> failure = new AtomicReference<>();
            streams.setStateListener((now, before) -> {
                state.set(now);
                LOG.info("Ingest normaliser: {} -> {}", before, now);
            });
            streams.setUncaughtExceptionHandler(e -> {
                // A refused login or a missing ACL (e.g. on the transactional ids) is said as such, in one sentence.
                Optional<KafkaAccessException> denied = KafkaAccessException.of(e, config.kafka());
                if (denied.isPresent()) {
                    failure.set("The ingest normaliser stopped: " + denied.get().getMessage());
                    LOG.error("The ingest normaliser stopped: {} /readyz reports not ready until the service is restarted.",
                            denied.get().getMessage(), e);
                    return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
                }
                failure.set("The ingest normaliser stopped on an unexpected error (" + e + "); restart the service, and see its log.");
                LOG.error("The ingest normaliser stopped on an unexpected error; /readyz reports not ready until it is restarted.", e);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            // Leave the consumer group on close: a restarted or replacement instance then gets the partitions at once,
            // not after the group's session timeout (45 s by default) has declared this one dead.
            resources.push(() -> streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(CLOSE_TIMEOUT)));
            KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
            streamsMetrics.bindTo(registry);
            resources.push(streamsMetrics);

            KafkaRawSink sink = KafkaRawSink.create(config.kafka(), config.kafka().clientId(config.applicationId() + "-uploads"), config.topics().raw(),
                    NormalizerTopology.EVENT_SOURCE, clock, TopicSetup.maxRecordBytes(config.normalizer().maxBytes()));
            resources.push(sink);
            KafkaClientMetrics producerMetrics = new KafkaClientMetrics(sink.producer());
            producerMetrics.bindTo(registry);
            resources.push(producerMetrics);

            UploadHealth uploads = new UploadHealth(Clock.systemUTC()); // real time: the ce_time clock may be a fixed one in tests
            HttpService http = HttpService.start(config.http().applyTo(new HttpService.Options("ingest", config.httpHost(), config.port(),
                    IngestRoutes.routes(sink, config.uploadPolicy(), registry, () -> ready(state, broker, failure, uploads), uploads,
                            new ImageNormalizer(config.normalizer())),
                    registry, "gan.ingest.http",
                    // The server-wide body cap follows ingest's own upload limits, whichever is larger.
                    HttpLimits.defaults().withMaxBodyBytes(Math.max(config.maxUploadBytes(), config.normalizer().maxBytes())))));
            resources.push(http);
            // The broker may not be up yet: topics and the Streams app wait for it off the caller's thread, so that
            // /readyz answers (503, saying why) meanwhile and the service becomes ready by itself once it is.
            Thread starter = Thread.ofPlatform().name("ingest-start").daemon(true)
                    .start(() -> startWhenBrokerAnswers(config, broker, streams, dlqLimit, failure));
            resources.push(() -> {
                starter.interrupt();
                starter.join(CLOSE_TIMEOUT.toMillis());
            });
            return new IngestService(http, state, resources);
        } catch (RuntimeException e) {
            resources.closeAfterFailedStart(e);
            throw e;
        }
    }

    /**
     * Waits for the broker, creates missing topics when configured, learns the dead-letter topic's size limit, then
     * starts the Streams app.
     */
    private static void startWhenBrokerAnswers(IngestConfig config, BrokerWatch broker, KafkaStreams streams, DeadLetterLimit dlqLimit,
            AtomicReference<String> failure) {
        try {
            if (!broker.awaitReachable()) {
                return;
            }
            prepareTopics(config, dlqLimit, failure);
            streams.start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure.set("The ingest normaliser could not start: " + e.getMessage() + " Fix that, then restart the service.");
            LOG.error("The ingest normaliser could not start; /readyz reports not ready until the service is restarted.", e);
        }
    }

    /**
     * Creates missing topics (when configured) and learns the dead-letter topic's limit, retrying every
     * {@link BrokerWatch#RETRY_EVERY} until that works (a broker that has just started, a permission being granted),
     * with one log line for the first failure and the reason on {@code /readyz} meanwhile.
     */
    private static void prepareTopics(IngestConfig config, DeadLetterLimit dlqLimit, AtomicReference<String> failure)
            throws InterruptedException {
        boolean logged = false;
        while (true) {
            try (Admin admin = Admin.create(config.kafka().admin(config.kafka().clientId(config.applicationId() + "-admin")))) {
                if (config.createTopics()) {
                    TopicSetup.ensure(admin, config.topics(), config.topicPartitions(), config.topicReplication(), config.normalizer().maxBytes());
                }
                dlqLimit.learn(admin, config.topics().imagesDlq());
                warnIfTheRawTopicIsSmaller(admin, config);
                failure.set(null);
                return;
            } catch (RuntimeException e) {
                failure.set("The ingest normaliser waits for its topics: " + e.getMessage() + " It retries every "
                        + BrokerWatch.RETRY_EVERY.toSeconds() + " s.");
                if (!logged) {
                    logged = true;
                    LOG.warn("Preparing the ingest topics failed; retrying every {} s without logging each try.",
                            BrokerWatch.RETRY_EVERY.toSeconds(), e);
                }
            }
            Thread.sleep(BrokerWatch.RETRY_EVERY.toMillis());
        }
    }

    /** A raw topic made before with less room than {@code --max-bytes} refuses the larger uploads: say so once, at start. */
    private static void warnIfTheRawTopicIsSmaller(Admin admin, IngestConfig config) throws InterruptedException {
        String raw = config.topics().imagesRaw();
        try {
            TopicSetup.imageLimitProblem(admin, raw, config.normalizer().maxBytes()).ifPresent(LOG::warn);
        } catch (ExecutionException | TimeoutException | NumberFormatException e) {
            LOG.warn("Cannot read max.message.bytes of {} ({}), so cannot check that it holds images of --max-bytes {}. Grant "
                    + "DescribeConfigs on the topic to have it checked.", raw, e.toString(), config.normalizer().maxBytes());
        }
    }

    /**
     * True when the normaliser runs and the broker stores uploads; otherwise throws the 503 with the most useful reason
     * for {@code /readyz}.
     */
    private static boolean ready(AtomicReference<KafkaStreams.State> state, BrokerWatch broker, AtomicReference<String> failure,
            UploadHealth uploads) {
        if (state.get() == KafkaStreams.State.RUNNING) {
            // Streams keeps RUNNING while the cluster refuses writes (below min.insync.replicas); the uploads notice.
            uploads.problem().ifPresent(problem -> {
                throw HttpError.notReady(problem);
            });
            return true;
        }
        String reason = failure.get();
        if (reason == null) {
            reason = broker.problem().orElse(null);
        }
        if (reason != null) {
            // The standard route's own sentence is generic; this one says what is wrong.
            throw HttpError.notReady(reason);
        }
        return false;
    }

    @Override
    public String name() {
        return "ingest";
    }

    /** Whether the normaliser is RUNNING (partitions assigned, processing). */
    public boolean ready() {
        return state.get() == KafkaStreams.State.RUNNING;
    }

    /** The Streams app's state. */
    public KafkaStreams.State state() {
        return state.get();
    }

    /** The HTTP port (useful when configured as 0). */
    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        if (resources.closeOnce("Closing the ingest service failed; see the suppressed exceptions.")) {
            LOG.info("Ingest service stopped");
        }
    }
}
