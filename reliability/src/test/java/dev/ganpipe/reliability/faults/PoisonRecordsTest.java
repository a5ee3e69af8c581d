package dev.ganpipe.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ganpipe.broker.TestBroker;
import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.Hashes;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.image.Png;
import dev.ganpipe.common.kafka.GanHeaders;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.kafka.TopicSetup;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.common.metrics.MetricNames;
import dev.ganpipe.common.model.ModelManifest;
import dev.ganpipe.generator.GeneratorConfig;
import dev.ganpipe.generator.GeneratorService;
import dev.ganpipe.ingest.IngestConfig;
import dev.ganpipe.ingest.IngestService;
import dev.ganpipe.trainer.TrainerConfig;
import dev.ganpipe.trainer.TrainerService;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Poison records on every topic a service reads, on a real broker: each is dead-lettered with a reason or skipped
 * and counted, the service stays up (ready), and good records after the poison are still processed.
 */
class PoisonRecordsTest {

    /** The broker's default {@code max.message.bytes}, which the requests topic keeps. */
    private static final int MAX_MESSAGE_BYTES = 1_048_588;
    /** The image topics' {@code max.message.bytes}: room for an image of ingest's default --max-bytes and its headers. */
    private static final int IMAGE_TOPIC_MAX_BYTES = TopicSetup.maxRecordBytes(TopicSetup.DEFAULT_MAX_IMAGE_BYTES);

    @RegisterExtension
    static final TestBroker kafka = new TestBroker();

    @TempDir
    Path dir;

    @Test
    void ingestDeadLettersPoisonOnTheRawTopicWithAReasonAndGoesOn() throws Exception {
        TopicCatalog topics = Faults.createTopics(kafka.bootstrapServers(), "poison-raw", 1);
        IngestConfig config = Faults.ingestConfig(kafka.bootstrapServers(), topics, dir.resolve("streams"), "faults-poison-raw");
        Random random = new Random(7);
        try (IngestService ingest = IngestService.start(config, MeterRegistries.prometheus("ingest"));
                KafkaProducer<byte[], byte[]> producer = Faults.producer(kafka.bootstrapServers())) {
            await().atMost(Duration.ofSeconds(60)).until(ingest::ready);
            String raw = topics.imagesRaw();
            Faults.send(producer, new ProducerRecord<>(raw, key("garbage"), bytes(random, 4096)));
            Faults.send(producer, new ProducerRecord<>(raw, key("empty"), new byte[0]));
            Faults.send(producer, new ProducerRecord<>(raw, key("tombstone"), null));
            ProducerRecord<byte[], byte[]> banana = new ProducerRecord<>(raw, key("label-banana"), png(random));
            banana.headers().add(GanHeaders.LABEL, "banana".getBytes(StandardCharsets.UTF_8));
            Faults.send(producer, banana);
            ProducerRecord<byte[], byte[]> binary = new ProducerRecord<>(raw, key("label-binary"), png(random));
            binary.headers().add(GanHeaders.LABEL, new byte[] {(byte) 0xff, (byte) 0xfe, 0});
            Faults.send(producer, binary);
            ProducerRecord<byte[], byte[]> twoLabels = new ProducerRecord<>(raw, key("label-twice"), png(random));
            twoLabels.headers().add(GanHeaders.LABEL, "3".getBytes(StandardCharsets.UTF_8));
            twoLabels.headers().add(GanHeaders.LABEL, "99".getBytes(StandardCharsets.UTF_8));
            Faults.send(producer, twoLabels);
            // Near the topic's limit: the raw record fits, its dead letter (the same bytes plus error headers) may not.
            Faults.send(producer, new ProducerRecord<>(raw, key("huge-900k"), bytes(random, 900_000)));
            Faults.send(producer, new ProducerRecord<>(raw, key("huge-at-limit"), bytes(random, IMAGE_TOPIC_MAX_BYTES - 400)));
            // Good records after the poison: no key and no headers at all is fine.
            List<byte[]> good = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                byte[] image = png(random);
                good.add(image);
                Faults.send(producer, new ProducerRecord<>(raw, null, image));
            }

            List<ConsumerRecord<byte[], byte[]>> train = new ArrayList<>();
            List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> trainReader = Faults.reader(kafka.bootstrapServers(), topics.imagesTrain());
                    KafkaConsumer<byte[], byte[]> dlqReader = Faults.reader(kafka.bootstrapServers(), topics.imagesDlq())) {
                await().atMost(Duration.ofSeconds(60)).until(() -> Faults.pollInto(trainReader, train, Duration.ofMillis(200)) >= good.size());
                Faults.pollInto(dlqReader, dead, Duration.ofSeconds(2));
                Faults.pollInto(trainReader, train, Duration.ofMillis(500));
            }
            Map<String, String> reasons = new HashMap<>();
            Map<String, Integer> sizes = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> letter : dead) {
                reasons.put(Faults.text(letter.key()), GanHeaders.text(letter.headers(), GanHeaders.ERROR_REASON).orElse("(none)")
                        + " " + GanHeaders.text(letter.headers(), GanHeaders.ERROR_DETAIL).orElse("(no detail)"));
                sizes.put(Faults.text(letter.key()), letter.value() == null ? -1 : letter.value().length);
            }
            System.out.printf("poison on images.raw: %d good + 9 poison sent; %d on images.train, dead letters (value bytes, -1 none): %s%n"
                    + "  reasons: %s%n", good.size(), train.size(), sizes, reasons);
            assertThat(train).as("the good images after the poison").hasSize(good.size());
            assertThat(reasons).containsKeys("garbage", "empty", "label-banana", "label-binary", "huge-900k", "huge-at-limit");
            assertThat(reasons.get("garbage")).startsWith("undecodable ");
            assertThat(reasons.get("empty")).startsWith("empty ");
            assertThat(reasons.get("label-banana")).startsWith("bad_label ");
            assertThat(reasons.get("label-binary")).startsWith("bad_label ");
            assertThat(reasons.get("huge-900k")).startsWith("undecodable ");
            assertThat(sizes).as("dead letters keep the original bytes when they fit").containsEntry("huge-900k", 900_000)
                    .containsEntry("garbage", 4096);
            // The image topics leave room for headers above --max-bytes, so a record at their limit is also too large an image.
            assertThat(reasons.get("huge-at-limit")).startsWith("too_large ").contains("bytes are left out of this dead letter");
            assertThat(sizes).as("one that would not fit goes without them").containsEntry("huge-at-limit", -1);
            assertThat(ingest.ready()).as("the normaliser still runs").isTrue();
        }
    }

    @Test
    void generatorKeepsItsModelWhenPoisonArrivesOnTheModelsTopic() throws Exception {
        TopicCatalog topics = Faults.createTopics(kafka.bootstrapServers(), "poison-models", 1);
        Faults.Model good = Faults.Model.train(1, 1);
        PrometheusMeterRegistry meters = MeterRegistries.prometheus("generator");
        try (KafkaProducer<byte[], byte[]> producer = Faults.producer(kafka.bootstrapServers());
                GeneratorService generator = GeneratorService.start(generatorConfig(topics, "faults-poison-models"), meters);
                HttpClient http = HttpClient.newHttpClient()) {
            Faults.send(producer, good.record(topics.modelsGenerator()));
            await().atMost(Duration.ofSeconds(60)).until(generator::ready);
            String models = topics.modelsGenerator();

            ProducerRecord<byte[], byte[]> garbage = good.asVersion(2).record(models);
            Faults.send(producer, new ProducerRecord<>(models, null, garbage.key(), bytes(new Random(3), 10_000), garbage.headers()));
            Faults.send(producer, new ProducerRecord<>(models, key(Faults.MODEL_NAME), good.onnx()));
            ProducerRecord<byte[], byte[]> badDate = good.asVersion(3).record(models);
            badDate.headers().remove("gan.model.created");
            badDate.headers().add("gan.model.created", "yesterday".getBytes(StandardCharsets.UTF_8));
            Faults.send(producer, badDate);
            ModelManifest m = good.manifest();
            Faults.Model wrongNoise = new Faults.Model(good.onnx(), new ModelManifest(m.name(), 4, m.sha256(), m.step(), m.createdAt(),
                    m.imageShape(), 64, Map.of()));
            Faults.send(producer, wrongNoise.record(models));
            Faults.Model wrongShape = new Faults.Model(good.onnx(), new ModelManifest(m.name(), 5, m.sha256(), m.step(), m.createdAt(),
                    "64x64x3", m.noiseDim(), Map.of()));
            Faults.send(producer, wrongShape.record(models));
            // A compacted topic refuses a record without a key, so the nearest thing: a tombstone for the model name.
            Faults.send(producer, new ProducerRecord<>(models, key(Faults.MODEL_NAME), null));
            // A good model after the poison is still taken.
            Faults.send(producer, good.asVersion(6).record(models));

            await().atMost(Duration.ofSeconds(60)).until(() -> generator.registry().liveVersion().equals(OptionalLong.of(6)));
            double rejected = meters.get(MetricNames.GENERATOR_MODEL_SWAPS).tag("outcome", "rejected").counter().count();
            System.out.printf("poison on models.generator: 6 poison records sent (one a tombstone); %.0f rejected, live version %s, ready %s%n",
                    rejected, generator.registry().liveVersion(), generator.ready());
            assertThat(rejected).as("garbage bytes, no version header, bad date, wrong noise width, wrong image shape; the tombstone "
                    + "only logs that loaded versions stay").isEqualTo(5);
            assertThat(Faults.get(http, generator.port(), "/v1/generate?count=2&seed=1").statusCode()).isEqualTo(200);
            await("the generator is ready").atMost(Duration.ofSeconds(60)).until(generator::ready);
        }
    }

    @Test
    void generatorDeadLettersPoisonRequestsWithAReasonAndAnswersTheNextOne() throws Exception {
        TopicCatalog topics = Faults.createTopics(kafka.bootstrapServers(), "poison-requests", 1);
        Faults.Model good = Faults.Model.train(1, 1);
        try (KafkaProducer<byte[], byte[]> producer = Faults.producer(kafka.bootstrapServers());
                GeneratorService generator = GeneratorService.start(generatorConfig(topics, "faults-poison-requests"),
                        MeterRegistries.prometheus("generator"))) {
            Faults.send(producer, good.record(topics.modelsGenerator()));
            await().atMost(Duration.ofSeconds(90)).until(generator::ready);
            String requests = topics.syntheticRequests();
            Faults.send(producer, new ProducerRecord<>(requests, key("not-json"), "{count: lots".getBytes(StandardCharsets.UTF_8)));
            Faults.send(producer, new ProducerRecord<>(requests, key("binary"), bytes(new Random(5), 2048)));
            Faults.send(producer, new ProducerRecord<>(requests, key("huge-count"), "{\"count\":1000000000}".getBytes(StandardCharsets.UTF_8)));
            Faults.send(producer, new ProducerRecord<>(requests, key("overflow-count"),
                    "{\"count\":99999999999999999999999}".getBytes(StandardCharsets.UTF_8)));
            Faults.send(producer, new ProducerRecord<>(requests, key("array"), "[1,2,3]".getBytes(StandardCharsets.UTF_8)));
            Faults.send(producer, new ProducerRecord<>(requests, null, "{\"count\":1}".getBytes(StandardCharsets.UTF_8)));
            Faults.send(producer, new ProducerRecord<>(requests, key("tombstone"), null));
            // Near the topic's limit: its dead letter (the same bytes plus error headers) would not fit.
            byte[] hugeJson = ("{\"count\":1,\"pad\":\"" + "x".repeat(MAX_MESSAGE_BYTES - 500) + "\"}").getBytes(StandardCharsets.UTF_8);
            Faults.send(producer, new ProducerRecord<>(requests, key("huge-json"), hugeJson));
            Faults.send(producer, new ProducerRecord<>(requests, key("good"), "{\"count\":2,\"seed\":5}".getBytes(StandardCharsets.UTF_8)));

            List<ConsumerRecord<byte[], byte[]>> answers = new ArrayList<>();
            List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> images = Faults.reader(kafka.bootstrapServers(), topics.syntheticImages());
                    KafkaConsumer<byte[], byte[]> dlq = Faults.reader(kafka.bootstrapServers(), topics.imagesDlq())) {
                await().atMost(Duration.ofSeconds(60)).until(() -> Faults.pollInto(images, answers, Duration.ofMillis(200)) >= 2);
                Faults.pollInto(dlq, dead, Duration.ofSeconds(2));
            }
            Map<String, String> reasons = new HashMap<>();
            Map<String, Integer> sizes = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> letter : dead) {
                String key = String.valueOf(Faults.text(letter.key()));
                reasons.put(key, GanHeaders.text(letter.headers(), GanHeaders.ERROR_REASON).orElse("(none)"));
                sizes.put(key, letter.value() == null ? -1 : letter.value().length);
            }
            System.out.printf("poison on synthetic.requests: 8 poison + 1 good sent; %d images answered, dead letters: %s (value bytes, -1 none: %s)%n",
                    answers.size(), reasons, sizes);
            assertThat(answers).extracting(r -> Faults.text(r.key())).containsExactly("good", "good");
            assertThat(reasons).containsEntry("not-json", "malformed_request").containsEntry("binary", "malformed_request")
                    .containsEntry("huge-count", "bad_count").containsEntry("overflow-count", "bad_count")
                    .containsEntry("array", "malformed_request").containsEntry("null", "missing_key")
                    .containsEntry("huge-json", "malformed_request");
            assertThat(sizes).as("a dead letter keeps a small request whole, and leaves a huge one's bytes out")
                    .containsEntry("not-json", 12).containsEntry("huge-json", -1);
            await("the generator is ready").atMost(Duration.ofSeconds(60)).until(generator::ready);
        }
    }

    @Test
    void trainerSkipsPoisonOnTheTrainingTopicCountsItAndKeepsTraining() throws Exception {
        TopicCatalog topics = Faults.createTopics(kafka.bootstrapServers(), "poison-train", 1);
        ImageShape shape = ImageShape.FASHION_MNIST;
        Random random = new Random(11);
        int poison = 0;
        try (KafkaProducer<byte[], byte[]> producer = Faults.producer(kafka.bootstrapServers())) {
            String train = topics.imagesTrain();
            Faults.send(producer, labelled(train, "garbage", bytes(random, 500), "1"));
            poison++;
            Faults.send(producer, new ProducerRecord<>(train, key("no-label"), Png.encode(noise(random, shape))));
            poison++;
            Faults.send(producer, labelled(train, "label-42", Png.encode(noise(random, shape)), "42"));
            poison++;
            Faults.send(producer, labelled(train, "label-text", Png.encode(noise(random, shape)), "shoe"));
            poison++;
            Faults.send(producer, labelled(train, "wrong-shape", Png.encode(noise(random, new ImageShape(10, 10, 1))), "1"));
            poison++;
            Faults.send(producer, labelled(train, "tombstone", null, "1"));
            poison++;
            for (int i = 0; i < 40; i++) {
                CanonicalImage image = noise(random, shape);
                Faults.send(producer, labelled(train, Hashes.imageId(image), Png.encode(image), Integer.toString(i % 10)));
            }
        }
        TrainerConfig config = TrainerConfig.of("--bootstrap-servers", kafka.bootstrapServers(), "--host", "127.0.0.1", "--port", "0",
                "--topic-images-raw", topics.imagesRaw(), "--topic-images-train", topics.imagesTrain(),
                "--topic-images-dlq", topics.imagesDlq(), "--topic-models", topics.modelsGenerator(),
                "--topic-synthetic-requests", topics.syntheticRequests(), "--topic-synthetic-images", topics.syntheticImages(),
                "--conditional", "true", "--classes", "0,1,2,3,4,5,6,7,8,9", "--batch-size", "8", "--max-steps", "4",
                "--generator-width", "16", "--discriminator-width", "16", "--export-every-steps", "1000",
                "--models-dir", dir.resolve("models").toString(), "--samples-dir", dir.resolve("samples").toString(),
                "--checkpoint-dir", dir.resolve("checkpoints").toString());
        PrometheusMeterRegistry registry = MeterRegistries.prometheus("trainer");
        try (TrainerService trainer = TrainerService.start(config, registry)) {
            assertThat(trainer.awaitTermination(Duration.ofMinutes(3))).as("the trainer finished its 4 steps").isTrue();
            double rejected = registry.get(MetricNames.TRAINER_RECORDS_REJECTED).counter().count();
            System.out.printf("poison on images.train: %d poison + 40 good sent; %.0f rejected, %d steps, state %s%n",
                    poison, rejected, trainer.status().step(), trainer.status().state());
            assertThat(trainer.status().step()).isEqualTo(4);
            assertThat(trainer.status().state()).isEqualTo("stopped");
            assertThat(rejected).isEqualTo(poison);
        }
    }

    private static GeneratorConfig generatorConfig(TopicCatalog topics, String appId) {
        return Faults.generatorConfig(kafka.bootstrapServers(), topics, appId, "--max-count", "64");
    }

    private static ProducerRecord<byte[], byte[]> labelled(String topic, String key, byte[] value, String label) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, key(key), value);
        record.headers().add(GanHeaders.LABEL, label.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private static byte[] key(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(Random random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] png(Random random) {
        return Png.encode(noise(random, ImageShape.FASHION_MNIST));
    }

    private static CanonicalImage noise(Random random, ImageShape shape) {
        byte[] pixels = bytes(random, shape.values());
        return new CanonicalImage(shape, pixels);
    }
}
