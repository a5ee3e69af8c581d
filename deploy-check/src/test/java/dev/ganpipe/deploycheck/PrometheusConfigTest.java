package dev.ganpipe.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** monitoring/prometheus/prometheus.yml and Grafana's provisioning against the compose services. */
class PrometheusConfigTest {

    private static final JsonNode CONFIG = Repo.yaml("monitoring/prometheus/prometheus.yml");

    @Test
    void scrapesEveryPipelineServiceByItsComposeNameAndDefaultPort() {
        Map<String, List<String>> targets = new TreeMap<>();
        for (JsonNode job : CONFIG.path("scrape_configs")) {
            List<String> jobTargets = new java.util.ArrayList<>();
            job.path("static_configs").forEach(sc -> jobTargets.addAll(Repo.texts(sc.path("targets"))));
            targets.put(job.path("job_name").asText(), jobTargets);
            assertThat(job.path("metrics_path").asText("/metrics")).as("metrics path of " + job.path("job_name").asText()).isEqualTo("/metrics");
        }
        Map<String, Integer> ports = DesignPorts.fromDesign();
        assertThat(targets).isEqualTo(Map.of(
                "prometheus", List.of("localhost:9090"),
                DesignPorts.INGEST, List.of("ingest:" + ports.get(DesignPorts.INGEST)),
                DesignPorts.TRAINER, List.of("trainer:" + ports.get(DesignPorts.TRAINER)),
                DesignPorts.GENERATOR, List.of("generator-service:" + ports.get(DesignPorts.GENERATOR))));
    }

    @Test
    void everyScrapeTargetIsAComposeServiceListeningOnThatPort() {
        Map<String, JsonNode> services = Repo.composeServices();
        for (JsonNode job : CONFIG.path("scrape_configs")) {
            if (job.path("job_name").asText().equals("prometheus")) {
                continue;
            }
            for (JsonNode sc : job.path("static_configs")) {
                for (String target : Repo.texts(sc.path("targets"))) {
                    String host = target.substring(0, target.indexOf(':'));
                    String port = target.substring(target.indexOf(':') + 1);
                    assertThat(services).as("compose services").containsKey(host);
                    assertThat(Repo.texts(services.get(host).path("ports"))).as("ports of " + host).contains(port + ":" + port);
                }
            }
        }
    }

    @Test
    void scrapesAndEvaluatesEvery15SecondsWithTheAlertRules() {
        assertThat(CONFIG.path("global").path("scrape_interval").asText()).isEqualTo("15s");
        assertThat(CONFIG.path("global").path("evaluation_interval").asText()).isEqualTo("15s");
        assertThat(Repo.texts(CONFIG.path("rule_files"))).containsExactly("alerts.yml");
        assertThat(Repo.file("monitoring/prometheus/alerts.yml")).exists();
    }

    @Test
    void grafanaReadsThisPrometheusUnderUidPrometheusAndLoadsTheMountedDashboards() {
        JsonNode datasources = Repo.yaml("monitoring/grafana/provisioning/datasources/prometheus.yml").path("datasources");
        assertThat(datasources).hasSize(1);
        JsonNode prometheus = datasources.get(0);
        assertThat(prometheus.path("uid").asText()).isEqualTo("prometheus");
        assertThat(prometheus.path("type").asText()).isEqualTo("prometheus");
        assertThat(prometheus.path("url").asText()).isEqualTo("http://prometheus:9090");
        assertThat(Repo.texts(Repo.composeServices().get("prometheus").path("ports"))).contains("9090:9090");

        JsonNode providers = Repo.yaml("monitoring/grafana/provisioning/dashboards/dashboards.yml").path("providers");
        assertThat(providers).hasSize(1);
        assertThat(providers.get(0).path("type").asText()).isEqualTo("file");
        assertThat(providers.get(0).path("options").path("path").asText()).isEqualTo("/var/lib/grafana/dashboards");
    }
}
