package dev.scimflow.ops.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/**
 * The alert rules and the dashboard of {@code monitoring/}: the rules are valid and behave as their unit tests say
 * ({@code promtool check rules}, {@code promtool test rules}, {@code promtool check config}), and every dashboard query
 * is PromQL against the dashboard's Prometheus datasource. promtool is Debian's {@code prometheus} package, which
 * {@code .ci/run} installs: on CI ({@code CI=true}) a missing promtool fails the build rather than skipping the checks.
 * That the metrics they read exist is {@code UpCommandIT}'s to show, against the running services.
 */
class MonitoringFilesTest {

    @Test
    void theRulesAreValidAndPassTheirUnitTests() throws Exception {
        String promtool = promtool();
        assertThat(run(promtool, "check", "rules", MonitoringFiles.RULES.toString())).contains("SUCCESS");
        assertThat(run(promtool, "test", "rules", MonitoringFiles.RULE_TESTS.toString())).contains("SUCCESS");
    }

    @Test
    void thePrometheusConfigurationIsValidAndLoadsTheRules() throws Exception {
        assertThat(run(promtool(), "check", "config", MonitoringFiles.PROMETHEUS_CONFIG.toString()))
                .contains("SUCCESS: 1 rule files found", "SUCCESS: " + MonitoringFiles.alertCount() + " rules found");
    }

    @Test
    void everyAlertHasAnExpressionThatReadsAMetric() {
        assertThat(MonitoringFiles.ruleExpressions()).hasSize((int) MonitoringFiles.alertCount())
                .allSatisfy(expression -> assertThat(PromQl.metricNames(expression)).as(expression).isNotEmpty());
    }

    @Test
    void everyDashboardQueryReadsAMetricFromTheDashboardsPrometheus() {
        JsonNode dashboard = MonitoringFiles.dashboard();
        assertThat(dashboard.get("uid").asString()).isEqualTo("scimflow");
        JsonNode variable = dashboard.get("templating").get("list").get(0);
        assertThat(variable.get("type").asString()).isEqualTo("datasource");
        assertThat(variable.get("query").asString()).isEqualTo("prometheus");
        String datasource = "${" + variable.get("name").asString() + "}";

        List<JsonNode> panels = MonitoringFiles.queryPanels();
        assertThat(panels).hasSizeGreaterThanOrEqualTo(10);
        for (JsonNode panel : panels) {
            assertThat(panel.get("datasource").get("uid").asString()).as(panel.get("title").asString()).isEqualTo(datasource);
            for (JsonNode target : panel.get("targets")) {
                assertThat(target.get("datasource").get("uid").asString()).isEqualTo(datasource);
                assertThat(PromQl.metricNames(target.get("expr").asString())).as(target.get("expr").asString()).isNotEmpty();
            }
        }
    }

    @Test
    void everyPanelHasItsOwnIdAndTheGrafanaProvisioningPointsAtTheDashboardsFolder() throws Exception {
        List<Integer> ids = new ArrayList<>();
        MonitoringFiles.dashboard().get("panels").forEach(panel -> ids.add(panel.get("id").asInt()));
        assertThat(ids).doesNotHaveDuplicates();
        Path provisioning = MonitoringFiles.FOLDER.resolve("grafana").resolve("provisioning");
        assertThat(Files.readString(provisioning.resolve("dashboards").resolve("scimflow.yml")))
                .contains("path: /var/lib/grafana/dashboards");
        assertThat(Files.readString(provisioning.resolve("datasources").resolve("scimflow.yml"))).contains("url: http://prometheus:9090");
    }

    /** promtool from PATH; on CI it must be there, elsewhere the checks are skipped without it. */
    private static String promtool() {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(directory, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("promtool is not on PATH: install Debian's prometheus package (.ci/run does)");
        }
        assumeTrue(false, "promtool is not on PATH (apt-get install prometheus); the rules are checked on CI");
        return null;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + output).isZero();
        return output;
    }
}
