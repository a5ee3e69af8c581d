package dev.ganpipe.ingest.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ganpipe.common.kafka.CloudEvents;
import dev.ganpipe.common.kafka.GanHeaders;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.metrics.MetricNames;
import dev.ganpipe.common.streams.ProductionFailureHandler;
import dev.ganpipe.ingest.IngestConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Streams config of the normaliser keeps a failing record from stopping the stream. The normaliser itself never
 * throws, so this drives the same config with a processor that does, and with a value the deserialiser refuses.
 */
class StreamErrorHandlersTest {

    private static final TopicCatalog TOPICS = TopicCatalog.defaults();

    @TempDir
    Path stateDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final IngestMetrics metrics = new IngestMetrics(registry);

    @Test
    void aRecordTheProcessorFailsOnIsDeadLetteredAndTheNextOneIsProcessed() {
        Topology topology = new Topology();
        topology.addSource("in", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), TOPICS.imagesRaw());
        topology.addProcessor("explode", () -> new Processor<byte[], byte[], byte[], byte[]>() {
            private ProcessorContext<byte[], byte[]> context;

            @Override
            public void init(ProcessorContext<byte[], byte[]> context) {
                this.context = context;
            }

            @Override
            public void process(Record<byte[], byte[]> record) {
                if (new String(record.value(), StandardCharsets.UTF_8).equals("boom")) {
                    throw new IllegalStateException("a bug");
                }
                context.forward(record);
            }
        }, "in");
        topology.addSink("out", TOPICS.imagesTrain(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(), "explode");

        try (TopologyTestDriver driver = new TopologyTestDriver(topology, config())) {
            TestInputTopic<byte[], byte[]> in = rawInput(driver);
            TestOutputTopic<byte[], byte[]> out = driver.createOutputTopic(TOPICS.imagesTrain(), Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
            TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic(TOPICS.imagesDlq(), Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
            in.pipeInput("k1".getBytes(StandardCharsets.UTF_8), "boom".getBytes(StandardCharsets.UTF_8));
            in.pipeInput("k2".getBytes(StandardCharsets.UTF_8), "fine".getBytes(StandardCharsets.UTF_8));

            assertThat(out.readValuesToList()).extracting(v -> new String(v, StandardCharsets.UTF_8)).containsExactly("fine");
            TestRecord<byte[], byte[]> dead = dlq.readRecord();
            assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("k1");
            assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("boom");
            assertThat(GanHeaders.text(dead.headers(), GanHeaders.ERROR_REASON)).hasValue("internal");
            assertThat(GanHeaders.text(dead.headers(), GanHeaders.ERROR_DETAIL)).hasValueSatisfying(d -> assertThat(d).contains("a bug"));
            assertThat(GanHeaders.text(dead.headers(), GanHeaders.SOURCE_OFFSET)).hasValue("0");
            assertThat(GanHeaders.text(dead.headers(), CloudEvents.TYPE)).hasValue(CloudEvents.TYPE_IMAGE_REJECTED);
        }
        assertThat(registry.get(IngestMetrics.STREAM_ERRORS).tag("kind", "processing").counter().count()).isEqualTo(1);
        assertThat(registry.get(MetricNames.INGEST_IMAGES).tag("reason", "internal").counter().count()).isEqualTo(1);
    }

    /**
     * The handler hands Streams a dead letter here too, but the test driver only captures what processors and
     * handlers produce while processing, not while deserialising; so this asserts the part the driver shows.
     */
    @Test
    void aRecordTheDeserialiserRefusesIsCountedAndTheStreamGoesOn() {
        Topology topology = new Topology();
        topology.addSource("in", Serdes.ByteArray().deserializer(), Serdes.Integer().deserializer(), TOPICS.imagesRaw());
        topology.addSink("out", TOPICS.imagesTrain(), Serdes.ByteArray().serializer(), Serdes.Integer().serializer(), "in");

        try (TopologyTestDriver driver = new TopologyTestDriver(topology, config())) {
            TestInputTopic<byte[], byte[]> in = rawInput(driver);
            TestOutputTopic<byte[], Integer> out = driver.createOutputTopic(TOPICS.imagesTrain(), Serdes.ByteArray().deserializer(), Serdes.Integer().deserializer());
            in.pipeInput("bad".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3});
            in.pipeInput("good".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 42});

            assertThat(out.readValuesToList()).containsExactly(42);
        }
        assertThat(registry.get(IngestMetrics.STREAM_ERRORS).tag("kind", "deserialization").counter().count()).isEqualTo(1);
    }

    @Test
    void theConfigIsExactlyOnceWithTheThreeHandlers() {
        Properties props = config();
        assertThat(props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(props.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("gan-ingest");
        assertThat(props.get(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG)).isEqualTo(ProductionFailureHandler.class.getName());
    }

    /** The raw topic as ingest's clients write it: bytes for key and value. */
    private static TestInputTopic<byte[], byte[]> rawInput(TopologyTestDriver driver) {
        return driver.createInputTopic(TOPICS.imagesRaw(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
    }

    private Properties config() {
        IngestConfig config = IngestConfig.parse(List.of("--state-dir", stateDir.toString()), Map.of());
        return NormalizerTopology.streamsConfig(config, metrics, Clock.systemUTC());
    }
}
