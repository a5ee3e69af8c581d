package dev.ganpipe.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ganpipe.broker.EmbeddedKafka;
import dev.ganpipe.common.metrics.MeterRegistries;
import dev.ganpipe.generator.GeneratorService;
import dev.ganpipe.images.source.SampleData;
import dev.ganpipe.ingest.IngestConfig;
import dev.ganpipe.ingest.IngestService;
import dev.ganpipe.ingest.publish.IngestCommand;
import dev.ganpipe.trainer.TrainerService;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What each running service serves at {@code /metrics}, as Prometheus's own linter reads it: every {@code gan_*}
 * metric has HELP text and a name promtool accepts, and each service exposes its Kafka clients' metrics.
 */
class MetricsExpositionTest {

    @TempDir
    Path dir;

    @Test
    void promtoolFindsNothingToSayAboutAnyGanMetricOfTheThreeServices() throws Exception {
        Path promtool = Promtool.find().orElse(null);
        if (promtool == null) {
            // CI installs Debian's prometheus package (.ci/run); elsewhere say what is missing rather than pass.
            assertThat(System.getenv("CI")).as("promtool must be installed in CI (apt-get install prometheus)").isNull();
            Assumptions.abort("'promtool' is not on the PATH; install Debian's prometheus package to run this test.");
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            String bootstrap = kafka.bootstrapServers();
            PipelineConfigs configs = PipelineConfigs.on(bootstrap, dir, "--batch-size", "16", "--export-every-steps", "4");
            try (IngestService ingest = IngestService.start(configs.ingest(), MeterRegistries.prometheus("ingest"));
                 TrainerService trainer = TrainerService.start(configs.trainer(), MeterRegistries.prometheus("trainer"));
                 GeneratorService generator = GeneratorService.start(configs.generator(), MeterRegistries.prometheus("generator"))) {
                // Traffic first: many meters (per outcome, per endpoint, per export) appear only once something happened.
                IngestCommand.run(IngestConfig.parse(List.of("--bootstrap-servers", bootstrap, "--limit", "64"), Map.of()),
                        List.of(SampleData.FASHION_MNIST), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
                HttpClient http = HttpClient.newHttpClient();
                await().atMost(Duration.ofMinutes(3)).until(generator::ready);
                send(http, generator.port(), "/v1/generate?count=2&seed=1");
                send(http, trainer.port(), "/v1/status");
                send(http, ingest.port(), "/healthz");

                Map<String, Integer> ports = new LinkedHashMap<>();
                ports.put("ingest", ingest.port());
                ports.put("trainer", trainer.port());
                ports.put("generator-service", generator.port());
                List<String> problems = new ArrayList<>();
                for (Map.Entry<String, Integer> service : ports.entrySet()) {
                    String exposition = send(http, service.getValue(), "/metrics");
                    assertThat(exposition).as(service.getKey() + " exposes Kafka client metrics").contains("kafka_");
                    assertThat(exposition).as(service.getKey() + " exposes its own metrics").contains("# HELP gan_");
                    for (String line : Promtool.checkMetrics(promtool, exposition).lines().toList()) {
                        if (line.startsWith("gan_")) {
                            problems.add(service.getKey() + ": " + line);
                        }
                    }
                }
                assertThat(problems).as("promtool check metrics on the gan_* metrics").isEmpty();
            }
        }
    }

    private static String send(HttpClient http, int port, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + path + " on port " + port).isEqualTo(200);
        return response.body();
    }
}
