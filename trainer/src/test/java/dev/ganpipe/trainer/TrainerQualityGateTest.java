package dev.ganpipe.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ganpipe.broker.TestBroker;
import dev.ganpipe.common.image.CanonicalImage;
import dev.ganpipe.common.image.Hashes;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.image.Png;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.common.model.ModelDirectory;
import dev.ganpipe.common.model.ModelManifest;
import dev.ganpipe.quality.data.LoaderOptions;
import dev.ganpipe.quality.data.RealData;
import dev.ganpipe.quality.data.RealDataLoader;
import dev.ganpipe.trainer.quality.QualityHistory;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * In-training quality and the publish gate on a real broker, with the real evaluator on the bundled Fashion-MNIST
 * sample: a trained generator publishes with its scores; a freshly initialised one after it is refused.
 */
class TrainerQualityGateTest {

    private static final ImageShape SHAPE = ImageShape.FASHION_MNIST;

    @TempDir
    static Path dir;
    @RegisterExtension
    static final TestBroker kafka = new TestBroker();
    static TopicCatalog topics;

    @BeforeAll
    static void publishTheSample() throws Exception {
        topics = TestTopics.created(kafka, "gate");
        KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers());
        RealData sample = RealDataLoader.read("sample:fashion-mnist", LoaderOptions.forShape(SHAPE));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings.producer("test"),
                topics.train().keySerde().serializer(), topics.train().valueSerde().serializer())) {
            for (int i = 0; i < sample.count(); i++) {
                CanonicalImage image = sample.image(i);
                producer.send(new ProducerRecord<>(topics.imagesTrain(), Hashes.imageId(image), Png.encode(image)));
            }
            producer.flush();
        }
    }

    private static TrainerConfig config(String run, int maxSteps) {
        return TrainerConfig.of("--bootstrap-servers", kafka.bootstrapServers(), "--port", "0",
                "--topic-images-train", topics.imagesTrain(), "--topic-models", topics.modelsGenerator(), "--group-id", "gate-" + run,
                "--conditional", "false", "--batch-size", "32", "--generator-width", "32", "--discriminator-width", "32",
                "--max-steps", Integer.toString(maxSteps), "--export-every-steps", "100000", "--export-every", "1h",
                "--quality-data", "sample:fashion-mnist", "--quality-count", "100", "--quality-every-steps", "100",
                "--quality-dir", dir.resolve("quality").toString(), "--quality-cache-dir", dir.resolve("classifiers").toString(),
                "--models-dir", dir.resolve("models").toString(), "--samples-dir", dir.resolve("samples-" + run).toString(),
                "--checkpoint-dir", dir.resolve("checkpoints-" + run).toString());
    }

    @Test
    void aTrainedGeneratorPublishesWithItsScoresAndAFreshOneAfterItIsRefused() throws Exception {
        ModelDirectory models = new ModelDirectory(dir.resolve("models"));
        PrometheusMeterRegistry first = MeterRegistries.prometheus("trainer");
        try (TrainerService trainer = TrainerService.start(config("trained", 200), first)) {
            assertThat(trainer.awaitTermination(Duration.ofMinutes(8))).as("200 steps done").isTrue();
            assertThat(trainer.status().state()).isEqualTo("stopped");
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<byte[]> chart = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + trainer.port()
                    + "/v1/quality/chart.png")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(chart.statusCode()).isEqualTo(200);
            assertThat(chart.headers().firstValue("content-type")).contains("image/png");
            HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + trainer.port()
                    + "/v1/status")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(status.body()).contains("\"quality\":{\"step\":200", "\"outcome\":\"published\"");
        }
        assertThat(first.scrape()).containsPattern("gan_trainer_quality\\{metric=\"fid\",service=\"trainer\"} [0-9]")
                .contains("gan_trainer_quality_gate_refusals_total{service=\"trainer\"} 0.0");
        ModelManifest trained = models.latest("fashion-dcgan28").orElseThrow();
        assertThat(trained.version()).isEqualTo(1);
        assertThat(trained.metrics()).containsKeys("quality_fid", "quality_precision", "quality_recall", "quality_coverage");
        double trainedFid = trained.metrics().get("quality_fid");

        // A new trainer with no checkpoint starts from fresh weights; its first export is judged against v1 and refused.
        PrometheusMeterRegistry second = MeterRegistries.prometheus("trainer");
        try (TrainerService trainer = TrainerService.start(config("fresh", 1), second)) {
            assertThat(trainer.awaitTermination(Duration.ofMinutes(3))).isTrue();
            assertThat(trainer.status().state()).isEqualTo("stopped");
            assertThat(trainer.status().lastExportVersion()).as("nothing new was published").isEqualTo(0);
        }
        assertThat(second.scrape()).contains("gan_trainer_quality_gate_refusals_total{service=\"trainer\"} 1.0");
        assertThat(models.latest("fashion-dcgan28").orElseThrow().version()).as("the live model is still v1").isEqualTo(1);

        List<String> csv = new ArrayList<>(Files.readAllLines(dir.resolve("quality").resolve(QualityHistory.CSV)));
        assertThat(csv.getFirst()).startsWith("step,time,outcome,fid");
        // A scheduled measurement at 100, the published final export at 200, the refused one at step 1.
        assertThat(csv.subList(1, csv.size())).extracting(line -> line.split(",")[0] + " " + line.split(",")[2])
                .containsExactly("100 evaluated", "200 published", "1 refused");
        double freshFid = Double.parseDouble(csv.getLast().split(",")[3]);
        assertThat(freshFid).as("the fresh generator is far worse than the trained one").isGreaterThan(1.1 * trainedFid);
        assertThat(Files.exists(dir.resolve("quality").resolve(QualityHistory.CHART))).isTrue();
    }
}
