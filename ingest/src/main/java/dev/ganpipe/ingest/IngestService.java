package dev.ganpipe.ingest;

import dev.ganpipe.common.Service;
import dev.ganpipe.common.http.HttpService;
import dev.ganpipe.common.kafka.TopicSetup;
import dev.ganpipe.ingest.http.IngestRoutes;
import dev.ganpipe.ingest.publish.KafkaRawSink;
import dev.ganpipe.ingest.stream.IngestMetrics;
import dev.ganpipe.ingest.stream.NormalizerTopology;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running ingest service: the Kafka Streams normaliser and the HTTP upload API on one registry. Ready
 * ({@code /readyz} 200) while the Streams app is RUNNING. An exception that escapes the topology's own error
 * handling stops the Streams client (readiness then stays false and the log says why) rather than retrying the
 * same record forever.
 */
public final class IngestService implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final HttpService http;
    private final AtomicReference<KafkaStreams.State> state;
    private final Deque<AutoCloseable> resources;
    private final AtomicBoolean closed = new AtomicBoolean();

    private IngestService(HttpService http, AtomicReference<KafkaStreams.State> state, Deque<AutoCloseable> resources) {
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
        Deque<AutoCloseable> resources = new ArrayDeque<>();
        try {
            if (config.createTopics()) {
                try (Admin admin = Admin.create(config.kafka().admin(config.applicationId() + "-admin"))) {
                    TopicSetup.ensure(admin, config.topics(), config.topicPartitions(), config.topicReplication());
                }
            }
            IngestMetrics metrics = new IngestMetrics(registry);
            KafkaStreams streams = new KafkaStreams(NormalizerTopology.buildTopology(config, metrics, clock),
                    NormalizerTopology.streamsConfig(config, metrics, clock));
            AtomicReference<KafkaStreams.State> state = new AtomicReference<>(streams.state());
            streams.setStateListener((now, before) -> {
                state.set(now);
                LOG.info("Ingest normaliser: {} -> {}", before, now);
            });
            streams.setUncaughtExceptionHandler(e -> {
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

            KafkaRawSink sink = KafkaRawSink.create(config.kafka(), config.applicationId() + "-uploads", config.topics().raw(),
                    NormalizerTopology.EVENT_SOURCE, clock);
            resources.push(sink);
            KafkaClientMetrics producerMetrics = new KafkaClientMetrics(sink.producer());
            producerMetrics.bindTo(registry);
            resources.push(producerMetrics);

            streams.start();
            HttpService http = HttpService.start("ingest", config.httpHost(), config.port(),
                    IngestRoutes.routes(sink, config.uploadPolicy(), registry, () -> state.get() == KafkaStreams.State.RUNNING),
                    registry, "gan.ingest.http");
            resources.push(http);
            return new IngestService(http, state, resources);
        } catch (RuntimeException e) {
            closeAll(resources, e);
            throw e;
        }
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
        if (closed.compareAndSet(false, true)) {
            RuntimeException failure = new IllegalStateException("Closing the ingest service failed; see the suppressed exceptions.");
            closeAll(resources, failure);
            if (failure.getSuppressed().length > 0) {
                throw failure;
            }
            LOG.info("Ingest service stopped");
        }
    }

    /** Closes in reverse start order, adding failures to {@code failure} as suppressed exceptions. */
    private static void closeAll(Deque<AutoCloseable> resources, Throwable failure) {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }
}
