package dev.ganpipe.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ganpipe.broker.TestBroker;
import dev.ganpipe.common.http.OpenApiContract;
import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.Hashes;
import dev.ganpipe.common.image.Png;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.metrics.MeterRegistries;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The trainer's answers, before and after its first step, against the OpenAPI document it serves. */
class TrainerOpenApiTest {

    @RegisterExtension
    static final TestBroker kafka = new TestBroker();

    @TempDir
    Path dir;

    @Test
    void everyEndpointAnswersAsItsOpenApiDocumentSays() throws Exception {
        TopicCatalog topics = TestTopics.created(kafka, "openapi");
        TrainerConfig config = TrainerConfig.of("--bootstrap-servers", kafka.bootstrapServers(), "--port", "0",
                "--topic-images-train", topics.imagesTrain(), "--topic-models", topics.modelsGenerator(),
                "--batch-size", "8", "--max-steps", "2", "--export-every-steps", "2", "--sample-every-steps", "1",
                "--generator-width", "8", "--discriminator-width", "8",
                "--models-dir", dir.resolve("models").toString(), "--samples-dir", dir.resolve("samples").toString(),
                "--checkpoint-dir", dir.resolve("checkpoints").toString());
        try (TrainerService trainer = TrainerService.start(config, MeterRegistries.prometheus("trainer"))) {
            OpenApiContract api = OpenApiContract.of(URI.create("http://127.0.0.1:" + trainer.port()));
            // Before any image: the status with NaN losses, and no sample grid yet (503).
            api.getEach("/v1/status", "/v1/samples/latest.png");

            produceSquares(topics, 32);
            assertThat(trainer.awaitTermination(Duration.ofMinutes(3))).as("the trainer finished its 2 steps").isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> api.call("/v1/samples/latest.png",
                    api.request("/v1/samples/latest.png")).statusCode() == 200);
            assertThat(api.call("/v1/status", api.request("/v1/status")).statusCode()).isEqualTo(200);
            // Quality is off without --quality-data: both quality endpoints answer 404 with a JSON error.
            assertThat(api.call("/v1/quality", api.request("/v1/quality")).statusCode()).isEqualTo(404);
            assertThat(api.call("/v1/quality/chart.png", api.request("/v1/quality/chart.png")).statusCode()).isEqualTo(404);
            api.getEach("/healthz", "/readyz", "/metrics", "/openapi.json");
            api.assertEveryOperationWasCalled();
        }
    }

    private static void produceSquares(TopicCatalog topics, int count) {
        Random random = new Random(3);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaSettings.of(kafka.bootstrapServers()).producer("test"),
                topics.train().keySerde().serializer(), topics.train().valueSerde().serializer())) {
            for (int i = 0; i < count; i++) {
                CanonicalImage image = new CanonicalImage(Squares.SHAPE, Squares.pixels(random, 28));
                producer.send(new ProducerRecord<>(topics.imagesTrain(), Hashes.imageId(image), Png.encode(image)));
            }
            producer.flush();
        }
    }
}
