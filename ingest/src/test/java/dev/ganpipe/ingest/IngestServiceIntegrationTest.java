package dev.ganpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ganpipe.broker.EmbeddedKafka;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.image.Png;
import dev.ganpipe.common.kafka.GanHeaders;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.kafka.TopicSetup;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.common.metrics.MetricNames;
import dev.ganpipe.ingest.publish.IngestCommand;
import dev.ganpipe.ingest.publish.IngestSummary;
import dev.ganpipe.ingest.source.SampleData;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole ingest path on a real broker: the CLI publishes 200 sample images and 3 bad files to images.raw, the
 * running service's exactly-once normaliser puts exactly 200 canonical images on images.train and the 3 bad
 * files on images.dlq with their reasons.
 */
class IngestServiceIntegrationTest {

    private static final TopicCatalog TOPICS = TopicCatalog.defaults();

    @TempDir
    Path dir;

    @Test
    void publishedImagesComeOutNormalisedOnceAndBadOnesDeadLettered() throws Exception {
        Path bad = Files.createDirectories(dir.resolve("bad"));
        Files.write(bad.resolve("a-bomb.png"), TestImages.pngHeaderOnly(20_000, 20_000));
        Files.write(bad.resolve("b-cut.png"), TestImages.truncatedPng());
        Files.write(bad.resolve("c-junk.jpg"), TestImages.randomBytes(2048, 5));

        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            try (Admin admin = Admin.create(kafkaProps(kafka))) {
                TopicSetup.ensure(admin, TOPICS, 2, (short) 1);
            }
            IngestConfig config = IngestConfig.parse(List.of("--bootstrap-servers", kafka.bootstrapServers(), "--port", "0",
                    "--http-host", "127.0.0.1", "--state-dir", dir.resolve("streams").toString(), "--limit", "203",
                    "--stream-threads", "2"), Map.of());
            PrometheusMeterRegistry registry = MeterRegistries.prometheus("ingest");
            try (IngestService service = IngestService.start(config, registry)) {
                ByteArrayOutputStream progress = new ByteArrayOutputStream();
                IngestSummary summary = IngestCommand.run(config, List.of(bad.toString(), SampleData.FASHION_MNIST),
                        new PrintStream(progress, true, StandardCharsets.UTF_8));
                assertThat(summary.read()).isEqualTo(203);
                assertThat(summary.sent()).as(progress.toString(StandardCharsets.UTF_8)).isEqualTo(203);

                List<ConsumerRecord<String, byte[]>> train = new ArrayList<>();
                List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
                try (KafkaConsumer<String, byte[]> trainConsumer = consumer(config, TOPICS.imagesTrain(), TOPICS.train().keySerde().deserializer());
                        KafkaConsumer<byte[], byte[]> dlqConsumer = consumer(config, TOPICS.imagesDlq(), TOPICS.dlq().keySerde().deserializer())) {
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
                        trainConsumer.poll(Duration.ofMillis(200)).forEach(train::add);
                        dlqConsumer.poll(Duration.ofMillis(200)).forEach(dead::add);
                        return train.size() >= 200 && dead.size() >= 3;
                    });
                    // Nothing more may follow: exactly once means no duplicate from a retried transaction.
                    trainConsumer.poll(Duration.ofSeconds(2)).forEach(train::add);
                    dlqConsumer.poll(Duration.ofMillis(200)).forEach(dead::add);
                }
                assertThat(train).hasSize(200);
                assertThat(dead).hasSize(3);

                for (ConsumerRecord<String, byte[]> record : train) {
                    assertThat(Png.decode(record.value(), ImageShape.FASHION_MNIST).shape()).isEqualTo(ImageShape.FASHION_MNIST);
                    assertThat(GanHeaders.text(record.headers(), GanHeaders.LABEL)).hasValueSatisfying(l -> assertThat(l).matches("[0-9]"));
                }
                Map<String, String> reasons = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> record : dead) {
                    reasons.put(new String(record.key(), StandardCharsets.UTF_8), GanHeaders.text(record.headers(), GanHeaders.ERROR_REASON).orElseThrow());
                }
                assertThat(reasons).containsOnly(
                        Map.entry("a-bomb.png", "too_many_pixels"),
                        Map.entry("b-cut.png", "truncated"),
                        Map.entry("c-junk.jpg", "undecodable"));

                assertThat(service.ready()).isTrue();
                assertThat(registry.get(MetricNames.INGEST_IMAGES).tag("outcome", "accepted").counter().count()).isEqualTo(200);
                HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + service.port() + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(ready.statusCode()).isEqualTo(200);
            }
        }
    }

    private static Properties kafkaProps(EmbeddedKafka kafka) {
        Properties props = new Properties();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        return props;
    }

    private static <K> KafkaConsumer<K, byte[]> consumer(IngestConfig config, String topic, Deserializer<K> keys) {
        KafkaConsumer<K, byte[]> consumer = new KafkaConsumer<>(config.kafka().groupless("it-" + topic), keys,
                TOPICS.raw().valueSerde().deserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }
}
