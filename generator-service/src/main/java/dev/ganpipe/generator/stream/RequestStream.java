package dev.ganpipe.generator.stream;

import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.generator.images.Generation;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running request stream: the {@link RequestTopology} in a {@link KafkaStreams} client, its state for
 * readiness and its client metrics. A missing {@code synthetic.requests} topic is waited for (the stream thread is
 * replaced until it appears); any other error that escapes the topology's own handling (a missing ACL, a refused
 * login, a bug) stops the client rather than retrying the same record forever: {@link #problem()} then says why and
 * what to do, in the sentence {@code /readyz} answers and the one ERROR line logged when it stopped, and
 * {@code gan_generator_stream_stopped} is 1. A stopped client cannot start again; the service needs a restart.
 */
public final class RequestStream implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RequestStream.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final RequestStreamHealth health;

    private RequestStream(KafkaStreams streams, KafkaStreamsMetrics streamsMetrics, RequestStreamHealth health) {
        this.streams = streams;
        this.streamsMetrics = streamsMetrics;
        this.health = health;
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
        RequestStreamHealth health = new RequestStreamHealth(kafka, applicationId, topics, streams.state(), meters);
        streams.setStateListener(health::onStateChange);
        streams.setUncaughtExceptionHandler(health::onUncaughtException);
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        try {
            streamsMetrics.bindTo(meters);
            streams.start();
        } catch (RuntimeException e) {
            health.closing();
            streamsMetrics.close();
            streams.close(CLOSE_TIMEOUT);
            throw e;
        }
        return new RequestStream(streams, streamsMetrics, health);
    }

    /** Whether the stream is RUNNING (partitions assigned, processing). */
    public boolean running() {
        return health.running();
    }

    /** The Streams client's state. */
    public KafkaStreams.State state() {
        return health.state();
    }

    /**
     * Why the stream has stopped for good, as one sentence naming the cause and what to do (for a missing ACL: which
     * one, and the {@code kafka-acls} line that grants it); empty while it runs, starts or rebalances.
     */
    public Optional<String> problem() {
        return health.problem();
    }

    /** Stops the Streams client (committing what it processed); safe to call twice. */
    @Override
    public void close() {
        health.closing();
        try {
            streamsMetrics.close();
        } finally {
            if (!streams.close(CLOSE_TIMEOUT)) {
                LOG.warn("The request stream did not stop within {} s; its threads end with the JVM.", CLOSE_TIMEOUT.toSeconds());
            }
        }
    }
}
