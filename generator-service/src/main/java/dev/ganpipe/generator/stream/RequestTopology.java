package dev.ganpipe.generator.stream;

import dev.ganpipe.common.kafka.CloudEvents;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.Topic;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.streams.DeadLetterLimit;
import dev.ganpipe.common.streams.DeadLetters;
import dev.ganpipe.common.streams.FailureWording;
import dev.ganpipe.common.streams.StreamsHandlerContext;
import dev.ganpipe.generator.images.Generation;
import java.time.Clock;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * The request stream as a Kafka Streams application: one source ({@code synthetic.requests}), one processor, two
 * sinks ({@code synthetic.images} and the dead-letter topic {@code images.dlq}). Exactly-once processing (from
 * {@link KafkaSettings#streams}) makes a request's images appear once, all together, or not at all, and a request
 * is either answered or dead-lettered, never both.
 *
 * <p>Requests are read as bytes rather than through the topic's string serdes: a dead letter must carry the original
 * bytes unchanged, and a value that is not UTF-8 is a malformed request, not a stream failure.
 */
public final class RequestTopology {

    /** The CloudEvents source of every record the generator service produces. */
    public static final String EVENT_SOURCE = "/gan/generator";

    static final String SOURCE = "synthetic-requests-source";
    static final String PROCESSOR = "generate";
    static final String IMAGES_SINK = "synthetic-images-sink";
    static final String DLQ_SINK = "images-dlq-sink";
    /**
     * The most original bytes a dead letter keeps. A request may have {@link SyntheticRequest#MAX_BYTES} at most, so
     * a larger one holds nothing worth keeping whole, and one near the topic's {@code max.message.bytes} would make a
     * dead letter the broker refuses, which under exactly-once fails the transaction and stops the stream for good.
     */
    static final int MAX_KEPT_BYTES = 64 * 1024;
    /** How the error handler names what it failed on. */
    static final FailureWording WORDING = new FailureWording("generator service", "request", "resend it, and report it if it fails again.");

    private RequestTopology() {
    }

    /**
     * The topology.
     *
     * @param topics topic names
     * @param generation makes the images from the live model
     * @param maxCount the most images one request may ask for
     * @param metrics where outcomes are counted
     * @param clock time of the {@code ce_time} headers
     */
    public static Topology buildTopology(TopicCatalog topics, Generation generation, int maxCount, RequestMetrics metrics, Clock clock) {
        Topic<String, byte[]> images = topics.synthetic();
        Topic<byte[], byte[]> dlq = topics.dlq();
        CloudEvents events = new CloudEvents(EVENT_SOURCE, clock);
        DeadLetters deadLetters = deadLetters(dlq.name(), events);

        Topology topology = new Topology();
        topology.addSource(SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), topics.requests().name());
        topology.addProcessor(PROCESSOR, () -> new RequestProcessor(generation, maxCount, metrics, events, deadLetters), SOURCE);
        topology.addSink(IMAGES_SINK, images.name(), images.keySerde().serializer(), images.valueSerde().serializer(), PROCESSOR);
        topology.addSink(DLQ_SINK, dlq.name(), dlq.keySerde().serializer(), dlq.valueSerde().serializer(), PROCESSOR);
        return topology;
    }

    /**
     * The Streams config: exactly-once v2 (from the shared Kafka settings), one stream thread, and an error handler
     * that dead-letters a record the processor fails on instead of stopping the stream. A refused output is not
     * skipped: that would leave half an answer, where exactly-once promises all of a request's images or none.
     *
     * @param applicationId the Streams application id (consumer group and transactional id prefix)
     */
    public static Properties streamsConfig(KafkaSettings kafka, String applicationId, TopicCatalog topics, RequestMetrics metrics, Clock clock) {
        Properties props = kafka.streams(applicationId);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
        new StreamsHandlerContext(deadLetters(topics.imagesDlq(), new CloudEvents(EVENT_SOURCE, clock)), RequestRejectReason.INTERNAL,
                WORDING, kind -> metrics.rejected(RequestRejectReason.INTERNAL)).install(props, false);
        return props;
    }

    /**
     * Dead letters of requests, on the pipeline's one dead-letter topic: CloudEvents type
     * {@value CloudEvents#TYPE_REQUEST_REJECTED}, which tells them apart from rejected images, JSON unless the request
     * says otherwise, and at most {@link #MAX_KEPT_BYTES} original bytes.
     */
    static DeadLetters deadLetters(String topic, CloudEvents events) {
        return new DeadLetters(topic, events, CloudEvents.TYPE_REQUEST_REJECTED, value -> "application/json",
                DeadLetterLimit.valueCap(MAX_KEPT_BYTES));
    }
}
