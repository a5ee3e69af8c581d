package dev.ganpipe.generator.stream;

import dev.ganpipe.common.kafka.KafkaAccessException;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.generator.images.Generation;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running request stream: the {@link RequestTopology} in a {@link KafkaStreams} client, its state for
 * readiness and its client metrics. A missing {@code synthetic.requests} topic is waited for (the stream thread is
 * replaced until it appears); any other error that escapes the topology's own handling stops the client, and
 * readiness stays false with the reason in the log, rather than retrying the same record forever.
 */
public final class RequestStream implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RequestStream.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final AtomicReference<KafkaStreams.State> state;

    private RequestStream(KafkaStreams streams, KafkaStreamsMetrics streamsMetrics, AtomicReference<KafkaStreams.State> state) {
        this.streams = streams;
        this.streamsMetrics = streamsMetrics;
        this.state = state;
    }

    /**
     * Starts the Streams client and returns without waiting for it to be RUNNING (see {@link #running()}).
     *
     * @param applicationId the Streams application id
     * @param maxCount the most images one request may ask for
     */
    public static RequestStream start(KafkaSettings kafka, String applicationId, TopicCatalog topics, Generation generation, int maxCount,
            MeterRegistry meters, Clock clock) {
        RequestMetrics metrics = new RequestMetrics(meters);
        KafkaStreams streams = new KafkaStreams(RequestTopology.buildTopology(topics, generation, maxCount, metrics, clock),
                RequestTopology.streamsConfig(kafka, applicationId, topics, metrics, clock));
        AtomicReference<KafkaStreams.State> state = new AtomicReference<>(streams.state());
        streams.setStateListener((now, before) -> {
            state.set(now);
            LOG.info("Request stream ({} -> {}): {} -> {}", topics.syntheticRequests(), topics.syntheticImages(), before, now);
        });
        streams.setUncaughtExceptionHandler(e -> {
            if (e instanceof MissingSourceTopicException || e.getCause() instanceof MissingSourceTopicException) {
                LOG.warn("The requests topic '{}' does not exist yet; waiting for it (create it, e.g. with 'gan broker', which creates "
                        + "every pipeline topic). Until then /readyz reports not ready.", topics.syntheticRequests());
                return StreamThreadExceptionResponse.REPLACE_THREAD;
            }
            Optional<KafkaAccessException> denied = KafkaAccessException.of(e, kafka);
            if (denied.isPresent()) {
                // A refused login or a missing ACL (e.g. on the transactional ids) is said as such, in one sentence.
                LOG.error("The request stream stopped: {} /readyz reports not ready until the service is restarted.",
                        denied.get().getMessage(), e);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            LOG.error("The request stream stopped on an unexpected error; /readyz reports not ready until the service is restarted.", e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        try {
            streamsMetrics.bindTo(meters);
            streams.start();
        } catch (RuntimeException e) {
            streamsMetrics.close();
            streams.close(CLOSE_TIMEOUT);
            throw e;
        }
        return new RequestStream(streams, streamsMetrics, state);
    }

    /** Whether the stream is RUNNING (partitions assigned, processing). */
    public boolean running() {
        return state.get() == KafkaStreams.State.RUNNING;
    }

    /** The Streams client's state. */
    public KafkaStreams.State state() {
        return state.get();
    }

    /** Stops the Streams client (committing what it processed); safe to call twice. */
    @Override
    public void close() {
        try {
            streamsMetrics.close();
        } finally {
            if (!streams.close(CLOSE_TIMEOUT)) {
                LOG.warn("The request stream did not stop within {} s; its threads end with the JVM.", CLOSE_TIMEOUT.toSeconds());
            }
        }
    }
}
