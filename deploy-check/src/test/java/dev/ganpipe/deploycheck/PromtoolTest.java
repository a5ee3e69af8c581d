package dev.ganpipe.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prometheus's own checks: the config loads, the rules parse, the rule unit tests in alerts_test.yml pass, and every
 * dashboard query parses. Needs
 * {@code promtool} (Debian/Ubuntu: {@code apt-get install prometheus}). Without it the tests are skipped on a
 * developer's machine, and fail under CI (environment variable {@code CI} set), which installs it.
 */
class PromtoolTest {

    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void theConfigIsValid() throws Exception {
        assertPromtoolPasses("check", "config", "monitoring/prometheus/prometheus.yml");
    }

    @Test
    void theAlertRulesAreValid() throws Exception {
        assertPromtoolPasses("check", "rules", "monitoring/prometheus/alerts.yml");
    }

    @Test
    void theAlertRuleUnitTestsPass() throws Exception {
        assertPromtoolPasses("test", "rules", "monitoring/prometheus/alerts_test.yml");
    }

    /**
     * Grafana cannot tell a PromQL syntax error from "no data". Every dashboard query, Grafana's interval variables
     * replaced by a duration, becomes a recording rule, and promtool parses them.
     */
    @Test
    void everyDashboardQueryIsValidPromQl(@TempDir Path temp) throws Exception {
        ArrayNode rules = YAML.createArrayNode();
        try (Stream<Path> files = Files.list(Repo.root().resolve("monitoring/grafana/dashboards"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                for (JsonNode panel : DashboardsTest.panels(Repo.json(file))) {
                    for (JsonNode target : panel.path("targets")) {
                        String expr = target.path("expr").asText().replaceAll("\\$\\{?__(rate_interval|interval|range)\\}?", "5m")
                                // The job and instance variables stand in label matchers' regexes: any regex parses the same.
                                .replaceAll("\\$\\{?\\w+\\}?", ".+");
                        // The record name says where a parse error is: <dashboard>:panel_<id>:<refId>.
                        String record = file.getFileName().toString().replace(".json", "").replaceAll("\\W", "_")
                                + ":panel_" + panel.path("id").asInt() + ":" + target.path("refId").asText();
                        rules.addObject().put("record", record).put("expr", expr);
                    }
                }
            }
        }
        assertThat(rules).isNotEmpty();
        ObjectNode doc = YAML.createObjectNode();
        doc.putArray("groups").addObject().put("name", "dashboard-queries").set("rules", rules);
        Path file = temp.resolve("dashboard-queries.yml");
        YAML.writeValue(file.toFile(), doc);
        assertPromtoolPasses("check", "rules", file.toString());
    }

    private static void assertPromtoolPasses(String... args) throws IOException, InterruptedException {
        Path promtool = promtool();
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(Repo.root().toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output;
        try (var in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("promtool " + String.join(" ", args) + " did not finish within 2 minutes.");
        }
        assertThat(process.exitValue()).as("promtool " + String.join(" ", args) + " said:\n" + output).isZero();
    }

    private static Path promtool() {
        Optional<Path> found = onPath("promtool");
        if (found.isPresent()) {
            return found.get();
        }
        String ci = System.getenv("CI");
        String missing = "promtool is not on the PATH; install Prometheus's tools (Debian/Ubuntu: apt-get install -y prometheus).";
        if (ci != null && !ci.isBlank()) {
            fail(missing + " CI is set, and CI must run these checks, so this is a failure, not a skip.");
        }
        return Assumptions.abort(missing + " Skipped outside CI (CI unset): the Prometheus config and alert rule checks did not run.");
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
