package dev.ganpipe.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** monitoring/prometheus/alerts.yml: annotations, runbooks that resolve, known metrics, and a test per alert. */
class AlertRulesTest {

    private static final String RUNBOOK_DOC = "docs/operations.md";

    /** The alerts operators were promised; removing one must be deliberate. */
    private static final Set<String> REQUIRED = Set.of("ServiceDown", "TrainerStalled", "DiscriminatorOverpowering",
            "ModeCollapse", "ModelStale", "QualityGateRefusing", "IngestRejectRateHigh", "ConsumerLagHigh",
            "GeneratorErrorRateHigh", "GeneratorLatencyHigh", "ModelSwapRejected");

    private static Map<String, JsonNode> alerts() {
        Map<String, JsonNode> alerts = new LinkedHashMap<>();
        for (JsonNode group : Repo.yaml("monitoring/prometheus/alerts.yml").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("alert")) {
                    assertThat(alerts.put(rule.get("alert").asText(), rule)).as("alert " + rule.get("alert").asText() + " defined once").isNull();
                }
            }
        }
        return alerts;
    }

    @Test
    void definesEveryAlertOperatorsNeed() {
        assertThat(alerts().keySet()).containsAll(REQUIRED);
    }

    @Test
    void everyAlertHasASummaryARunbookASeverityAndAForDuration() {
        List<String> problems = new ArrayList<>();
        alerts().forEach((name, rule) -> {
            if (rule.path("annotations").path("summary").asText().isBlank()) {
                problems.add(name + " has no summary annotation");
            }
            if (rule.path("annotations").path("runbook_url").asText().isBlank()) {
                problems.add(name + " has no runbook_url annotation");
            }
            if (!Set.of("critical", "warning").contains(rule.path("labels").path("severity").asText())) {
                problems.add(name + " has no severity label of critical or warning");
            }
            if (!rule.has("for")) {
                problems.add(name + " has no for: duration");
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void everyRunbookLinksToTheAlertsOwnSectionOfTheOperationsGuide() {
        Set<String> anchors = headingAnchors(Repo.text(RUNBOOK_DOC));
        List<String> problems = new ArrayList<>();
        alerts().forEach((name, rule) -> {
            String runbook = rule.path("annotations").path("runbook_url").asText();
            String expected = RUNBOOK_DOC + "#" + kebab(name);
            if (!runbook.equals(expected)) {
                problems.add(name + "'s runbook_url is " + runbook + ", expected " + expected);
            }
            if (!anchors.contains(kebab(name))) {
                problems.add(RUNBOOK_DOC + " has no heading whose anchor is #" + kebab(name));
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void everyAlertSelectsOnlyMetricsTheServicesExpose() {
        Set<String> known = new TreeSet<>(KnownMetrics.exposedByServices());
        known.addAll(KnownMetrics.PROMETHEUS_SYNTHETIC);
        List<String> problems = new ArrayList<>();
        alerts().forEach((name, rule) -> {
            for (String metric : PromQl.metricNames(rule.path("expr").asText())) {
                if (!known.contains(metric)) {
                    problems.add(name + " uses " + metric + ", which no service exposes");
                }
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void everyAlertIsUnitTestedFiringInAlertsTest() {
        Set<String> testedFiring = new TreeSet<>();
        for (JsonNode test : Repo.yaml("monitoring/prometheus/alerts_test.yml").path("tests")) {
            for (JsonNode ruleTest : test.path("alert_rule_test")) {
                if (!ruleTest.path("exp_alerts").isEmpty()) {
                    testedFiring.add(ruleTest.path("alertname").asText());
                }
            }
        }
        assertThat(testedFiring).containsAll(alerts().keySet());
    }

    @Test
    void everyLinkWithinTheOperationsGuideLandsOnAHeading() {
        String guide = Repo.text(RUNBOOK_DOC);
        Set<String> anchors = headingAnchors(guide);
        Set<String> broken = new TreeSet<>();
        Matcher link = Pattern.compile("\\]\\(#([^)]+)\\)").matcher(guide);
        while (link.find()) {
            if (!anchors.contains(link.group(1))) {
                broken.add("#" + link.group(1));
            }
        }
        assertThat(broken).as("links in " + RUNBOOK_DOC + " to headings it does not have").isEmpty();
    }

    @Test
    void anchorsFollowGithubsHeadingRules() {
        assertThat(kebab("GeneratorErrorRateHigh")).isEqualTo("generator-error-rate-high");
        assertThat(headingAnchors("## Alerts\n### Generator error rate high\ntext\n### `ServiceDown`: down\n"))
                .containsExactly("alerts", "generator-error-rate-high", "servicedown-down");
    }

    /** {@code GeneratorErrorRateHigh} -> {@code generator-error-rate-high}. */
    static String kebab(String camel) {
        return camel.replaceAll("(?<=[a-z0-9])(?=[A-Z])", "-").toLowerCase(Locale.ROOT);
    }

    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*\\s*$", Pattern.MULTILINE);

    /** The anchors GitHub gives a Markdown file's headings: lower case, punctuation dropped, spaces to dashes. */
    static Set<String> headingAnchors(String markdown) {
        Set<String> anchors = new TreeSet<>();
        Matcher m = HEADING.matcher(markdown.replaceAll("(?ms)^```.*?^```", ""));
        while (m.find()) {
            anchors.add(m.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
        }
        return anchors;
    }
}
