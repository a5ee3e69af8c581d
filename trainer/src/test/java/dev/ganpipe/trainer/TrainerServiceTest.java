package dev.ganpipe.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.ganpipe.broker.TestBroker;
import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.Hashes;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.image.Png;
import dev.ganpipe.common.kafka.CloudEvents;
import dev.ganpipe.common.kafka.GanHeaders;
import dev.ganpipe.common.kafka.TrainImageHeaders;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.kafka.TopicSetup;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.common.model.ModelDirectory;
import dev.ganpipe.common.model.ModelHeaders;
import dev.ganpipe.common.model.ModelManifest;
import dev.ganpipe.common.model.ModelMetadata;
import dev.ganpipe.trainer.checkpoint.Checkpoint;
import dev.ganpipe.trainer.checkpoint.CheckpointFile;
import dev.ganpipe.trainer.checkpoint.CheckpointStore;
import dev.ganpipe.trainer.publish.PublishedVersions;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The trainer as a service on a real broker: images in, steps, sample grids, versioned models out. */
class TrainerServiceTest {

    private static final TopicCatalog TOPICS = TopicCatalog.defaults();
    private static final ImageShape SHAPE = ImageShape.FASHION_MNIST;

    @TempDir
    static Path dir;
    @RegisterExtension
    static final TestBroker kafka = new TestBroker();

    @BeforeAll
    static void startBrokerWithImages() throws Exception {
        KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers());
        try (Admin admin = Admin.create(settings.admin("test"))) {
            TopicSetup.ensure(admin, TOPICS, 2, (short) 1);
        }
        produceSquares(new Random(1), 100);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings.producer("test"),
                TOPICS.train().keySerde().serializer(), TOPICS.train().valueSerde().serializer())) {
            // A poison record: the trainer must skip it, not stop.
            producer.send(new ProducerRecord<>(TOPICS.imagesTrain(), "garbage", new byte[] {1, 2, 3}));
            producer.flush();
        }
    }

    private static void produceSquares(Random random, int count) {
        KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings.producer("test"),
                TOPICS.train().keySerde().serializer(), TOPICS.train().valueSerde().serializer())) {
            for (int i = 0; i < count; i++) {
                CanonicalImage image = square(random);
                producer.send(new ProducerRecord<>(TOPICS.imagesTrain(), Hashes.imageId(image), Png.encode(image)));
            }
            producer.flush();
        }
    }

    @Test
    void trainsFromTheTopicAndPublishesMonotonicVersionsAcrossRestarts() throws Exception {
        Path models = dir.resolve("models");
        TrainerConfig config = TrainerConfig.of("--bootstrap-servers", kafka.bootstrapServers(), "--port", "0",
                "--batch-size", "16", "--max-steps", "12", "--export-every-steps", "5", "--sample-every-steps", "5",
                "--generator-width", "16", "--discriminator-width", "16",
                "--models-dir", models.toString(), "--samples-dir", dir.resolve("samples").toString(),
                "--checkpoint-dir", dir.resolve("checkpoints").toString());
        try (TrainerService trainer = TrainerService.start(config, MeterRegistries.prometheus("trainer"))) {
            HttpClient http = HttpClient.newHttpClient();
            assertThat(trainer.awaitTermination(Duration.ofMinutes(3))).as("trainer finished its 12 steps").isTrue();
            assertThat(trainer.status().step()).isEqualTo(12);
            assertThat(trainer.status().state()).isEqualTo("stopped");
            assertThat(trainer.status().imagesSeen()).isBetween(1L, 100L);
            HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + trainer.port() + "/v1/status")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(status.statusCode()).isEqualTo(200);
            assertThat(status.body()).contains("\"step\":12", "\"lastExportVersion\":3");
            // The default --augment auto: a few dozen images are well below its threshold, so ADA runs.
            assertThat(status.body()).contains("\"augmentation\":\"auto: ada(", "\"augmenting\":true");
            HttpResponse<byte[]> sample = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + trainer.port() + "/v1/samples/latest.png")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(sample.statusCode()).isEqualTo(200);
            assertThat(Png.decode(sample.body(), new ImageShape(8 * 30 + 2, 8 * 30 + 2, 1))).isNotNull();
            // Health checkers send HEAD: every GET endpoint answers it as GET would, without the body.
            for (String path : List.of("/healthz", "/readyz", "/metrics", "/openapi.json", "/v1/status", "/v1/samples/latest.png", "/v1/quality",
                    "/v1/quality/chart.png")) {
                URI uri = URI.create("http://localhost:" + trainer.port() + path);
                HttpResponse<byte[]> get = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
                HttpResponse<byte[]> head = http.send(HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(head.statusCode()).as("HEAD " + path).isEqualTo(get.statusCode()).isNotEqualTo(405);
                assertThat(head.body()).as("HEAD " + path).isEmpty();
            }
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + trainer.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).contains("gan_trainer_steps_total", "gan_trainer_loss{net=\"d\"", "gan_trainer_exports_total",
                    "gan_trainer_records_rejected_total{service=\"trainer\"} 1.0");
        }
        // Exports at steps 5 and 10, and the final generator at 12.
        List<ModelManifest> manifests = new ModelDirectory(models).manifests();
        assertThat(manifests).extracting(ModelManifest::version).containsExactly(1L, 2L, 3L);
        assertThat(manifests).extracting(ModelManifest::step).containsExactly(5L, 10L, 12L);
        assertThat(Files.exists(dir.resolve("samples/latest.png"))).isTrue();

        // A restarted trainer (here even with its models and checkpoint directories gone) continues the version
        // numbers from the topic. The first run committed the offsets its final checkpoint covers, so the restart
        // reads only new images: send some.
        produceSquares(new Random(2), 20);
        Path otherDir = dir.resolve("models-after-restart");
        TrainerConfig again = TrainerConfig.of("--bootstrap-servers", kafka.bootstrapServers(), "--port", "0",
                "--batch-size", "16", "--max-steps", "2", "--export-every-steps", "100",
                "--generator-width", "16", "--discriminator-width", "16",
                "--models-dir", otherDir.toString(), "--samples-dir", dir.resolve("samples2").toString(),
                "--checkpoint-dir", dir.resolve("checkpoints-after-restart").toString());
        try (TrainerService trainer = TrainerService.start(again, MeterRegistries.prometheus("trainer"))) {
            assertThat(trainer.awaitTermination(Duration.ofMinutes(2))).isTrue();
        }
        assertThat(new ModelDirectory(otherDir).manifests()).extracting(ModelManifest::version).containsExactly(4L);

        List<ConsumerRecord<String, byte[]>> published = TestTopics.publishedModels(kafka, TOPICS);
        assertThat(published).extracting(r -> ModelHeaders.read(r.key(), r.headers()).version()).containsExactly(1L, 2L, 3L, 4L);
        ConsumerRecord<String, byte[]> first = published.getFirst();
        assertThat(first.key()).isEqualTo("fashion-dcgan28");
        assertThat(GanHeaders.text(first.headers(), GanHeaders.MODEL_SHA256)).contains(Hashes.sha256(first.value()));
        assertThat(GanHeaders.text(first.headers(), "ce_type")).contains("gan.model.generator.v1");
        assertThat(GanHeaders.text(first.headers(), GanHeaders.CONTENT_TYPE)).contains("application/onnx");
    }

    @Test
    void theNewestPublishedVersionIgnoresTombstonesAndRecordsWithoutAManifest() throws Exception {
        TopicCatalog topics = TestTopics.created(kafka, "versions");
        KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers());
        ModelManifest good = new ModelManifest("m", 3, Hashes.sha256(new byte[] {1}), 30, Instant.parse("2026-11-25T00:00:00Z"),
                "28x28x1", 100, Map.of());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings.producer("test"),
                topics.models().keySerde().serializer(), topics.models().valueSerde().serializer())) {
            ProducerRecord<String, byte[]> valid = new ProducerRecord<>(topics.modelsGenerator(), "m", new byte[] {1});
            ModelHeaders.write(good, valid.headers());
            producer.send(valid);
            producer.send(new ProducerRecord<>(topics.modelsGenerator(), "m", new byte[] {2})); // no headers at all
            ProducerRecord<String, byte[]> badTime = new ProducerRecord<>(topics.modelsGenerator(), "m", new byte[] {3});
            ModelHeaders.write(new ModelManifest("m", 9, Hashes.sha256(new byte[] {3}), 90, good.createdAt(), "28x28x1", 100, null),
                    badTime.headers());
            badTime.headers().remove("gan.model.created").add("gan.model.created", "yesterday".getBytes(StandardCharsets.UTF_8));
            producer.send(badTime);
            producer.send(new ProducerRecord<>(topics.modelsGenerator(), "m", null)); // a tombstone
            producer.flush();
        }
        Optional<ModelManifest> newest = PublishedVersions.newest("m",
                new ModelDirectory(dir.resolve("versions-models")), settings, topics.models());
        assertThat(newest).map(ModelManifest::version).contains(3L);
    }

    @Test
    void labelledRecordsTrainAConditionalGanWhoseModelTakesALabel() throws Exception {
        TopicCatalog topics = TestTopics.created(kafka, "labelled");
        KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers());
        Random random = new Random(3);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings.producer("test"),
                topics.train().keySerde().serializer(), topics.train().valueSerde().serializer())) {
            for (int i = 0; i < 60; i++) {
                producer.send(labelled(topics, square(random), Integer.toString(i % 3)));
            }
            producer.send(labelled(topics, square(random), "7")); // outside the 3 --classes: skipped, counted
            producer.send(new ProducerRecord<>(topics.imagesTrain(), "no-label", Png.encode(square(random)))); // the same
            producer.flush();
        }
        Path models = dir.resolve("conditional/models");
        TrainerConfig config = TrainerConfig.of("--bootstrap-servers", kafka.bootstrapServers(), "--port", "0",
                "--topic-images-train", topics.imagesTrain(), "--topic-models", topics.modelsGenerator(),
                "--group-id", "conditional", "--model-name", "labelled-dcgan28", "--conditional", "auto", "--classes", "circle,square,cross",
                "--batch-size", "16", "--max-steps", "4", "--export-every-steps", "2", "--sample-every-steps", "2",
                "--generator-width", "16", "--discriminator-width", "16", "--idle-policy", "pause",
                "--models-dir", models.toString(), "--samples-dir", dir.resolve("conditional/samples").toString(),
                "--checkpoint-dir", dir.resolve("conditional/checkpoints").toString());
        PrometheusMeterRegistry registry = MeterRegistries.prometheus("trainer");
        try (TrainerService trainer = TrainerService.start(config, registry)) {
            assertThat(trainer.awaitTermination(Duration.ofMinutes(2))).isTrue();
            assertThat(trainer.status().step()).isEqualTo(4);
            // The two unusable records were skipped; with 60 of 62 images the pause policy waits for the rest.
            await().atMost(Duration.ofSeconds(30)).until(() -> registry.scrape()
                    .contains("gan_trainer_records_rejected_total{service=\"trainer\"} 2.0"));
        }
        ModelManifest manifest = new ModelDirectory(models).latest("labelled-dcgan28").orElseThrow();
        byte[] onnx = new ModelDirectory(models).read(manifest);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions())) {
            assertThat(session.getInputInfo()).containsOnlyKeys("z", "label");
            assertThat(session.getMetadata().getCustomMetadata()).containsEntry(ModelMetadata.NUM_CLASSES, "3");
        }
        Checkpoint last = CheckpointFile.read(new CheckpointStore(dir.resolve("conditional/checkpoints"), 2,
                CheckpointStore.OnMismatch.FAIL).list().getFirst());
        assertThat(last.architecture().classes()).isEqualTo(3);
    }

    @Test
    void aTrainerStartedBeforeAnyImageWaitsForTheFirstAndTrainsConditionalOnLabelledImages() throws Exception {
        TopicCatalog topics = TestTopics.created(kafka, "race");
        Path models = dir.resolve("race/models");
        // As ./gan demo starts it: --conditional and --image-shape left 'auto', no --classes, the topic still empty.
        TrainerConfig config = TrainerConfig.of("--bootstrap-servers", kafka.bootstrapServers(), "--port", "0",
                "--topic-images-train", topics.imagesTrain(), "--topic-models", topics.modelsGenerator(),
                "--group-id", "race", "--model-name", "race-dcgan28",
                "--batch-size", "16", "--max-steps", "2", "--export-every-steps", "2", "--sample-every-steps", "2",
                "--generator-width", "16", "--discriminator-width", "16", "--idle-policy", "pause",
                "--models-dir", models.toString(), "--samples-dir", dir.resolve("race/samples").toString(),
                "--checkpoint-dir", dir.resolve("race/checkpoints").toString());
        PrometheusMeterRegistry registry = MeterRegistries.prometheus("trainer");
        CloudEvents events = new CloudEvents("/test/ingest", java.time.Clock.systemUTC());
        try (TrainerService trainer = TrainerService.start(config, registry); HttpClient http = HttpClient.newHttpClient()) {
            assertThat(trainer.status().state()).isEqualTo("waiting_for_data");
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + trainer.port() + "/readyz"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("waiting_for_data").contains(topics.imagesTrain());

            Random random = new Random(5);
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaSettings.of(kafka.bootstrapServers()).producer("test"),
                    topics.train().keySerde().serializer(), topics.train().valueSerde().serializer())) {
                // Poison first: it cannot decide the networks, is passed over, and the feed later skips and counts it.
                producer.send(new ProducerRecord<>(topics.imagesTrain(), "garbage", new byte[] {1, 2, 3})).get();
                for (int i = 0; i < 40; i++) {
                    producer.send(ingested(topics, events, square(random), i % 3)).get();
                    if (i == 0) { // after the first record decided the shape: one of another shape, refused and counted
                        producer.send(ingested(topics, events, new CanonicalImage(new ImageShape(64, 64, 1), new byte[64 * 64]), 1));
                    }
                }
                producer.flush();
            }
            assertThat(trainer.awaitTermination(Duration.ofMinutes(2))).as("trained its 2 steps").isTrue();
            assertThat(trainer.status().step()).isEqualTo(2);
            await().atMost(Duration.ofSeconds(30)).until(() -> registry.scrape()
                    .contains("gan_trainer_records_rejected_total{service=\"trainer\"} 2.0"));
        }
        ModelManifest manifest = new ModelDirectory(models).latest("race-dcgan28").orElseThrow();
        try (OrtSession session = OrtEnvironment.getEnvironment().createSession(new ModelDirectory(models).read(manifest),
                new OrtSession.SessionOptions())) {
            assertThat(session.getInputInfo()).as("a conditional generator takes a label").containsOnlyKeys("z", "label");
            assertThat(session.getMetadata().getCustomMetadata()).containsEntry(ModelMetadata.NUM_CLASSES, "3")
                    .as("the class names came with the data").containsEntry(ModelMetadata.CLASS_NAMES, "circle,square,cross");
        }
    }

    @Test
    void aFirst32x32RgbRecordDecidesA32x32RgbNetworkWhoseModelMakes32x32RgbImages() throws Exception {
        TopicCatalog topics = TestTopics.created(kafka, "rgb32");
        Path models = dir.resolve("rgb32/models");
        ImageShape rgb32 = new ImageShape(32, 32, 3);
        CloudEvents events = new CloudEvents("/test/ingest", java.time.Clock.systemUTC());
        Random random = new Random(9);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaSettings.of(kafka.bootstrapServers()).producer("test"),
                topics.train().keySerde().serializer(), topics.train().valueSerde().serializer())) {
            for (int i = 0; i < 24; i++) {
                CanonicalImage image = colourSquare(random, rgb32);
                String id = Hashes.imageId(image);
                producer.send(new ProducerRecord<>(topics.imagesTrain(), null, id, Png.encode(image),
                        new TrainImageHeaders(id, java.util.OptionalInt.empty(), rgb32, List.of()).write(events)));
            }
            producer.flush();
        }
        // --image-shape and --model-name left 'auto': the first record decides both.
        TrainerConfig config = TrainerConfig.of("--bootstrap-servers", kafka.bootstrapServers(), "--port", "0",
                "--topic-images-train", topics.imagesTrain(), "--topic-models", topics.modelsGenerator(),
                "--group-id", "rgb32", "--dataset", "cifar", "--conditional", "false",
                "--batch-size", "8", "--max-steps", "2", "--export-every-steps", "2", "--sample-every-steps", "2",
                "--generator-width", "8", "--discriminator-width", "8", "--idle-policy", "pause",
                "--models-dir", models.toString(), "--samples-dir", dir.resolve("rgb32/samples").toString(),
                "--checkpoint-dir", dir.resolve("rgb32/checkpoints").toString());
        try (TrainerService trainer = TrainerService.start(config, MeterRegistries.prometheus("trainer"))) {
            assertThat(trainer.awaitTermination(Duration.ofMinutes(2))).as("trained its 2 steps").isTrue();
            assertThat(trainer.status().step()).isEqualTo(2);
        }
        ModelManifest manifest = new ModelDirectory(models).latest("cifar-dcgan32").orElseThrow();
        assertThat(manifest.imageShape()).isEqualTo("32x32x3");
        try (OrtSession session = OrtEnvironment.getEnvironment().createSession(new ModelDirectory(models).read(manifest),
                new OrtSession.SessionOptions())) {
            assertThat(((TensorInfo) session.getOutputInfo().get("image").getInfo()).getShape())
                    .containsExactly(-1, 3, 32, 32);
        }
        Checkpoint last = CheckpointFile.read(new CheckpointStore(dir.resolve("rgb32/checkpoints"), 2,
                CheckpointStore.OnMismatch.FAIL).list().getFirst());
        assertThat(last.architecture().imageSize()).isEqualTo(32);
        assertThat(last.architecture().channels()).isEqualTo(3);
    }

    /** A square of one random colour, of random size and place, on black. */
    private static CanonicalImage colourSquare(Random random, ImageShape shape) {
        byte[] px = new byte[shape.values()];
        int size = 6 + random.nextInt(10);
        int x0 = random.nextInt(shape.width() - size);
        int y0 = random.nextInt(shape.height() - size);
        byte[] colour = {(byte) (64 + random.nextInt(192)), (byte) (64 + random.nextInt(192)), (byte) (64 + random.nextInt(192))};
        for (int y = y0; y < y0 + size; y++) {
            for (int x = x0; x < x0 + size; x++) {
                for (int c = 0; c < shape.channels(); c++) {
                    px[(y * shape.width() + x) * shape.channels() + c] = colour[c];
                }
            }
        }
        return new CanonicalImage(shape, px);
    }

    /** A training record as ingest writes it: CloudEvents headers, gan.label, gan.classes and gan.image.shape. */
    private static ProducerRecord<String, byte[]> ingested(TopicCatalog topics, CloudEvents events, CanonicalImage image, int label) {
        String id = Hashes.imageId(image);
        return new ProducerRecord<>(topics.imagesTrain(), null, id, Png.encode(image),
                new TrainImageHeaders(id, java.util.OptionalInt.of(label), image.shape(), List.of("circle", "square", "cross")).write(events));
    }

    private static ProducerRecord<String, byte[]> labelled(TopicCatalog topics, CanonicalImage image, String label) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topics.imagesTrain(), Hashes.imageId(image), Png.encode(image));
        GanHeaders.put(record.headers(), GanHeaders.LABEL, label);
        return record;
    }

    /** A bright square of random size and place on black: simple, learnable, canonical 28x28 gray. */
    private static CanonicalImage square(Random random) {
        return new CanonicalImage(SHAPE, Squares.pixels(random, 28));
    }
}
