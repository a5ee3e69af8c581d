package dev.ganpipe.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ganpipe.broker.EmbeddedKafka;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.generator.GeneratorService;
import dev.ganpipe.images.normalize.ClassList;
import dev.ganpipe.images.source.DatasetProfile;
import dev.ganpipe.ingest.IngestConfig;
import dev.ganpipe.ingest.IngestService;
import dev.ganpipe.ingest.publish.IngestCommand;
import dev.ganpipe.ingest.publish.IngestSummary;
import dev.ganpipe.trainer.TrainerService;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's own labelled 64x64 RGB tar through the demo's code path on a real broker, with no shape or class flag: the
 * demo's profile decides 64x64x3 and the class names from the tar's folders, ingest normalises to them, the trainer
 * follows the stream into a conditional RGB network, and the generator serves 64x64 RGB images of a class asked for by
 * name, with the names in {@code /v1/models}.
 */
class OwnRgbDataEndToEndTest {

    private static final List<String> CLASSES = List.of("red-circles", "blue-squares", "green-bars");

    @TempDir
    Path dir;

    @Test
    void aLabelledRgbTarTrainsAConditional64x64RgbModelServedByClassName() throws Exception {
        Path archive = labelledRgbTar(dir.resolve("shapes.tar"), 16);
        DatasetProfile profile = DatasetProfile.scan(archive.toString(), Optional.empty(), Optional.empty(), line -> { });
        assertThat(profile.shape()).isEqualTo(new ImageShape(64, 64, 3));
        assertThat(profile.classes()).contains(ClassList.parse("blue-squares,green-bars,red-circles"));
        List<String> profileArgs = DemoCommand.profileArgs(profile);

        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            String bootstrap = kafka.bootstrapServers();
            PipelineConfigs configs = PipelineConfigs.on(bootstrap, dir, profileArgs, "--batch-size", "8", "--max-steps", "2",
                    "--export-every-steps", "2", "--dataset", DemoCommand.datasetName(archive.toString()));
            try (IngestService ingest = IngestService.start(configs.ingest(), MeterRegistries.prometheus("ingest"));
                    TrainerService trainer = TrainerService.start(configs.trainer(), MeterRegistries.prometheus("trainer"));
                    GeneratorService generator = GeneratorService.start(configs.generator(), MeterRegistries.prometheus("generator"))) {
                List<String> publishArgs = new ArrayList<>(List.of("--bootstrap-servers", bootstrap));
                publishArgs.addAll(profileArgs);
                IngestSummary summary = IngestCommand.run(IngestConfig.parse(publishArgs, Map.of()), List.of(archive.toString()),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
                assertThat(summary.sent()).isEqualTo(48);

                assertThat(trainer.awaitTermination(Duration.ofMinutes(4))).as("the trainer finished its 2 steps").isTrue();
                await().atMost(Duration.ofMinutes(1)).until(generator::ready);
                HttpClient http = HttpClient.newHttpClient();
                String base = "http://localhost:" + generator.port();

                String models = new String(get(http, base + "/v1/models").body(), StandardCharsets.UTF_8);
                assertThat(models).contains("shapes-dcgan64", "64x64x3", "\"blue-squares\"", "\"green-bars\"", "\"red-circles\"");

                HttpResponse<byte[]> png = get(http, base + "/v1/generate?count=1&seed=3&label=green-bars&format=png");
                assertThat(png.statusCode()).isEqualTo(200);
                BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.body()));
                assertThat(image.getWidth()).isEqualTo(64);
                assertThat(image.getHeight()).isEqualTo(64);
                assertThat(image.getColorModel().getNumColorComponents()).as("RGB, not gray").isEqualTo(3);
                HttpResponse<byte[]> byIndex = get(http, base + "/v1/generate?count=1&seed=3&label=1&format=png");
                assertThat(byIndex.body()).as("label=green-bars is class 1 of the sorted names").isEqualTo(png.body());

                String ingestMetrics = new String(get(http, "http://localhost:" + ingest.port() + "/metrics").body(), StandardCharsets.UTF_8);
                assertThat(ingestMetrics).as("every image accepted, none refused for its label or shape")
                        .contains("gan_ingest_images_total{outcome=\"accepted\",reason=\"none\",service=\"ingest\"} 48.0",
                                "gan_ingest_images_total{outcome=\"rejected\",reason=\"bad_label\",service=\"ingest\"} 0.0");

                HttpResponse<byte[]> unknown = get(http, base + "/v1/generate?count=1&label=purple-stars");
                assertThat(unknown.statusCode()).isEqualTo(400);
                assertThat(new String(unknown.body(), StandardCharsets.UTF_8)).contains("purple-stars", "blue-squares");
            }
        }
    }

    /** {@code perClass} 64x64 RGB PNGs per class, each in its class's folder: coloured shapes on a varied background. */
    private static Path labelledRgbTar(Path archive, int perClass) throws IOException {
        Random random = new Random(5);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(archive))) {
            for (int c = 0; c < CLASSES.size(); c++) {
                for (int i = 0; i < perClass; i++) {
                    BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
                    Graphics2D g = image.createGraphics();
                    g.setColor(new Color(random.nextInt(60), random.nextInt(60), random.nextInt(60)));
                    g.fillRect(0, 0, 64, 64);
                    int x = 8 + random.nextInt(24);
                    int y = 8 + random.nextInt(24);
                    switch (c) {
                        case 0 -> {
                            g.setColor(new Color(200 + random.nextInt(56), 30, 30));
                            g.fillOval(x, y, 28, 28);
                        }
                        case 1 -> {
                            g.setColor(new Color(30, 30, 200 + random.nextInt(56)));
                            g.fillRect(x, y, 24, 24);
                        }
                        default -> {
                            g.setColor(new Color(30, 200 + random.nextInt(56), 30));
                            g.fillRect(x, 0, 10, 64);
                        }
                    }
                    g.dispose();
                    ByteArrayOutputStream png = new ByteArrayOutputStream();
                    ImageIO.write(image, "png", png);
                    TarArchiveEntry entry = new TarArchiveEntry(CLASSES.get(c) + "/" + i + ".png");
                    entry.setSize(png.size());
                    tar.putArchiveEntry(entry);
                    tar.write(png.toByteArray());
                    tar.closeArchiveEntry();
                }
            }
        }
        return archive;
    }

    private static HttpResponse<byte[]> get(HttpClient http, String uri) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
