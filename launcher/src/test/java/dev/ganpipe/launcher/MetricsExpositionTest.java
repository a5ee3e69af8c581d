package dev.ganpipe.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ganpipe.generator.GeneratorService;
import dev.ganpipe.ingest.IngestService;
import dev.ganpipe.trainer.TrainerService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        Path promtool = PrometheusTools.require(Promtool.find(), "promtool");
        try (RunningPipeline pipeline = RunningPipeline.start(dir)) {
            IngestService ingest = pipeline.ingest();
            TrainerService trainer = pipeline.trainer();
            GeneratorService generator = pipeline.generator();
            // Traffic first: many meters (per outcome, per endpoint, per export) appear only once something happened.
            pipeline.ingestSample(64);
            HttpClient http = HttpClient.newHttpClient();
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

    private static String send(HttpClient http, int port, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + path + " on port " + port).isEqualTo(200);
        return response.body();
    }
}
