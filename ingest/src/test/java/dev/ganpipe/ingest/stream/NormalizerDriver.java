package dev.ganpipe.ingest.stream;

import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.metrics.MetricNames;
import dev.ganpipe.ingest.IngestConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The production normaliser topology on a {@link TopologyTestDriver}, with its three topics and its meters: what
 * every topology test of ingest starts from.
 */
final class NormalizerDriver implements AutoCloseable {

    static final TopicCatalog TOPICS = TopicCatalog.defaults();

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> raw;
    final TestOutputTopic<String, byte[]> train;
    final TestOutputTopic<byte[], byte[]> dlq;

    /** Builds the topology from ingest's command-line {@code flags} with its state in {@code stateDir}. */
    NormalizerDriver(Path stateDir, Clock clock, String... flags) {
        List<String> args = new ArrayList<>(List.of("--state-dir", stateDir.toString()));
        args.addAll(List.of(flags));
        IngestConfig config = IngestConfig.parse(args, Map.of());
        IngestMetrics metrics = new IngestMetrics(registry);
        driver = new TopologyTestDriver(NormalizerTopology.buildTopology(config, metrics, clock),
                NormalizerTopology.streamsConfig(config, metrics, clock));
        raw = driver.createInputTopic(TOPICS.imagesRaw(), TOPICS.raw().keySerde().serializer(), TOPICS.raw().valueSerde().serializer());
        train = driver.createOutputTopic(TOPICS.imagesTrain(), TOPICS.train().keySerde().deserializer(), TOPICS.train().valueSerde().deserializer());
        dlq = driver.createOutputTopic(TOPICS.imagesDlq(), TOPICS.dlq().keySerde().deserializer(), TOPICS.dlq().valueSerde().deserializer());
    }

    /** Writes one record to the raw topic. */
    void send(String key, byte[] value, Headers headers, Instant time) {
        raw.pipeInput(new TestRecord<>(key.getBytes(StandardCharsets.UTF_8), value, headers, time));
    }

    /** {@code gan_ingest_images_total{outcome,reason}}. */
    double count(String outcome, String reason) {
        return registry.get(MetricNames.INGEST_IMAGES).tag(MetricNames.TAG_OUTCOME, outcome).tag(MetricNames.TAG_REASON, reason).counter().count();
    }

    @Override
    public void close() {
        driver.close();
    }
}
