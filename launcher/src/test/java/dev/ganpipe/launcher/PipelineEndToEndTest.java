package dev.ganpipe.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ganpipe.broker.EmbeddedKafka;
import dev.ganpipe.common.image.ImageGrid;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.generator.GeneratorService;
import dev.ganpipe.images.source.SampleData;
import dev.ganpipe.ingest.IngestConfig;
import dev.ganpipe.ingest.IngestService;
import dev.ganpipe.ingest.publish.IngestCommand;
import dev.ganpipe.ingest.publish.IngestSummary;
import dev.ganpipe.trainer.TrainerService;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton end to end on a real broker: real Fashion-MNIST images in through ingest, a few real
 * training steps, a real ONNX generator published on the models topic, and the generator service answering with
 * a PNG grid whose bytes depend only on the seed and the model version. The trainer starts before any image exists,
 * as in {@code ./gan demo}, and trains a conditional model on the labelled sample.
 */
class PipelineEndToEndTest {

    @TempDir
    Path dir;

    @Test
    void imagesInModelOutSyntheticPngBack() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            String bootstrap = kafka.bootstrapServers();
            Map<String, String> env = Map.of();
            PipelineConfigs configs = PipelineConfigs.on(bootstrap, dir, "--batch-size", "32", "--max-steps", "6", "--export-every-steps", "3");

            try (IngestService ingest = IngestService.start(configs.ingest(), MeterRegistries.prometheus("ingest"));
                 TrainerService trainer = TrainerService.start(configs.trainer(), MeterRegistries.prometheus("trainer"));
                 GeneratorService generator = GeneratorService.start(configs.generator(), MeterRegistries.prometheus("generator"))) {
                HttpClient http = HttpClient.newHttpClient();
                URI generate = URI.create("http://localhost:" + generator.port() + "/v1/generate?count=16&seed=1");
                assertThat(get(http, URI.create("http://localhost:" + generator.port() + "/readyz")).statusCode())
                        .as("not ready before any model").isEqualTo(503);

                IngestConfig publish = IngestConfig.parse(List.of("--bootstrap-servers", bootstrap, "--limit", "200"), env);
                IngestSummary summary = IngestCommand.run(publish, List.of(SampleData.FASHION_MNIST),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
                assertThat(summary.sent()).isEqualTo(200);

                assertThat(trainer.awaitTermination(Duration.ofMinutes(4))).as("trainer finished its 6 steps").isTrue();
                assertThat(trainer.status().step()).isEqualTo(6);
                assertThat(trainer.status().imagesSeen()).isPositive();
                await().atMost(Duration.ofMinutes(1)).until(generator::ready);
                // The trainer published v1 (step 3) and v2 (step 6); the service swaps to the newest.
                await().atMost(Duration.ofMinutes(1)).until(() -> "2".equals(get(http, generate).headers().firstValue("X-Model-Version").orElse("")));

                HttpResponse<byte[]> first = get(http, generate);
                HttpResponse<byte[]> second = get(http, generate);
                assertThat(first.statusCode()).isEqualTo(200);
                assertThat(first.headers().firstValue("Content-Type")).contains("image/png");
                BufferedImage grid = ImageIO.read(new ByteArrayInputStream(first.body()));
                int side = ImageGrid.columnsFor(16) * 28 + (ImageGrid.columnsFor(16) + 1) * 2;
                assertThat(grid.getWidth()).isEqualTo(side);
                assertThat(grid.getHeight()).isEqualTo(side);
                assertThat(second.body()).as("same seed, same model: same bytes").isEqualTo(first.body());
                HttpResponse<byte[]> otherSeed = get(http, URI.create("http://localhost:" + generator.port() + "/v1/generate?count=16&seed=2"));
                assertThat(otherSeed.body()).isNotEqualTo(first.body());

                // The trainer started before any image, waited for the first and trained conditional on the labelled
                // sample; the class names came with the data (ingest's gan.classes) into the model and /v1/models.
                String models = new String(get(http, URI.create("http://localhost:" + generator.port() + "/v1/models")).body(),
                        StandardCharsets.UTF_8);
                assertThat(models).contains("\"T-shirt/top\"", "\"Sneaker\"", "\"Ankle boot\"");
                assertThat(get(http, URI.create("http://localhost:" + generator.port() + "/v1/generate?count=4&seed=1&label=7")).statusCode())
                        .as("a conditional model takes a label").isEqualTo(200);

                String ingestMetrics = new String(get(http, URI.create("http://localhost:" + ingest.port() + "/metrics")).body(), StandardCharsets.UTF_8);
                assertThat(ingestMetrics).contains("gan_ingest_images_total{outcome=\"accepted\"");
                String generatorMetrics = new String(get(http, URI.create("http://localhost:" + generator.port() + "/metrics")).body(), StandardCharsets.UTF_8);
                assertThat(generatorMetrics).contains("gan_generator_model_version", "gan_generator_images_total");
            }
        }
    }

    private static HttpResponse<byte[]> get(HttpClient http, URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
