package dev.ganpipe.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ganpipe.broker.EmbeddedKafka;
import dev.ganpipe.broker.LocalPorts;
import dev.ganpipe.common.config.ConfigValues;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.generator.GeneratorConfig;
import dev.ganpipe.generator.GeneratorService;
import dev.ganpipe.ingest.IngestConfig;
import dev.ganpipe.ingest.IngestService;
import dev.ganpipe.reliability.CapturedLog;
import dev.ganpipe.trainer.TrainerConfig;
import dev.ganpipe.trainer.TrainerService;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest, the generator service and the trainer started while no broker listens on the port they were given: each
 * answers {@code /readyz} 503 saying the broker is unreachable, logs that once (not once per retry), and becomes ready
 * by itself once the broker starts on that port.
 */
class BrokerDownAtStartTest {

    @TempDir
    Path dir;

    @Test
    void servicesStartedBeforeTheBrokerSayWhyTheyAreNotReadyAndBecomeReadyByThemselvesWhenItAppears() throws Exception {
        int brokerPort = LocalPorts.free();
        String bootstrap = "localhost:" + brokerPort;
        TopicCatalog d = TopicCatalog.defaults();
        TopicCatalog topics = new TopicCatalog("down." + d.imagesRaw(), "down." + d.imagesTrain(), "down." + d.imagesDlq(),
                "down." + d.modelsGenerator(), "down." + d.syntheticRequests(), "down." + d.syntheticImages());
        List<String> topicArgs = List.of("--bootstrap-servers", bootstrap,
                "--topic-images-raw", topics.imagesRaw(), "--topic-images-train", topics.imagesTrain(),
                "--topic-images-dlq", topics.imagesDlq(), "--topic-models", topics.modelsGenerator(),
                "--topic-synthetic-requests", topics.syntheticRequests(), "--topic-synthetic-images", topics.syntheticImages());
        Faults.Model model = Faults.Model.train(1, 1);

        EmbeddedKafka kafka = null;
        List<AutoCloseable> services = new ArrayList<>();
        try (CapturedLog log = new CapturedLog(); HttpClient http = HttpClient.newHttpClient()) {
            // Ingest creates the pipeline's topics itself once the broker answers (--create-topics true, the default).
            IngestService ingest = IngestService.start(IngestConfig.parse(concat(topicArgs, "--port", "0", "--http-host", "127.0.0.1",
                    "--state-dir", dir.resolve("streams").toString(), "--application-id", "faults-down", "--topic-partitions", "1"),
                    Map.of()), MeterRegistries.prometheus("ingest"));
            services.add(ingest);
            GeneratorService generator = GeneratorService.start(GeneratorConfig.from(ConfigValues.parse(GeneratorConfig.spec(),
                    concat(topicArgs, "--host", "127.0.0.1", "--port", "0", "--ort-provider", "cpu", "--requests-app-id", "faults-down-requests",
                            "--allow-unsigned-models"),
                    Map.of())), MeterRegistries.prometheus("generator"));
            services.add(generator);
            int trainerPort = LocalPorts.free();
            TrainerConfig trainerConfig = TrainerConfig.of(concat(topicArgs, "--host", "127.0.0.1", "--port", Integer.toString(trainerPort),
                    "--conditional", "false", "--image-shape", "28x28x1", "--batch-size", "8", "--generator-width", "16", "--discriminator-width", "16",
                    "--export-every-steps", "1000", "--models-dir", dir.resolve("models").toString(),
                    "--samples-dir", dir.resolve("samples").toString(), "--checkpoint-dir", dir.resolve("checkpoints").toString())
                    .toArray(String[]::new));
            // Shape and conditional mode given, so the trainer needs no image to start (with 'auto' it waits for one, not ready).
            // The trainer reads its topics while it starts, so start() returns only once the broker (and they) are there.
            CompletableFuture<TrainerService> trainer = CompletableFuture.supplyAsync(
                    () -> TrainerService.start(trainerConfig, MeterRegistries.prometheus("trainer")));

            for (int port : List.of(ingest.port(), generator.port(), trainerPort)) {
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
                    HttpResponse<String> ready = Faults.get(http, port, "/readyz");
                    assertThat(ready.statusCode()).isEqualTo(503);
                    assertThat(ready.body()).contains("Kafka at " + bootstrap + " is unreachable").contains("retries every");
                });
            }
            assertThat(trainer).isNotDone();

            kafka = EmbeddedKafka.start(dir.resolve("kafka"), brokerPort);
            await().atMost(Duration.ofSeconds(90)).until(ingest::ready);
            try (KafkaProducer<byte[], byte[]> producer = Faults.producer(bootstrap)) {
                Faults.send(producer, model.record(topics.modelsGenerator()));
            }
            TrainerService trainerService = trainer.get(90, TimeUnit.SECONDS);
            services.add(trainerService);
            for (int port : List.of(ingest.port(), generator.port(), trainerService.port())) {
                await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
                        .until(() -> Faults.get(http, port, "/readyz").statusCode() == 200);
            }

            List<String> lines = log.lines();
            for (String service : List.of("ingest", "generator", "trainer")) {
                assertThat(lines).as("one line says %s waits for the broker", service)
                        .filteredOn(l -> l.contains("is unreachable") && l.contains("; " + service + " waits")).hasSize(1);
                assertThat(lines).as("one line says the broker is back for %s", service)
                        .filteredOn(l -> l.contains("answers again; " + service)).hasSize(1);
            }
            assertThat(lines).as("no warning per reconnect attempt from the Kafka clients")
                    .noneMatch(l -> l.contains("could not be established") || l.contains("disconnected"));
            System.out.printf("broker down at start: %d log lines in all while waiting and starting%n", lines.size());
        } finally {
            for (int i = services.size() - 1; i >= 0; i--) {
                services.get(i).close();
            }
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    private static List<String> concat(List<String> first, String... more) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return all;
    }
}
