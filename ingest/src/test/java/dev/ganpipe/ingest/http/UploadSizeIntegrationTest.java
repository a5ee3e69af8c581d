package dev.ganpipe.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ganpipe.broker.EmbeddedKafka;
import dev.ganpipe.common.Json;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.kafka.TopicSetup;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.images.TestImages;
import dev.ganpipe.ingest.IngestConfig;
import dev.ganpipe.ingest.IngestService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads larger than Kafka's 1 MiB default against the real ingest service and a real broker (issue 22): the topics
 * ingest creates hold what {@code --max-bytes} allows; a topic made smaller is named, its refusals are 413s and not
 * "retry later", and a multipart upload is stored all or nothing.
 */
class UploadSizeIntegrationTest {

    /** A valid PNG of about 1.2 MB: random colours do not compress. */
    private static final byte[] BIG_PNG = TestImages.png(TestImages.noise(640, 640, 22));

    @TempDir
    static Path brokerDir;
    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start(brokerDir.resolve("kafka"), 0);
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void anImageOverKafkasOneMibDefaultIsStoredOnTheTopicsIngestCreates() throws Exception {
        assertThat(BIG_PNG.length).isBetween(1_100_000, 2_000_000);
        TopicCatalog topics = topics("big");
        try (IngestService service = IngestService.start(config(topics, "it-big"), MeterRegistries.prometheus("ingest"))) {
            await().atMost(Duration.ofSeconds(60)).until(service::ready);
            assertThat(maxMessageBytes(topics.imagesRaw())).isEqualTo(TopicSetup.maxRecordBytes(10 * 1024 * 1024));
            assertThat(maxMessageBytes(topics.imagesDlq())).isEqualTo(TopicSetup.maxRecordBytes(10 * 1024 * 1024));

            HttpResponse<String> response = post(service, "image/png", BIG_PNG);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            assertThat(committed(topics.imagesRaw(), 1)).singleElement().satisfies(r -> assertThat(r.value()).isEqualTo(BIG_PNG));
        }
    }

    @Test
    void aRawTopicMadeSmallerIsNamedItsRefusalsAre413AndAMultipartUploadIsStoredAllOrNothing() throws Exception {
        TopicCatalog topics = topics("small");
        try (Admin admin = admin()) {
            // As an operator's own topic, or one an older version made: Kafka's default limit.
            admin.createTopics(List.of(new NewTopic(topics.imagesRaw(), 1, (short) 1)
                    .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1048588")))).all().get(30, TimeUnit.SECONDS);
            assertThat(TopicSetup.imageLimitProblem(admin, topics.imagesRaw(), 10 * 1024 * 1024)).hasValueSatisfying(sentence ->
                    assertThat(sentence).contains(topics.imagesRaw(), "1048588", "--max-bytes 10485760",
                            "--add-config max.message.bytes=" + TopicSetup.maxRecordBytes(10 * 1024 * 1024)));
        }
        try (IngestService service = IngestService.start(config(topics, "it-small"), MeterRegistries.prometheus("ingest"))) {
            await().atMost(Duration.ofSeconds(60)).until(service::ready);

            HttpResponse<String> single = post(service, "image/png", BIG_PNG);
            assertThat(single.statusCode()).as(single.body()).isEqualTo(413);
            assertThat(json(single).get("error").asText()).isEqualTo("too_large");
            assertThat(single.body()).doesNotContain("retry");

            MultipartBodies both = MultipartBodies.create().png("small.png", TestImages.goodPng()).png("big.png", BIG_PNG);
            HttpResponse<String> multipart = post(service, both.contentType(), both.build());
            assertThat(multipart.statusCode()).as(multipart.body()).isEqualTo(413);
            assertThat(json(multipart).get("message").asText()).startsWith("None of the 2 images of the upload was stored");

            // A later small upload is the only record a reader of committed data ever sees: the multipart's small image is not.
            HttpResponse<String> small = post(service, "image/png", TestImages.goodPng());
            assertThat(small.statusCode()).as(small.body()).isEqualTo(202);
            String id = json(small).get("ids").get(0).asText();
            List<ConsumerRecord<byte[], byte[]>> stored = committed(topics.imagesRaw(), 1);
            assertThat(stored).extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).containsExactly(id);
        }
    }

    private HttpResponse<String> post(IngestService service, String contentType, byte[] body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/v1/images"))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.mapper().readTree(response.body());
    }

    /** Every committed record of the topic once {@code expected} have arrived, plus any that follow within 2 s. */
    private static List<ConsumerRecord<byte[], byte[]>> committed(String topic, int expected) {
        Properties props = new Properties();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        props.put("isolation.level", "read_committed");
        props.put("max.partition.fetch.bytes", Integer.toString(16 * 1024 * 1024));
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= expected;
            });
            consumer.poll(Duration.ofSeconds(2)).forEach(records::add);
        }
        return records;
    }

    private static int maxMessageBytes(String topic) throws Exception {
        try (Admin admin = admin()) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(Set.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
            return Integer.parseInt(config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value());
        }
    }

    private static Admin admin() {
        Properties props = new Properties();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        return Admin.create(props);
    }

    private static TopicCatalog topics(String prefix) {
        TopicCatalog d = TopicCatalog.defaults();
        return new TopicCatalog(prefix + "." + d.imagesRaw(), prefix + "." + d.imagesTrain(), prefix + "." + d.imagesDlq(),
                prefix + "." + d.modelsGenerator(), prefix + "." + d.syntheticRequests(), prefix + "." + d.syntheticImages());
    }

    /** Ingest as {@code gan ingest --serve} runs it, creating its missing topics with one partition each. */
    private IngestConfig config(TopicCatalog topics, String applicationId) {
        return IngestConfig.parse(List.of("--bootstrap-servers", kafka.bootstrapServers(), "--port", "0", "--http-host", "127.0.0.1",
                "--state-dir", dir.resolve("streams").toString(), "--application-id", applicationId, "--create-topics", "true",
                "--topic-partitions", "1",
                "--topic-images-raw", topics.imagesRaw(), "--topic-images-train", topics.imagesTrain(),
                "--topic-images-dlq", topics.imagesDlq(), "--topic-models", topics.modelsGenerator(),
                "--topic-synthetic-requests", topics.syntheticRequests(), "--topic-synthetic-images", topics.syntheticImages()), Map.of());
    }
}
