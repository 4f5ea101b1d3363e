package dev.scimflow.ops.monitoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The repository's {@code monitoring/} folder as the tests read it: the PromQL of every alert rule and of every panel of
 * the Grafana dashboard, and the metric names they read.
 */
public final class MonitoringFiles {

    public static final Path FOLDER = Path.of("..", "monitoring");
    public static final Path PROMETHEUS = FOLDER.resolve("prometheus");
    public static final Path RULES = PROMETHEUS.resolve("scimflow-rules.yml");
    public static final Path RULE_TESTS = PROMETHEUS.resolve("scimflow-rules.test.yml");
    public static final Path PROMETHEUS_CONFIG = PROMETHEUS.resolve("prometheus.yml");
    public static final Path DASHBOARD = FOLDER.resolve("grafana").resolve("dashboards").resolve("scimflow-dashboard.json");

    /**
     * Series that Prometheus makes itself for every scrape, not read from {@code /actuator/prometheus}.
     */
    public static final Set<String> PROMETHEUS_OWN = Set.of("up");

    private MonitoringFiles() {
    }

    /** Every {@code expr:} of the rules file, one-line or a {@code |} block, in order. */
    public static List<String> ruleExpressions() {
        List<String> lines = read(RULES).lines().toList();
        List<String> expressions = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.stripLeading();
            if (!trimmed.startsWith("expr:")) {
                continue;
            }
            String value = trimmed.substring("expr:".length()).strip();
            if (!value.equals("|") && !value.equals(">")) {
                expressions.add(value);
                continue;
            }
            int indent = line.length() - trimmed.length();
            StringBuilder block = new StringBuilder();
            while (i + 1 < lines.size() && (lines.get(i + 1).isBlank()
                    || lines.get(i + 1).length() - lines.get(i + 1).stripLeading().length() > indent)) {
                block.append(lines.get(++i).strip()).append('\n');
            }
            expressions.add(block.toString().strip());
        }
        return expressions;
    }

    /** The number of alert rules, to hold {@link #ruleExpressions()} to. */
    public static long alertCount() {
        return read(RULES).lines().filter(line -> line.stripLeading().startsWith("- alert:")).count();
    }

    public static JsonNode dashboard() {
        return JsonMapper.builder().build().readTree(read(DASHBOARD));
    }

    /** The panels of the dashboard that query Prometheus (rows and text panels do not). */
    public static List<JsonNode> queryPanels() {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard().get("panels")) {
            if (panel.has("targets")) {
                panels.add(panel);
            }
        }
        return panels;
    }

    public static List<String> dashboardExpressions() {
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : queryPanels()) {
            for (JsonNode target : panel.get("targets")) {
                expressions.add(target.get("expr").asString());
            }
        }
        return expressions;
    }

    /** Every metric name the rules and the dashboard read. */
    public static Set<String> metricNames() {
        Set<String> names = new TreeSet<>();
        ruleExpressions().forEach(expression -> names.addAll(PromQl.metricNames(expression)));
        dashboardExpressions().forEach(expression -> names.addAll(PromQl.metricNames(expression)));
        return names;
    }

    /** The sample names of a Prometheus text exposition ({@code /actuator/prometheus}). */
    public static Set<String> exposedNames(String exposition) {
        Set<String> names = new TreeSet<>();
        exposition.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
        return names;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
