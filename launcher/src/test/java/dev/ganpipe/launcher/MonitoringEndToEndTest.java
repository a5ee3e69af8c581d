package dev.ganpipe.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ganpipe.broker.LocalPorts;
import dev.ganpipe.common.kafka.KafkaSettings;
import dev.ganpipe.common.kafka.TopicCatalog;
import dev.ganpipe.generator.GeneratorService;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped monitoring against the real thing: the pipeline runs, a real Prometheus scrapes it with the project's
 * own config and alert rules, and every PromQL expression of every dashboard panel and alert rule is run through
 * Prometheus's HTTP API. Any expression that errors fails the test, and so does any panel that finds no series:
 * no dead panel, no misspelled metric.
 */
class MonitoringEndToEndTest {

    private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everyDashboardPanelAndAlertRuleEvaluatesOnRealMetrics() throws Exception {
        Path prometheusBinary = PrometheusTools.require(PrometheusProcess.findBinary(), "prometheus");
        try (RunningPipeline pipeline = RunningPipeline.start(dir);
                PrometheusProcess prometheus = PrometheusProcess.start(prometheusBinary, REPO.resolve("monitoring"), Map.of(
                        "ingest", "localhost:" + pipeline.ingest().port(), "trainer", "localhost:" + pipeline.trainer().port(),
                        "generator-service", "localhost:" + pipeline.generator().port()), Duration.ofSeconds(1), dir.resolve("prometheus"),
                        LocalPorts.free())) {
            // Prometheus scrapes from before the traffic, so every rate has samples on both sides of it.
            GeneratorService generator = pipeline.generator();
            produceRejectedImages(pipeline.kafka().bootstrapServers());
            pipeline.ingestSample(120);
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < 5; i++) {
                http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + generator.port() + "/v1/generate?count=4&seed=" + i)).build(),
                        HttpResponse.BodyHandlers.discarding());
            }
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> query(http, prometheus, "sum(up)").path("data").path("result").path(0).path("value").path(1).asText(), "4"::equals);
            // Rates need two samples inside their window; a few scrapes after traffic give them.
            Thread.sleep(5_000);

            List<String> problems = new ArrayList<>();
            for (Map.Entry<String, String> panel : dashboardExpressions().entrySet()) {
                JsonNode answer = query(http, prometheus, panel.getValue());
                if (!"success".equals(answer.path("status").asText())) {
                    problems.add("panel " + panel.getKey() + ": error " + answer.path("error").asText() + " in " + panel.getValue());
                } else if (answer.path("data").path("result").isEmpty()) {
                    problems.add("panel " + panel.getKey() + ": no series for " + panel.getValue());
                }
            }
            for (Map.Entry<String, String> rule : alertExpressions().entrySet()) {
                JsonNode answer = query(http, prometheus, rule.getValue());
                if (!"success".equals(answer.path("status").asText())) {
                    problems.add("alert " + rule.getKey() + ": error " + answer.path("error").asText() + " in " + rule.getValue());
                }
            }
            assertThat(problems).as("dashboard panels and alert rules evaluated by a real Prometheus").isEmpty();
            assertThat(dashboardExpressions()).hasSizeGreaterThan(20);
            assertThat(alertExpressions()).hasSizeGreaterThanOrEqualTo(10);
            assertThat(prometheus.alive()).isTrue();
        }
    }

    private static void produceRejectedImages(String bootstrap) {
        TopicCatalog topics = TopicCatalog.defaults();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaSettings.of(bootstrap).producer("monitoring-test"),
                topics.raw().keySerde().serializer(), topics.raw().valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topics.imagesRaw(), "bad-1".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3, 4}));
            producer.send(new ProducerRecord<>(topics.imagesRaw(), "bad-2".getBytes(StandardCharsets.UTF_8), new byte[0]));
            producer.flush();
        }
    }

    /** Every panel target of every dashboard, Grafana's range variables replaced with a concrete window. */
    private static Map<String, String> dashboardExpressions() throws IOException {
        Map<String, String> result = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(REPO.resolve("monitoring/grafana/dashboards"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode dashboard = JSON.readTree(file.toFile());
                collectPanels(dashboard.path("panels"), file.getFileName().toString(), defaults(dashboard), result);
            }
        }
        return result;
    }

    /**
     * What Grafana puts in for each template variable when the dashboard opens: the "All" value of a multi-value
     * variable, else its current value (the compose stack's job names, which this test's Prometheus uses too).
     */
    private static Map<String, String> defaults(JsonNode dashboard) {
        Map<String, String> values = new LinkedHashMap<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            values.put(variable.path("name").asText(), variable.path("includeAll").asBoolean()
                    ? variable.path("allValue").asText() : variable.path("current").path("value").asText());
        }
        return values;
    }

    private static void collectPanels(JsonNode panels, String dashboard, Map<String, String> variables, Map<String, String> into) {
        for (JsonNode panel : panels) {
            collectPanels(panel.path("panels"), dashboard, variables, into); // rows hold panels
            int i = 0;
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                if (!expr.isBlank()) {
                    String withWindows = expr.replace("$__rate_interval", "30s").replace("$__interval", "5s").replace("$__range", "5m");
                    into.put(dashboard + " / " + panel.path("title").asText() + " #" + i++, substitute(withWindows, variables, dashboard));
                }
            }
        }
    }

    private static String substitute(String expr, Map<String, String> variables, String dashboard) {
        Matcher m = Pattern.compile("\\$\\{?(\\w+)}?").matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = variables.get(m.group(1));
            assertThat(value).as(dashboard + " uses $" + m.group(1) + ", which is none of its template variables").isNotNull();
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    private static Map<String, String> alertExpressions() throws IOException {
        Map<String, String> result = new LinkedHashMap<>();
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(REPO.resolve("monitoring/prometheus/alerts.yml").toFile());
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                result.put(rule.path("alert").asText(rule.path("record").asText()), rule.path("expr").asText());
            }
        }
        return result;
    }

    private static JsonNode query(HttpClient http, PrometheusProcess prometheus, String expr) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + prometheus.port() + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }
}
