package dev.ganpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ganpipe.broker.TestBroker;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.image.Png;
import dev.ganpipe.common.kafka.GanHeaders;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.kafka.TopicSetup;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.common.metrics.MetricNames;
import dev.ganpipe.images.TestImages;
import dev.ganpipe.images.normalize.ImageNormalizer;
import dev.ganpipe.images.normalize.Outcome;
import dev.ganpipe.images.source.IdxImageSource;
import dev.ganpipe.images.source.SampleData;
import dev.ganpipe.images.source.SourceImage;
import dev.ganpipe.ingest.example.RawImageProducerExample;
import dev.ganpipe.ingest.publish.IngestCommand;
import dev.ganpipe.ingest.publish.IngestSummary;
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
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole ingest path on one real broker (each test on its own topics and application id): what the CLI and any
 * Java producer publish comes out normalised exactly once, bad files dead-lettered with their reasons; and a
 * restart of the Streams app in the middle of the stream neither loses nor duplicates an image.
 */
class IngestServiceIntegrationTest {

    @RegisterExtension
    static final TestBroker kafka = new TestBroker();

    @TempDir
    Path dir;

    @Test
    void publishedImagesComeOutNormalisedOnceAndBadOnesDeadLettered() throws Exception {
        Path bad = Files.createDirectories(dir.resolve("bad"));
        Files.write(bad.resolve("a-bomb.png"), TestImages.pngHeaderOnly(20_000, 20_000));
        Files.write(bad.resolve("b-cut.png"), TestImages.truncatedPng());
        Files.write(bad.resolve("c-junk.jpg"), TestImages.randomBytes(2048, 5));

        TopicCatalog topics = topics("main");
        IngestConfig config = config(topics, "it-main", "--limit", "203", "--stream-threads", "2", "--progress", "lines");
        PrometheusMeterRegistry registry = MeterRegistries.prometheus("ingest");
        try (IngestService service = IngestService.start(config, registry)) {
            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            IngestSummary summary = IngestCommand.run(config, List.of(bad.toString(), SampleData.FASHION_MNIST),
                    new PrintStream(progress, true, StandardCharsets.UTF_8));
            assertThat(summary.read()).isEqualTo(203);
            assertThat(summary.sent()).as(progress.toString(StandardCharsets.UTF_8)).isEqualTo(203);
            assertThat(progress.toString(StandardCharsets.UTF_8)).contains("203/203 images").contains("images/s");

            // What docs/ingest.md shows: a plain Kafka producer of your own, with a class name as label.
            byte[] own = TestImages.png(TestImages.noise(50, 30, 77));
            try (Producer<byte[], byte[]> producer = new KafkaProducer<>(RawImageProducerExample.producerConfig(kafka.bootstrapServers()))) {
                RawImageProducerExample.send(producer, topics.imagesRaw(), "my-camera/0001.png", own, Optional.of("Sneaker"), "image/png");
            }
            String ownId = ((Outcome.Accepted) new ImageNormalizer(config.normalizer()).normalize(own, Optional.empty())).id();

            List<ConsumerRecord<String, byte[]>> train = new ArrayList<>();
            List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
            try (KafkaConsumer<String, byte[]> trainConsumer = consumer(config, topics.imagesTrain(), topics.train().keySerde().deserializer());
                    KafkaConsumer<byte[], byte[]> dlqConsumer = consumer(config, topics.imagesDlq(), topics.dlq().keySerde().deserializer())) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
                    trainConsumer.poll(Duration.ofMillis(200)).forEach(train::add);
                    dlqConsumer.poll(Duration.ofMillis(200)).forEach(dead::add);
                    return train.size() >= 201 && dead.size() >= 3;
                });
                // Nothing more may follow: exactly once means no duplicate from a retried transaction.
                trainConsumer.poll(Duration.ofSeconds(2)).forEach(train::add);
                dlqConsumer.poll(Duration.ofMillis(200)).forEach(dead::add);
            }
            assertThat(train).hasSize(201);
            assertThat(dead).hasSize(3);

            for (ConsumerRecord<String, byte[]> record : train) {
                assertThat(Png.decode(record.value(), ImageShape.FASHION_MNIST).shape()).isEqualTo(ImageShape.FASHION_MNIST);
                assertThat(GanHeaders.text(record.headers(), GanHeaders.LABEL)).hasValueSatisfying(l -> assertThat(l).matches("[0-9]"));
            }
            assertThat(train).filteredOn(r -> r.key().equals(ownId)).singleElement()
                    .satisfies(r -> assertThat(GanHeaders.text(r.headers(), GanHeaders.LABEL)).hasValue("7"));
            Map<String, String> reasons = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : dead) {
                reasons.put(new String(record.key(), StandardCharsets.UTF_8), GanHeaders.text(record.headers(), GanHeaders.ERROR_REASON).orElseThrow());
            }
            assertThat(reasons).containsOnly(
                    Map.entry("a-bomb.png", "too_many_pixels"),
                    Map.entry("b-cut.png", "truncated"),
                    Map.entry("c-junk.jpg", "undecodable"));

            // Kafka Streams may be in a short (probing) rebalance at this moment: RUNNING again within seconds.
            await("the normaliser is RUNNING").atMost(Duration.ofSeconds(60)).until(service::ready);
            assertThat(registry.get(MetricNames.INGEST_IMAGES).tag("outcome", "accepted").counter().count()).isEqualTo(201);
            HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + service.port() + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void restartingTheNormaliserMidStreamNeitherLosesNorDuplicatesAnImage() throws Exception {
        TopicCatalog topics = topics("restart");
        // Throttled (5 s for the sample), so that images keep arriving while the first instance stops and the second starts.
        IngestConfig config = config(topics, "it-restart", "--rate", "100", "--progress", "off");
        List<String> expected = expectedIds(config);

        try (KafkaConsumer<String, byte[]> trainConsumer = consumer(config, topics.imagesTrain(), topics.train().keySerde().deserializer())) {
            List<String> keys = new ArrayList<>();
            CompletableFuture<IngestSummary> publishing;
            int atRestart;
            try (IngestService first = IngestService.start(config, MeterRegistries.prometheus("ingest-1"))) {
                await().atMost(Duration.ofSeconds(60)).until(first::ready);
                publishing = CompletableFuture.supplyAsync(() -> publish(config));
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
                    trainConsumer.poll(Duration.ofMillis(100)).forEach(r -> keys.add(r.key()));
                    return keys.size() >= 40;
                });
                atRestart = keys.size();
            }
            try (IngestService second = IngestService.start(config, MeterRegistries.prometheus("ingest-2"))) {
                assertThat(publishing.get(60, TimeUnit.SECONDS).sent()).isEqualTo(SampleData.FASHION_MNIST_COUNT);
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(10)).until(() -> {
                    trainConsumer.poll(Duration.ofMillis(100)).forEach(r -> keys.add(r.key()));
                    return keys.size() >= expected.size();
                });
                // Anything a replayed, uncommitted transaction left behind would show up now.
                trainConsumer.poll(Duration.ofSeconds(2)).forEach(r -> keys.add(r.key()));
                await("the restarted normaliser is RUNNING").atMost(Duration.ofSeconds(60)).until(second::ready);
            }
            assertThat(atRestart).as("images were still unprocessed when the first instance stopped").isLessThan(expected.size());
            assertThat(keys).as("no image lost, none twice").hasSameSizeAs(expected).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    /** The image ids the sample normalises to, one per image, computed here without Kafka. */
    private static List<String> expectedIds(IngestConfig config) throws Exception {
        ImageNormalizer normalizer = new ImageNormalizer(config.normalizer());
        List<String> ids = new ArrayList<>();
        try (IdxImageSource sample = SampleData.fashionMnist()) {
            Optional<SourceImage> next;
            while ((next = sample.next()).isPresent()) {
                ids.add(((Outcome.Accepted) normalizer.normalize(next.get().encodedBytes(), next.get().label())).id());
            }
        }
        assertThat(ids).hasSize(SampleData.FASHION_MNIST_COUNT);
        return ids;
    }

    private static IngestSummary publish(IngestConfig config) {
        try {
            return IngestCommand.run(config, List.of(SampleData.FASHION_MNIST), new PrintStream(ByteArrayOutputStream.nullOutputStream()));
        } catch (Exception e) {
            throw new IllegalStateException("Publishing the sample failed: " + e.getMessage(), e);
        }
    }

    /** The pipeline topics under a prefix of their own, created with 2 partitions. */
    private static TopicCatalog topics(String prefix) throws Exception {
        TopicCatalog d = TopicCatalog.defaults();
        TopicCatalog topics = new TopicCatalog(prefix + "." + d.imagesRaw(), prefix + "." + d.imagesTrain(), prefix + "." + d.imagesDlq(),
                prefix + "." + d.modelsGenerator(), prefix + "." + d.syntheticRequests(), prefix + "." + d.syntheticImages());
        Properties props = new Properties();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            TopicSetup.ensure(admin, topics, 2, (short) 1);
            // Created is not yet writable: an idempotent producer whose first batch meets a partition the broker has not
            // opened yet can see a later batch accepted and the retried first one refused as out of order (a broker-side
            // race on brand-new partitions). Wait until the broker holds a log for every partition.
            Set<String> names = Set.of(topics.imagesRaw(), topics.imagesTrain(), topics.imagesDlq());
            await().atMost(Duration.ofSeconds(30)).until(() -> admin.describeLogDirs(List.of(1)).allDescriptions().get().values().stream()
                    .flatMap(dirs -> dirs.values().stream())
                    .flatMap(dir -> dir.replicaInfos().keySet().stream())
                    .filter(tp -> names.contains(tp.topic()))
                    .count() == names.size() * 2L);
        }
        return topics;
    }

    private IngestConfig config(TopicCatalog topics, String applicationId, String... more) {
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", kafka.bootstrapServers(), "--port", "0",
                "--http-host", "127.0.0.1", "--state-dir", dir.resolve("streams").toString(), "--application-id", applicationId,
                "--create-topics", "false",
                "--topic-images-raw", topics.imagesRaw(), "--topic-images-train", topics.imagesTrain(),
                "--topic-images-dlq", topics.imagesDlq(), "--topic-models", topics.modelsGenerator(),
                "--topic-synthetic-requests", topics.syntheticRequests(), "--topic-synthetic-images", topics.syntheticImages()));
        args.addAll(List.of(more));
        return IngestConfig.parse(args, Map.of());
    }

    private static <K> KafkaConsumer<K, byte[]> consumer(IngestConfig config, String topic, Deserializer<K> keys) {
        KafkaConsumer<K, byte[]> consumer = new KafkaConsumer<>(config.kafka().groupless("it-" + topic), keys,
                config.topics().raw().valueSerde().deserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }
}
