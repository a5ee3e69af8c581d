package dev.ganpipe.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboards: they parse, read the datasource the importer picks, filter by job and instance, and query
 * only metrics that exist.
 */
class DashboardsTest {

    private static final Path FOLDER = Repo.root().resolve("monitoring/grafana/dashboards");
    /** The datasource template variable: whoever imports a dashboard picks their own Prometheus. */
    private static final String DATASOURCE = "${datasource}";
    /** A selector of one of the pipeline's metrics, with its matchers. */
    private static final Pattern SELECTOR = Pattern.compile("\\b(gan_\\w+|up)\\b(\\{[^}]*})?");

    private static List<Path> dashboards() throws IOException {
        try (Stream<Path> files = Files.list(FOLDER)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }

    /** Every panel, including those nested in rows. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> result = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            result.add(panel);
            panel.path("panels").forEach(result::add);
        }
        return result;
    }

    @Test
    void theOverviewTrainingAndServingDashboardsAreThere() throws IOException {
        assertThat(dashboards()).extracting(p -> p.getFileName().toString())
                .contains("pipeline-overview.json", "training.json", "serving.json");
    }

    @Test
    void everyDashboardParsesWithAUniqueUidTitleAndPanelIds() throws IOException {
        Set<String> uids = new TreeSet<>();
        for (Path file : dashboards()) {
            JsonNode dashboard = Repo.json(file);
            assertThat(dashboard.path("title").asText()).as("title of " + file.getFileName()).isNotBlank();
            assertThat(uids.add(dashboard.path("uid").asText())).as("uid of " + file.getFileName() + " is unique").isTrue();
            Set<Integer> ids = new TreeSet<>();
            for (JsonNode panel : panels(dashboard)) {
                assertThat(ids.add(panel.path("id").asInt())).as("panel id " + panel.path("id") + " in " + file.getFileName() + " is unique").isTrue();
                JsonNode grid = panel.path("gridPos");
                assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as("panel " + panel.path("title") + " fits 24 columns").isLessThanOrEqualTo(24);
            }
            assertThat(ids).as("panels of " + file.getFileName()).isNotEmpty();
        }
    }

    @Test
    void everyPanelAndTargetQueriesTheDatasourceChosenInTheDatasourceVariable() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path file : dashboards()) {
            for (JsonNode panel : panels(Repo.json(file))) {
                if (panel.path("type").asText().equals("row")) {
                    continue;
                }
                String where = file.getFileName() + " / " + panel.path("title").asText();
                if (!panel.path("datasource").path("uid").asText().equals(DATASOURCE)) {
                    problems.add(where + ": the panel's datasource uid is not " + DATASOURCE + ", so it cannot be imported into another Grafana");
                }
                if (panel.path("targets").isEmpty()) {
                    problems.add(where + ": the panel has no query");
                }
                for (JsonNode target : panel.path("targets")) {
                    if (!target.path("datasource").path("uid").asText().equals(DATASOURCE)) {
                        problems.add(where + " [" + target.path("refId").asText() + "]: the target's datasource uid is not " + DATASOURCE);
                    }
                    if (target.path("expr").asText().isBlank()) {
                        problems.add(where + " [" + target.path("refId").asText() + "]: the target has no expr");
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyDashboardHasDatasourceJobAndInstanceVariablesAndEverySelectorUsesThem() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path file : dashboards()) {
            JsonNode dashboard = Repo.json(file);
            Set<String> variables = new TreeSet<>();
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                variables.add(variable.path("name").asText());
                if (variable.path("type").asText().equals("query")
                        && !variable.path("datasource").path("uid").asText().equals(DATASOURCE)) {
                    problems.add(file.getFileName() + ": variable " + variable.path("name").asText() + " does not query " + DATASOURCE);
                }
            }
            if (!variables.contains("datasource") || !variables.contains("instance")
                    || variables.stream().noneMatch(v -> v.equals("job") || v.endsWith("_job"))) {
                problems.add(file.getFileName() + " has the variables " + variables + "; it needs datasource, instance and a job variable");
            }
            for (JsonNode panel : panels(dashboard)) {
                for (JsonNode target : panel.path("targets")) {
                    Matcher m = SELECTOR.matcher(target.path("expr").asText());
                    while (m.find()) {
                        String matchers = m.group(2) == null ? "" : m.group(2);
                        if (!matchers.matches(".*job=~\"\\$\\w*job\".*") || !matchers.contains("instance=~\"$instance\"")) {
                            problems.add(file.getFileName() + " / " + panel.path("title").asText() + ": " + m.group()
                                    + " does not filter on the job and instance variables, so replicas and environments mix");
                        }
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyQueryUsesOnlyThePipelinesOwnMetrics() throws IOException {
        Set<String> known = new TreeSet<>(KnownMetrics.pipeline());
        known.addAll(KnownMetrics.PROMETHEUS_SYNTHETIC);
        List<String> problems = new ArrayList<>();
        for (Path file : dashboards()) {
            for (JsonNode panel : panels(Repo.json(file))) {
                for (JsonNode target : panel.path("targets")) {
                    for (String metric : PromQl.metricNames(target.path("expr").asText())) {
                        if (!known.contains(metric)) {
                            problems.add(file.getFileName() + " / " + panel.path("title").asText() + " uses " + metric
                                    + ", which no service exposes");
                        }
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }
}
