package dev.ganpipe.ingest.stream;

import dev.ganpipe.common.kafka.CloudEvents;
import dev.ganpipe.common.kafka.Topic;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.ingest.IngestConfig;
import dev.ganpipe.ingest.normalize.ImageNormalizer;
import java.time.Clock;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * The normaliser as a Kafka Streams application: one source ({@code images.raw}), one processor, two sinks
 * ({@code images.train}, {@code images.dlq}). Exactly-once processing comes from
 * {@link dev.ganpipe.common.kafka.KafkaSettings#streams}: an image is on exactly one of the two output topics, once.
 */
public final class NormalizerTopology {

    /** The CloudEvents source of every record ingest produces. */
    public static final String EVENT_SOURCE = "/gan/ingest";

    static final String SOURCE = "images-raw-source";
    static final String PROCESSOR = "normalize";
    static final String TRAIN_SINK = "images-train-sink";
    static final String DLQ_SINK = "images-dlq-sink";

    private NormalizerTopology() {
    }

    /**
     * The topology.
     *
     * @param config topics and normaliser settings
     * @param metrics where outcomes are counted
     * @param clock time of the {@code ce_time} headers
     */
    public static Topology buildTopology(IngestConfig config, IngestMetrics metrics, Clock clock) {
        TopicCatalog topics = config.topics();
        Topic<byte[], byte[]> raw = topics.raw();
        Topic<String, byte[]> train = topics.train();
        Topic<byte[], byte[]> dlq = topics.dlq();
        ImageNormalizer normalizer = new ImageNormalizer(config.normalizer());
        CloudEvents events = new CloudEvents(EVENT_SOURCE, clock);
        DeadLetters deadLetters = new DeadLetters(dlq.name(), events);

        Topology topology = new Topology();
        topology.addSource(SOURCE, raw.keySerde().deserializer(), raw.valueSerde().deserializer(), raw.name());
        topology.addProcessor(PROCESSOR, () -> new NormalizeProcessor(normalizer, metrics, events, deadLetters), SOURCE);
        topology.addSink(TRAIN_SINK, train.name(), train.keySerde().serializer(), train.valueSerde().serializer(), PROCESSOR);
        topology.addSink(DLQ_SINK, dlq.name(), dlq.keySerde().serializer(), dlq.valueSerde().serializer(), PROCESSOR);
        return topology;
    }

    /**
     * The Streams config: exactly-once v2 (from the shared Kafka settings), the thread count and state directory,
     * and error handlers that send unprocessable records to the dead-letter topic instead of stopping the stream.
     */
    public static Properties streamsConfig(IngestConfig config, IngestMetrics metrics, Clock clock) {
        Properties props = config.kafka().streams(config.applicationId());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(config.streamThreads()));
        config.stateDir().ifPresent(dir -> props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString()));
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, UnprocessableRecordHandler.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, UnprocessableRecordHandler.class.getName());
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, ProductionFailureHandler.class.getName());
        // No global stores today; enabled so that one added later is covered too. It becomes the default (and the
        // option goes away, hence its deprecated constant) in Kafka 5.0; until then Streams warns when it is unset.
        props.put("processing.exception.handler.global.enabled", "true");
        props.put(StreamsHandlerContext.CONFIG_KEY, new StreamsHandlerContext(metrics,
                new DeadLetters(config.topics().imagesDlq(), new CloudEvents(EVENT_SOURCE, clock))));
        return props;
    }
}
