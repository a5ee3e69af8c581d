package dev.ganpipe.ingest.stream;

import dev.ganpipe.common.kafka.CloudEvents;
import dev.ganpipe.common.kafka.Topic;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.streams.DeadLetterLimit;
import dev.ganpipe.common.streams.DeadLetters;
import dev.ganpipe.common.streams.FailureWording;
import dev.ganpipe.common.streams.StreamsHandlerContext;
import dev.ganpipe.images.normalize.ImageNormalizer;
import dev.ganpipe.images.normalize.ImageRejectReason;
import dev.ganpipe.images.normalize.InputImageFormat;
import dev.ganpipe.ingest.IngestConfig;
import java.time.Clock;
import java.util.Properties;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * The normaliser as a Kafka Streams application: {@code images.raw} → normalise → accepted images to
 * {@code images.train}, rejects to {@code images.dlq}. With {@code --dedup} on, accepted images are repartitioned by
 * image id (an internal topic Streams creates and purges) and pass the duplicate filter before {@code images.train}.
 * Exactly-once processing comes from {@link dev.ganpipe.common.kafka.KafkaSettings#streams}: an image is on exactly
 * one of the two output topics (or counted as a duplicate), once.
 */
public final class NormalizerTopology {

    /** The CloudEvents source of every record ingest produces. */
    public static final String EVENT_SOURCE = "/gan/ingest";

    static final String SOURCE = "images-raw-source";
    static final String PROCESSOR = "normalize";
    /** The node the normaliser forwards accepted images to. */
    static final String ACCEPTED = "accepted";
    /** The node the normaliser forwards rejected input to. */
    static final String REJECTED = "rejected";
    /** The repartition by image id in front of the duplicate filter (topic {@code <application.id>-images-by-id-repartition}). */
    static final String BY_IMAGE_ID = "images-by-id";
    static final String DEDUP = "dedup";
    static final String TRAIN_SINK = "images-train-sink";
    static final String DLQ_SINK = "images-dlq-sink";
    /** How the error handlers name what they failed on. */
    static final FailureWording WORDING = new FailureWording("ingest service", "record", "report it with the record, then replay it.");

    private static final String OCTET_STREAM = "application/octet-stream";

    private NormalizerTopology() {
    }

    /**
     * The topology.
     *
     * @param config topics, normaliser and duplicate filter settings
     * @param metrics where outcomes are counted
     * @param clock time of the {@code ce_time} headers
     */
    public static Topology buildTopology(IngestConfig config, IngestMetrics metrics, Clock clock) {
        return buildTopology(config, metrics, clock, DeadLetterLimit.unlimited());
    }

    /** As {@link #buildTopology(IngestConfig, IngestMetrics, Clock)}, with dead letters kept under {@code limit}. */
    public static Topology buildTopology(IngestConfig config, IngestMetrics metrics, Clock clock, DeadLetterLimit limit) {
        TopicCatalog topics = config.topics();
        Topic<byte[], byte[]> raw = topics.raw();
        Topic<String, byte[]> train = topics.train();
        Topic<byte[], byte[]> dlq = topics.dlq();
        ImageNormalizer normalizer = new ImageNormalizer(config.normalizer());
        CloudEvents events = new CloudEvents(EVENT_SOURCE, clock);
        DeadLetters deadLetters = deadLetters(dlq.name(), events, limit);
        DedupSettings dedup = config.dedup();

        StreamsBuilder builder = new StreamsBuilder();
        KStream<Object, byte[]> judged = builder.stream(raw.name(), Consumed.with(raw.keySerde(), raw.valueSerde()).withName(SOURCE))
                .process(() -> new NormalizeProcessor(normalizer, metrics, events, deadLetters, !dedup.enabled()), Named.as(PROCESSOR));
        // The normaliser forwards each record to exactly one of these two by name; they only restore the key's type.
        KStream<String, byte[]> accepted = judged.map((key, value) -> KeyValue.pair((String) key, value), Named.as(ACCEPTED));
        judged.map((key, value) -> KeyValue.pair((byte[]) key, value), Named.as(REJECTED))
                .to(dlq.name(), Produced.with(dlq.keySerde(), dlq.valueSerde()).withName(DLQ_SINK));
        if (dedup.enabled()) {
            accepted = accepted
                    .repartition(Repartitioned.with(train.keySerde(), train.valueSerde()).withName(BY_IMAGE_ID))
                    .process(DeduplicateProcessor.supplier(metrics, dedup.window()), Named.as(DEDUP));
        }
        accepted.to(train.name(), Produced.with(train.keySerde(), train.valueSerde()).withName(TRAIN_SINK));
        return builder.build();
    }

    /**
     * The Streams config: exactly-once v2 (from the shared Kafka settings), the thread count and state directory,
     * and error handlers that send unprocessable records to the dead-letter topic instead of stopping the stream.
     */
    public static Properties streamsConfig(IngestConfig config, IngestMetrics metrics, Clock clock) {
        return streamsConfig(config, metrics, clock, DeadLetterLimit.unlimited());
    }

    /** As {@link #streamsConfig(IngestConfig, IngestMetrics, Clock)}, with dead letters kept under {@code limit}. */
    public static Properties streamsConfig(IngestConfig config, IngestMetrics metrics, Clock clock, DeadLetterLimit limit) {
        Properties props = config.kafka().streams(config.applicationId());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(config.streamThreads()));
        config.stateDir().ifPresent(dir -> props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString()));
        // A refused output (a dead letter over the topic's limit) is skipped: each record stands alone here.
        new StreamsHandlerContext(deadLetters(config.topics().imagesDlq(), new CloudEvents(EVENT_SOURCE, clock), limit),
                ImageRejectReason.INTERNAL, WORDING, metrics::streamError).install(props, true);
        return props;
    }

    /**
     * Dead letters of rejected images: CloudEvents type {@value CloudEvents#TYPE_IMAGE_REJECTED}, the content type
     * sniffed from the original bytes when it carries none, the original bytes kept under {@code limit}.
     */
    public static DeadLetters deadLetters(String topic, CloudEvents events, DeadLetterLimit limit) {
        return new DeadLetters(topic, events, CloudEvents.TYPE_IMAGE_REJECTED, value -> value == null ? OCTET_STREAM
                : InputImageFormat.sniff(value).map(InputImageFormat::mediaType).orElse(OCTET_STREAM), limit);
    }
}
